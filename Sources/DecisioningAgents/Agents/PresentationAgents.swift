import DecisioningCore
import Foundation

/// Visualization: chooses the dashboard's tiles and charts from what the other agents found.
/// (The dashboard itself is rendered from the run's results, after Executive.)
public struct VisualizationAgent: Agent {
    public let name = "visualization_agent"
    public let requires: [String] = []
    public let uses = ["discovery_agent", "intelligence_agent", "strategy_agent", "decision_agent"]
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput {
        var tiles: [Tile] = []
        var charts: [String] = []
        if let i = context.inputs["intelligence_agent"]?.data?.intelligence {
            tiles.append(Tile(label: "Revenue, last 12 months", value: .money(i.trend.totalRevenue), note: "as of \(context.asOf.iso)"))
            tiles.append(
                Tile(
                    label: "Gross margin rate", value: .ratio(i.trend.grossMarginRate ?? 0),
                    note: Figure.money(i.trend.grossMargin).formatted))
            tiles.append(Tile(label: "Business health", value: .number(i.health.score), note: "out of 100"))
            tiles.append(Tile(label: "Forecast, next 3 months", value: .money(i.forecast.next3Months), note: "80% interval in the chart"))
            charts += ["revenue-trend-forecast", "credit-ratings"]
        }
        if let d = context.inputs["discovery_agent"]?.data?.discovery {
            tiles.append(
                Tile(
                    label: "Projects over budget (HIGH)", value: .count(Int64(d.anomalies.levels["HIGH"] ?? 0)),
                    note: "\(d.anomalies.scored) running projects scored"))
            tiles.append(Tile(label: "Data quality", value: .number(d.dataQuality.score), note: "\(d.dataQuality.findings.count) findings"))
            charts += ["risk-distribution", "anomaly-table"]
        }
        if let s = context.inputs["strategy_agent"]?.data?.strategy {
            if let change = s.drivers.change {
                tiles.append(Tile(label: "Margin rate change, last quarter", value: .number(change * 100), note: "points"))
            }
            charts.append("industry-bars")
        }
        if let decision = context.inputs["decision_agent"]?.data?.decision {
            let total = decision.decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
            tiles.append(Tile(label: "Impact of the decisions", value: .money(total), note: "\(decision.decisions.count) decisions"))
            charts += ["decision-table", "alerts"]
        }
        guard !tiles.isEmpty else { throw AgentError("no agent produced figures to show") }
        return AgentOutput(
            data: AgentData(visualization: VisualizationData(tiles: tiles, charts: charts)),
            insights: [
                Insight(
                    title: "Dashboard with \(tiles.count) tiles and \(charts.count) panels", detail: charts.joined(separator: ", "),
                    evidence: [])
            ],
            confidence: Double(charts.count) / 8)
    }
}

/// Executive: the summary a manager reads first.
public struct ExecutiveAgent: Agent {
    public let name = "executive_agent"
    public let requires: [String] = []
    public let uses = ["discovery_agent", "intelligence_agent", "strategy_agent", "decision_agent", "visualization_agent"]
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput {
        let decisions = context.inputs["decision_agent"]?.data?.decision
        let intelligence = context.inputs["intelligence_agent"]?.data?.intelligence
        let discovery = context.inputs["discovery_agent"]?.data?.discovery
        let strategy = context.inputs["strategy_agent"]?.data?.strategy
        var headline: [String] = []
        if let i = intelligence { headline.append(String(format: "Health %.0f/100", i.health.score)) }
        if let s = strategy, let top = s.risks.first { headline.append(top.title.prefix(1).lowercased() + top.title.dropFirst()) }
        if let d = discovery, let high = d.anomalies.levels["HIGH"], high > 0 { headline.append("\(high) projects far over budget") }
        if let first = decisions?.decisions.first {
            headline.append(
                "first decision: \(first.title.prefix(1).lowercased() + first.title.dropFirst()) (\(Figure.money(first.expectedImpact).formatted))"
            )
        }
        guard !headline.isEmpty else { throw AgentError("no agent produced anything to summarise") }
        var numbers: [NamedFigure] = []
        if let i = intelligence {
            numbers += [
                NamedFigure("Revenue, last 12 months", .money(i.trend.totalRevenue)),
                NamedFigure("Gross margin rate", .ratio(i.trend.grossMarginRate ?? 0)),
                NamedFigure("Revenue forecast, next 3 months", .money(i.forecast.next3Months)),
                NamedFigure("Business health", .number(i.health.score)),
            ]
        }
        if let d = discovery {
            numbers += [
                NamedFigure("Projects started in 24 months", .count(d.landscape.totalProjects)),
                NamedFigure("Data-quality score", .number(d.dataQuality.score)),
            ]
        }
        if let s = strategy, let change = s.drivers.change {
            numbers.append(NamedFigure("Margin rate change, last quarter (points)", .number(change * 100)))
        }
        let top = (decisions?.decisions ?? []).prefix(3).map {
            "\($0.title): \(Figure.money($0.expectedImpact).formatted) (\($0.urgency.rawValue), confidence \(String(format: "%.0f%%", $0.confidence * 100)))"
        }
        var risks = (decisions?.alerts ?? []).filter { $0.severity >= .high && $0.entityId == nil || $0.rule == "margin_drop" }.map(
            \.message)
        risks += (strategy?.risks ?? []).map(\.title)
        var seen = Set<String>()
        risks = risks.filter { seen.insert($0).inserted }
        let steps = (decisions?.decisions ?? []).prefix(5).map { d in
            "\(d.urgency >= .high ? "This week" : "This month"): \(d.title.prefix(1).lowercased() + d.title.dropFirst())"
        }
        let data = ExecutiveData(
            headline: headline.joined(separator: "; ").prefix(1).uppercased() + headline.joined(separator: "; ").dropFirst(),
            keyNumbers: numbers, topDecisions: top, risks: Array(risks.prefix(6)), nextSteps: steps)
        return AgentOutput(
            data: AgentData(executive: data), insights: [Insight(title: data.headline, detail: top.joined(separator: " · "), evidence: [])],
            confidence: decisions == nil ? 0.4 : 0.9)
    }
}

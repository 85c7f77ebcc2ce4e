import DecisioningCore

/// Visualization: chooses the dashboard's tiles and charts from what the other agents found.
/// (The dashboard itself is rendered from the run's results, after Executive.)
public struct VisualizationAgent: Agent {
    public static let key = AgentKey<VisualizationData>("visualization_agent")
    public var key: AgentKey<VisualizationData> { Self.key }
    public let uses: [any AgentDependency] = [DiscoveryAgent.key, IntelligenceAgent.key, StrategyAgent.key, DecisionAgent.key]
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput<VisualizationData> {
        var tiles: [Tile] = []
        var charts: [String] = []
        if let i = context.input(IntelligenceAgent.key) {
            tiles.append(Tile(label: "Revenue, last 12 months", value: .money(i.trend.totalRevenue), note: "as of \(context.asOf.iso)"))
            tiles.append(
                Tile(
                    label: "Gross margin rate", value: .ratio(i.trend.grossMarginRate ?? 0),
                    note: Figure.money(i.trend.grossMargin).formatted))
            tiles.append(Tile(label: "Business health", value: .number(i.health.score), note: "out of 100"))
            tiles.append(Tile(label: "Forecast, next 3 months", value: .money(i.forecast.next3Months), note: "80% interval in the chart"))
            charts += ["revenue-trend-forecast", "credit-ratings"]
        }
        if let d = context.input(DiscoveryAgent.key) {
            tiles.append(
                Tile(
                    label: "Projects over budget (HIGH)", value: .count(Int64(d.anomalies.levels["HIGH"] ?? 0)),
                    note: "\(d.anomalies.scored) running projects scored"))
            tiles.append(Tile(label: "Data quality", value: .number(d.dataQuality.score), note: "\(d.dataQuality.findings.count) findings"))
            charts += ["risk-distribution", "anomaly-table"]
        }
        if let s = context.input(StrategyAgent.key) {
            if let change = s.drivers.change {
                tiles.append(Tile(label: "Margin rate change, last quarter", value: .number(change * 100), note: "points"))
            }
            charts.append("industry-bars")
        }
        if let decision = context.input(DecisionAgent.key) {
            let total = decision.decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
            tiles.append(Tile(label: "Impact of the decisions", value: .money(total), note: "\(decision.decisions.count) decisions"))
            charts += ["decision-table", "alerts"]
        }
        guard !tiles.isEmpty else { throw AgentError("no agent produced figures to show") }
        let data = VisualizationData(tiles: tiles, charts: charts)
        return AgentOutput(data: data, insights: VisualizationNarrative(data: data).insights, confidence: Double(charts.count) / 8)
    }
}

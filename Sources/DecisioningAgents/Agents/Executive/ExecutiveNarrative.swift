import DecisioningCore
import Foundation

/// The wording of the executive summary, written from the other agents' data.
struct ExecutiveNarrative {
    let discovery: DiscoveryData?
    let intelligence: IntelligenceData?
    let strategy: StrategyData?
    let decisions: DecisionData?

    /// Health, the main risk, the projects far over budget and the first decision, in one sentence;
    /// nil when no agent produced any of them.
    var headline: String? {
        var parts: [String] = []
        if let i = intelligence { parts.append(String(format: "Health %.0f/100", i.health.score)) }
        if let top = strategy?.risks.first { parts.append(Self.lowercasingFirst(top.title)) }
        if let high = discovery?.anomalies.levels["HIGH"], high > 0 { parts.append("\(high) projects far over budget") }
        if let first = decisions?.decisions.first {
            parts.append("first decision: \(Self.lowercasingFirst(first.title)) (\(Figure.money(first.expectedImpact).formatted))")
        }
        guard !parts.isEmpty else { return nil }
        let sentence = parts.joined(separator: "; ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }

    var keyNumbers: [NamedFigure] {
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
        if let change = strategy?.drivers.change {
            numbers.append(NamedFigure("Margin rate change, last quarter (points)", .number(change * 100)))
        }
        return numbers
    }

    var topDecisions: [String] {
        (decisions?.decisions ?? []).prefix(3).map {
            "\($0.title): \(Figure.money($0.expectedImpact).formatted) (\($0.urgency.rawValue), confidence \(String(format: "%.0f%%", $0.confidence * 100)))"
        }
    }

    var nextSteps: [String] {
        (decisions?.decisions ?? []).prefix(5).map { d in
            "\(d.urgency >= .high ? "This week" : "This month"): \(Self.lowercasingFirst(d.title))"
        }
    }

    static func lowercasingFirst(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }
}

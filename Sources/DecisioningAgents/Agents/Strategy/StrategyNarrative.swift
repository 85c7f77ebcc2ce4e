import DecisioningCore
import Foundation

/// The wording of Strategy's risks, opportunities, insights and recommendations, written from its
/// computed data.
struct StrategyNarrative {
    /// The evidence behind each insight.
    struct Sources {
        var drivers: [Evidence]
        var industries: Evidence
        var correlations: Evidence
        var overrunRisk: [Evidence]
    }

    let industries: [IndustryFigures]
    let drivers: DriverAnalysis
    let movers: StrategyAgent.MarginMovers?
    /// Industries with many recent projects that spend (almost) their whole budget.
    let fullSpenders: [IndustryFigures]
    let correlationThreshold: Double
    let correlations: [Correlation]
    let overrunRisk: OverrunRisk?
    let evidence: Sources

    var risks: [StrategyItem] {
        var risks: [StrategyItem] = []
        if let movers, let eroded = movers.eroded {
            let worst = eroded.segment
            risks.append(
                StrategyItem(
                    title: "Margin erosion in \(worst.segment)",
                    detail: String(
                        format:
                            "%@'s margin rate went from %.1f%% to %.1f%%, moving the overall rate by %.2f points (the overall rate moved %.2f).",
                        worst.segment, (worst.marginRateBefore ?? 0) * 100, (worst.marginRateAfter ?? 0) * 100, worst.rateEffect * 100,
                        movers.change * 100),
                    impact: eroded.lost))
        }
        for i in fullSpenders {
            risks.append(
                StrategyItem(
                    title: "\(i.industry) projects spend their whole budget",
                    detail: String(
                        format: "Average actual cost is %.0f%% of budget across %lld recent projects.", (i.costEfficiency ?? 0) * 100,
                        i.projectCount), impact: nil))
        }
        return risks
    }

    var opportunities: [StrategyItem] {
        var opportunities: [StrategyItem] = []
        if let best = movers?.gained {
            opportunities.append(
                StrategyItem(
                    title: "Margin gains in \(best.segment)",
                    detail: String(
                        format: "%@ added %.2f points to the overall margin rate (%.1f%% → %.1f%%).",
                        best.segment, best.rateEffect * 100, (best.marginRateBefore ?? 0) * 100, (best.marginRateAfter ?? 0) * 100),
                    impact: nil))
        }
        if let leader = industries.first {
            opportunities.append(
                StrategyItem(
                    title: "\(leader.industry) carries the largest recent book",
                    detail:
                        "\(leader.projectCount) projects and \(Figure.money(leader.totalBudget).formatted) of budget started in the last 24 months.",
                    impact: leader.totalBudget))
        }
        return opportunities
    }

    var insights: [Insight] {
        var insights: [Insight] = []
        if let movers {
            insights.append(
                Insight(
                    title: String(
                        format: "Overall margin rate %@ %.2f points; largest driver: %@", movers.change < 0 ? "fell" : "rose",
                        abs(movers.change) * 100, drivers.topDriver ?? "none"),
                    detail: drivers.dimensions.map { d in
                        "\(d.dimension): "
                            + d.segments.prefix(3).map { String(format: "%@ %+.2f pts", $0.segment, $0.rateEffect * 100) }.joined(
                                separator: ", ")
                    }.joined(separator: "; "),
                    severity: movers.eroded == nil ? .info : .high, evidence: evidence.drivers))
        }
        insights.append(
            Insight(
                title: "\(industries.count) industries with more than 5 recent projects",
                detail: industries.prefix(4).map {
                    String(format: "%@ %@ (cost/budget %.2f)", $0.industry, Figure.money($0.totalBudget).formatted, $0.costEfficiency ?? 0)
                }.joined(separator: ", "),
                evidence: [evidence.industries]))
        if !correlations.isEmpty {
            insights.append(
                Insight(
                    title: "\(correlations.count) correlations at or above \(correlationThreshold)",
                    detail: correlations.map { String(format: "%@ ~ %@: r = %.2f", $0.a, $0.b, $0.r) }.joined(separator: "; "),
                    evidence: [evidence.correlations]))
        }
        if let risk = overrunRisk {
            insights.append(
                Insight(
                    title: "\(risk.atRiskProjects) running projects likely to overrun by more than 10%",
                    detail: String(
                        format: "%@ (cross-validated %@ %.3f) puts their expected overrun at %@; %@.", risk.model, risk.metric,
                        risk.crossValidatedScore, Figure.money(risk.atRiskExpectedOverrun).formatted,
                        risk.top.prefix(3).map {
                            "\($0.projectId) \(String(format: "%.0f%%", $0.probability * 100)) (\($0.topFactors.joined(separator: ", ")))"
                        }.joined(separator: "; ")) + (risk.top.first?.precedentSentence ?? ""),
                    severity: risk.atRiskProjects > 0 ? .high : .info, evidence: evidence.overrunRisk))
        }
        return insights
    }

    var recommendations: [Recommendation] {
        var recommendations = risks.filter { $0.impact != nil }.map {
            Recommendation(action: "Act on: \($0.title.lowercased())", rationale: $0.detail, evidence: evidence.drivers)
        }
        if let risk = overrunRisk, risk.atRiskProjects > 0 {
            recommendations.append(
                Recommendation(
                    action: "Review the \(risk.atRiskProjects) running projects with high overrun risk",
                    rationale: risk.reason, evidence: evidence.overrunRisk))
        }
        return recommendations
    }
}

import DecisioningCore
import Foundation

/// The wording of Decision's decisions, alerts and insights, written from the figures computed.
enum DecisionNarrative {
    static func title(_ candidate: DecisionCandidate) -> String {
        switch candidate {
        case .stopOverrun(let projects, _):
            return "Stop the cost overrun on \(projects.count) running projects"
        case .fixDataQuality(let findings, _):
            let rows = findings.reduce(0) { $0 + $1.affectedRows }
            return
                "Fix the data-quality faults in \(RenderFormat.plural(rows, "row")) (\(RenderFormat.plural(findings.count, "check"))) before trusting the figures"
        case .recoverMargin(let segment, _, _, _, _, _, _):
            return "Recover the margin in \(segment.segment)"
        case .tightenCollections(let lateCustomers, _, _, _, _):
            return "Tighten collections with \(lateCustomers) late-paying customers"
        case .rescopeAtRiskProjects(let risk):
            return "Rescope the \(risk.atRiskProjects) running projects most likely to overrun"
        case .priceInOverrunRisk(let type, _, _, _, _):
            return "Price in the overrun risk of \(type.projectType) projects"
        }
    }

    static func rationale(_ candidate: DecisionCandidate) -> String {
        switch candidate {
        case .stopOverrun(let projects, let overrun):
            let worst = projects.prefix(3).map { String(format: "%@ %.1f×", $0.projectId, $0.costRatio) }.joined(separator: ", ")
            // The precedent of the first of them that has one: how completed projects that spent alike ended.
            let precedent = projects.lazy.compactMap { p in p.precedent.map { $0.sentence(about: p.projectId) } }.first { !$0.isEmpty }
            return
                "\(projects.count) active projects spend far more than their budget share so far (worst: \(worst)). At their current burn they finish \(Figure.money(overrun).formatted) over budget."
                + (precedent ?? "")
        case .fixDataQuality(let findings, let budget):
            return findings.map { "\($0.description): \($0.affectedRows)" }.joined(separator: "; ")
                + ". The projects concerned carry \(Figure.money(budget).formatted) of budget."
        case .recoverMargin(let s, let points, let change, let before, let after, let quarterly, let yearly):
            return String(
                format:
                    "%@'s margin rate fell from %.1f%% to %.1f%% between %@ and %@ (%.1f points), moving the overall rate by %.2f points (overall change %+.2f). At the old rate its latest quarter would have earned %@ more: %@ a year.",
                s.segment, (s.marginRateBefore ?? 0) * 100, (s.marginRateAfter ?? 0) * 100, before, after, points, s.rateEffect * 100,
                change * 100, Figure.money(quarterly).formatted, Figure.money(yearly).formatted)
        case .tightenCollections(_, let share, let daysLate, let rate, let cost):
            return String(
                format:
                    "%.1f%% of the last 12 months' revenue comes from customers paying more than 10 days past terms (revenue-weighted average %.1f days late). Financing that delay costs about %@ a year at %.0f%%.",
                share * 100, daysLate, Figure.money(cost).formatted, rate * 100)
        case .rescopeAtRiskProjects(let risk):
            return String(
                format:
                    "The overrun model (%@, cross-validated %@ %.3f) gives %d running projects a probability of at least %.0f%% of ending more than 10%% over budget; their expected overrun is %@ (probability × the %.0f%% average overrun of past overruns × budget). Riskiest: %@.",
                risk.model, risk.metric, risk.crossValidatedScore, risk.atRiskProjects, risk.probabilityThreshold * 100,
                Figure.money(risk.atRiskExpectedOverrun).formatted, risk.averageOverrunRate * 100,
                risk.top.prefix(3).map {
                    "\($0.projectId) (\(String(format: "%.0f%%", $0.probability * 100)): \($0.topFactors.joined(separator: ", ")))"
                }.joined(separator: "; ")) + (risk.top.first?.precedentSentence ?? "")
        case .priceInOverrunRisk(let type, let averageOverrun, let running, let budget, let expected):
            return String(
                format:
                    "%.0f%% of completed %@ projects overran by more than 10%%, by %@ on average. The %lld running ones (budget %@) can expect %@ of overrun.",
                type.overrunRate * 100, type.projectType, Figure.money(averageOverrun).formatted, running, Figure.money(budget).formatted,
                Figure.money(expected).formatted)
        }
    }

    static func message(_ finding: AlertFinding) -> String {
        switch finding {
        case .anomalousProjects(let count):
            return "\(count) running projects have anomalous cost (HIGH)"
        case .anomalousProject(let p):
            return String(
                format: "%@ (%@) has spent %@, %.1f× its budget share so far", p.projectId, p.projectName,
                // The cost to date Discovery scored (actual_cost may hold an estimate at completion).
                Figure.money(p.costToDate ?? p.actualCost).formatted,
                p.costRatio)
        case .dataQualityScore(let score, let minimum):
            return String(format: "Data-quality score %.1f is below %.0f", score, minimum)
        case .marginDrop(let industry, let points, _):
            return String(format: "Margin rate in %@ fell %.1f points last quarter", industry, points)
        case .lateRevenueShare(let share, _):
            return String(format: "%.1f%% of revenue comes from late payers", share * 100)
        case .healthScore(let score, let threshold):
            return String(format: "Business health %.0f is below %.0f", score, threshold)
        case .revenueGrowth(let growth, let month, _):
            return String(format: "Revenue fell %.1f%% month over month in %@", -growth, month.iso)
        }
    }

    /// The three top decisions, one insight each.
    static func insights(_ decisions: [Decision]) -> [Insight] {
        decisions.prefix(3).map { d in
            Insight(
                title: "#\(d.rank) \(d.title)",
                detail:
                    "Expected impact \(Figure.money(d.expectedImpact).formatted); urgency \(d.urgency.rawValue); confidence \(String(format: "%.0f%%", d.confidence * 100)).",
                severity: d.urgency, evidence: d.evidence)
        }
    }
}

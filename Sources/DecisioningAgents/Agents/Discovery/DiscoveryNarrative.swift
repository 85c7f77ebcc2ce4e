import DecisioningCore
import Foundation

/// The wording of Discovery's insights and recommendations, written from its computed data.
struct DiscoveryNarrative {
    let data: DiscoveryData
    let asOf: Day
    let landscapeEvidence: Evidence
    let anomalyEvidence: Evidence

    var highAnomalies: Int { data.anomalies.levels["HIGH"] ?? 0 }
    var mediumAnomalies: Int { data.anomalies.levels["MEDIUM"] ?? 0 }

    var insights: [Insight] { [landscape, dataQuality, anomalies] }

    var recommendations: [Recommendation] {
        guard highAnomalies > 0 else { return [] }
        let scorer =
            data.anomalies.method.hasPrefix("isolation")
            ? "the isolation forest trained on completed projects" : "the robust cost-ratio score"
        return [
            Recommendation(
                action: "Review the \(highAnomalies) running projects whose cost is far above their budget share",
                rationale: "They score HIGH (above 0.8) on \(scorer).", evidence: [anomalyEvidence])
        ]
    }

    var landscape: Insight {
        let l = data.landscape
        return Insight(
            title: "Data landscape",
            detail:
                "\(Figure.count(l.totalProjects).formatted) projects for \(Figure.count(l.totalCustomers).formatted) customers started in the 24 months to \(asOf.iso): budget \(Figure.money(l.totalBudget).formatted), cost so far \(Figure.money(l.totalCosts).formatted).",
            evidence: [landscapeEvidence])
    }

    var dataQuality: Insight {
        let report = data.dataQuality
        return Insight(
            title: String(format: "Data quality score %.1f / 100", report.score),
            detail: report.findings.isEmpty
                ? "No data-quality findings." : report.findings.map { "\($0.description): \($0.affectedRows)" }.joined(separator: "; "),
            severity: report.score < 90 ? .high : report.score < 98 ? .medium : .info,
            evidence: report.findings.map(\.evidence))
    }

    var anomalies: Insight {
        Insight(
            title: "\(highAnomalies) running projects with anomalous cost (HIGH), \(mediumAnomalies) MEDIUM",
            detail: data.anomalies.flagged.prefix(3).map {
                String(format: "%@ spends %.2f× its budget share so far", $0.projectId, $0.costRatio)
            }.joined(separator: "; "),
            severity: highAnomalies > 0 ? .high : mediumAnomalies > 0 ? .medium : .info,
            evidence: [anomalyEvidence])
    }
}

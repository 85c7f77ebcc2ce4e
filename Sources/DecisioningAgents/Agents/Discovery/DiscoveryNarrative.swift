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

    var insights: [Insight] { [landscape, dataQuality] + (costMeaning.map { [$0] } ?? []) + [anomalies] }

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
        // The landscape sums actual_cost as stored: when it holds estimates at completion, say so.
        let costs =
            data.ledgerReconciliation?.cost.convention == .atCompletion
            ? "actual cost \(Figure.money(l.totalCosts).formatted) (running projects at their estimate at completion)"
            : "cost so far \(Figure.money(l.totalCosts).formatted)"
        return Insight(
            title: "Data landscape",
            detail:
                "\(Figure.count(l.totalProjects).formatted) projects for \(Figure.count(l.totalCustomers).formatted) customers started in the 24 months to \(asOf.iso): budget \(Figure.money(l.totalBudget).formatted), \(costs).",
            evidence: [landscapeEvidence])
    }

    /// What actual_cost and total_revenue mean against the ledger, and what the anomalies were scored on.
    var costMeaning: Insight? {
        guard let r = data.ledgerReconciliation else { return nil }
        let c = r.cost
        let reading: String
        switch c.convention {
        case .toDate: reading = "the cost booked to date"
        case .atCompletion: reading = "an estimate at completion"
        case .inconsistent: reading = "neither the cost to date nor an estimate at completion consistently"
        case .unverified: reading = "unverified (no complete ledger to compare with)"
        }
        let shares = String(
            format:
                "%lld of %lld comparable running projects match the ledger's cost to date (%.0f%%), %lld read as an estimate at completion (%.0f%%), within %.0f%%",
            Int64(c.readings[LedgerReconciliation.Reading.toDate.rawValue] ?? 0), Int64(c.comparable), c.shareToDate * 100,
            Int64(c.readings[LedgerReconciliation.Reading.atCompletion.rawValue] ?? 0), c.shareAtCompletion * 100, c.tolerance * 100)
        let revenue = String(
            format: "%@ matches the ledger for %lld of %lld customers", r.revenue.field, Int64(r.revenue.matching),
            Int64(r.revenue.customers))
        return Insight(
            title: "projects.actual_cost of running projects reads as \(reading)",
            detail:
                "\(shares). Cost anomalies are scored on \(c.scoringBasis). \(revenue); \(r.revenue.marginMismatches) projects' MARGIN rows differ from REVENUE − COST.",
            severity: c.convention == .inconsistent
                ? .high : c.convention == .atCompletion || c.convention == .unverified ? .medium : .info,
            evidence: [c.evidence, r.revenue.evidence])
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

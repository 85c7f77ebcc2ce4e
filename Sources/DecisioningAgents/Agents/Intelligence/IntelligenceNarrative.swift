import DecisioningCore
import Foundation

/// The wording of Intelligence's insights, written from its computed data.
struct IntelligenceNarrative {
    /// The evidence behind each insight.
    struct Sources {
        var trend: Evidence
        var efficiency: [Evidence]
        var customers: [Evidence]
        var forecast: Evidence
        var health: [Evidence]
    }

    let data: IntelligenceData
    let asOf: Day
    let evidence: Sources

    var insights: [Insight] { [trend, efficiency, customers, forecast, health].compactMap { $0 } }

    var trend: Insight {
        let trend = data.trend
        return Insight(
            title: "Revenue \(Figure.money(trend.totalRevenue).formatted) in the 12 months to \(asOf.iso)",
            detail: String(
                format: "Gross margin %@ (%.1f%%); average month-over-month revenue growth %.2f%%, cost growth %.2f%%.",
                Figure.money(trend.grossMargin).formatted, (trend.grossMarginRate ?? 0) * 100, trend.revenueGrowthRate ?? 0,
                trend.costGrowthRate ?? 0),
            severity: (trend.revenueGrowthRate ?? 0) < 0 ? .medium : .info, evidence: [evidence.trend])
    }

    var efficiency: Insight {
        let efficiency = data.efficiency
        return Insight(
            title: String(format: "Completed projects ran %.1f%% over budget in total", (efficiency.budgetVarianceRate ?? 0) * 100),
            detail: efficiency.byType.map { String(format: "%@: %.0f%% overran", $0.projectType, $0.overrunRate * 100) }.joined(
                separator: ", ")
                + String(
                    format: "; on-time rate of projects due %.1f%% (%lld running past their end date).",
                    (efficiency.onTimeRate ?? 0) * 100, efficiency.overdueRunning),
            severity: (efficiency.budgetVarianceRate ?? 0) > 0.05 ? .medium : .low, evidence: evidence.efficiency)
    }

    var customers: Insight {
        let customers = data.customers
        return Insight(
            title: String(format: "Top 10 customers bring %.1f%% of revenue", customers.top10Share * 100),
            detail: String(
                format:
                    "%lld customers pay more than 10 days past their terms (%.1f%% of revenue); customers with risk ≥ 0.6 bring %.1f%%.",
                customers.lateCustomers, customers.lateRevenueShare * 100, customers.highRiskRevenueShare * 100),
            severity: customers.lateRevenueShare > 0.25 ? .medium : .low, evidence: evidence.customers)
    }

    /// The forecast's first month and its interval; nil when there is no forecast.
    var forecast: Insight? {
        let forecast = data.forecast
        guard let next = forecast.points.first else { return nil }
        return Insight(
            title: "Revenue forecast: \(Figure.money(forecast.next3Months).formatted) over the next 3 months",
            detail:
                "\(next.month.iso): \(Figure.money(next.predicted).formatted) (\(Int(forecast.intervalLevel * 100))% interval \(Figure.money(next.lower).formatted) – \(Figure.money(next.upper).formatted)); method: \(forecast.method).",
            evidence: [evidence.forecast])
    }

    var health: Insight {
        let health = data.health
        return Insight(
            title: String(format: "Business health %.0f / 100", health.score),
            detail: health.components.map { String(format: "%@ %.0f", $0.name, $0.score) }.joined(separator: ", "),
            severity: health.score < 50 ? .high : health.score < 70 ? .medium : .info, evidence: evidence.health)
    }
}

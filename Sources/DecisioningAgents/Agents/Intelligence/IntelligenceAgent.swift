import DecisioningAnalytics
import DecisioningCore
import DecisioningLearning
import Foundation

/// Intelligence: the financial trend, operational efficiency, customer analytics, a revenue
/// forecast with an interval, and the business health score (formula in docs/agents.md).
public struct IntelligenceAgent: Agent {
    public static let key = AgentKey<IntelligenceData>("intelligence_agent")
    public var key: AgentKey<IntelligenceData> { Self.key }
    public let uses: [any AgentDependency] = [DiscoveryAgent.key]
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput<IntelligenceData> {
        let (trend, trendEvidence) = try financialTrend(context)
        let (efficiency, efficiencyEvidence) = try operationalEfficiency(context)
        let (customers, customerEvidence) = try customerAnalytics(context)
        let (forecast, forecastEvidence, forecastFallback) = try revenueForecast(context)
        let dataQuality = context.input(DiscoveryAgent.key)?.dataQuality.score
        let (health, healthEvidence) = try businessHealth(
            context, trend: trend, efficiency: efficiency, customers: customers, dataQuality: dataQuality)
        let data = IntelligenceData(trend: trend, efficiency: efficiency, customers: customers, forecast: forecast, health: health)
        let narrative = IntelligenceNarrative(
            data: data, asOf: context.asOf,
            evidence: .init(
                trend: trendEvidence, efficiency: efficiencyEvidence, customers: customerEvidence, forecast: forecastEvidence,
                health: healthEvidence))
        var fallbacks: [String] = []
        if dataQuality == nil { fallbacks.append("health score computed without the data-quality component (Discovery did not finish)") }
        if let forecastFallback { fallbacks.append(forecastFallback) }
        let fallback = fallbacks.isEmpty ? nil : fallbacks.joined(separator: "; ")
        return AgentOutput(
            data: data, insights: narrative.insights, confidence: dataQuality.map { min(1, 0.5 + $0 / 200) } ?? 0.7, fallback: fallback)
    }

    // MARK: - Trend

    func financialTrend(_ context: AgentContext) throws -> (FinancialTrend, Evidence) {
        let parts = try context.query(Analyses.financialTrend.parts.map { ("financial-trend.\($0.name)", $0.plan) })
        let months = try parts[0].records.map { r in
            MonthFigures(
                month: try r.requiredDay("month"), revenue: r.money("revenue"), cost: r.money("cost"), avgMargin: r.double("avg_margin"),
                revenueGrowthPct: r.double("revenue_growth_pct"), costGrowthPct: r.double("cost_growth_pct"))
        }
        let t = try parts[1].single()
        let revenue = t.money("total_revenue")
        let cost = t.money("total_costs")
        let margin = revenue - cost
        let trend = FinancialTrend(
            months: months, totalRevenue: revenue, totalCosts: cost, grossMargin: margin,
            grossMarginRate: revenue.minorUnits != 0 ? Double(margin.minorUnits) / Double(revenue.minorUnits) : nil,
            avgMargin: t.double("avg_margin"), revenueGrowthRate: t.double("revenue_growth_rate"),
            costGrowthRate: t.double("cost_growth_rate"))
        return (
            trend,
            parts[1].evidence([
                NamedFigure("total_revenue", .money(revenue)), NamedFigure("total_costs", .money(cost)),
                NamedFigure("revenue_growth_rate_pct", .number(trend.revenueGrowthRate ?? 0)),
            ])
        )
    }

    // MARK: - Efficiency

    func operationalEfficiency(_ context: AgentContext) throws -> (OperationalEfficiency, [Evidence]) {
        let q = try context.query("intelligence.efficiency-by-type", IntelligencePlans.efficiencyByType)
        var types: [TypeEfficiency] = []
        var budget = Money.zero
        var actual = Money.zero
        var completed: Int64 = 0
        for r in q.records {
            let n = r.int("completed")
            types.append(
                TypeEfficiency(
                    projectType: try r.requiredText("project_type"), completed: n, avgCostRatio: r.double("avg_cost_ratio"),
                    overrunRate: n > 0 ? Double(r.int("overruns")) / Double(n) : 0, overrunAmount: r.money("overrun_amount")))
            budget = budget + r.money("budget")
            actual = actual + r.money("actual")
            completed += n
        }
        let d = try context.query("intelligence.projects-due", IntelligencePlans.projectsDue)
        let dueRow = try d.single()
        let dueCount = dueRow.int("due")
        let overdue = dueRow.int("overdue")
        let variance = actual - budget
        let efficiency = OperationalEfficiency(
            completedProjects: completed, budget: budget, actualCost: actual, budgetVariance: variance,
            budgetVarianceRate: budget.minorUnits != 0 ? Double(variance.minorUnits) / Double(budget.minorUnits) : nil,
            byType: types, projectsDue: dueCount, overdueRunning: overdue,
            onTimeRate: dueCount > 0 ? Double(dueCount - overdue) / Double(dueCount) : nil)
        return (
            efficiency,
            [
                q.evidence([NamedFigure("completed_projects", .count(completed)), NamedFigure("budget_variance", .money(variance))]),
                d.evidence(
                    [NamedFigure("projects_due", .count(dueCount)), NamedFigure("overdue_running", .count(overdue))],
                    method: "due = end date on or before as-of; on time = completed (no planned end date is recorded to compare with)"),
            ]
        )
    }

    // MARK: - Customers

    func customerAnalytics(_ context: AgentContext) throws -> (CustomerAnalytics, [Evidence]) {
        let q = try context.query("intelligence.customer-revenue", IntelligencePlans.customerRevenue)
        let records = q.records
        let total = records.reduce(Int64(0)) { $0 + $1.int("revenue") }
        func share(_ v: Int64) -> Double { total > 0 ? Double(v) / Double(total) : 0 }
        let top = try records.prefix(10).map { r in
            CustomerShare(
                customerId: try r.requiredText("customer_id"), name: r.text("customer_name") ?? "", revenue: r.money("revenue"),
                share: share(r.int("revenue")))
        }
        var lateRevenue: Int64 = 0
        var late: Int64 = 0
        var highRisk: Int64 = 0
        var weightedLate = 0.0
        var weight = 0.0
        var ratings: [String: (Int64, Int64)] = [:]
        for r in records {
            let v = r.int("revenue")
            if let days = r.double("days_late", scale: 1) {
                weightedLate += days * Double(v)
                weight += Double(v)
                if days > 10 {
                    late += 1
                    lateRevenue += v
                }
            }
            if let risk = r.double("risk_score"), risk >= 0.6 { highRisk += v }
            let rating = r.text("credit_rating") ?? "UNRATED"
            ratings[rating, default: (0, 0)].0 += 1
            ratings[rating, default: (0, 0)].1 += v
        }
        let order = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"]
        let bands = ratings.sorted { (order.firstIndex(of: $0.key) ?? 99, $0.key) < (order.firstIndex(of: $1.key) ?? 99, $1.key) }.map {
            rating, totals in
            RatingBand(rating: rating, customers: totals.0, revenue: Money(minorUnits: totals.1), revenueShare: share(totals.1))
        }
        let analytics = CustomerAnalytics(
            revenue12Months: Money(minorUnits: total), top10Share: top.reduce(0) { $0 + $1.share },
            herfindahl: records.reduce(0) { $0 + pow(share($1.int("revenue")), 2) }, topCustomers: top,
            avgDaysLate: weight > 0 ? weightedLate / weight : nil, lateCustomers: late, lateRevenueShare: share(lateRevenue),
            creditRatings: bands, highRiskRevenueShare: share(highRisk))
        return (
            analytics,
            [
                q.evidence(
                    [
                        NamedFigure("revenue_12_months", .money(analytics.revenue12Months)),
                        NamedFigure("top10_share", .ratio(analytics.top10Share)),
                        NamedFigure("late_revenue_share", .ratio(analytics.lateRevenueShare)),
                    ], method: "shares of 12-month revenue per customer; late = average payment days more than 10 days past terms")
            ]
        )
    }

    // MARK: - Forecast

    static let naiveMethod =
        "seasonal naive with drift: the same month last year × the last 12 months' year-over-year growth; 80% interval from the spread of the method's errors over the last 12 months"

    /// The monthly revenue forecast: exponential smoothing selected by AICc (ETS family, period 12),
    /// 6 months with 80% intervals; the seasonal naive method when no ETS model can be fitted.
    func revenueForecast(_ context: AgentContext) throws -> (RevenueForecast, Evidence, String?) {
        let q = try context.query("intelligence.monthly-revenue", IntelligencePlans.monthlyRevenue)
        let series = try q.records.map { (month: try $0.requiredDay("month"), revenue: Double($0.int("revenue"))) }
        let values = series.map(\.revenue)
        guard let lastMonth = series.last?.month else { throw AgentError("no monthly revenue before \(context.asOf.iso) to forecast from") }
        var method: String
        var steps: [(mean: Double, lower: Double, upper: Double)]
        var backtest: Double?
        var fallback: String?
        do {
            let selection = try ExponentialSmoothing.select(values, period: 12)
            let tried = selection.candidates.compactMap { c in c.aicc.map { String(format: "%@ %.1f", c.kind.notation, $0) } }.joined(
                separator: ", ")
            method = "\(selection.best.kind.notation) selected by AICc (\(tried)); 80% prediction intervals"
            steps = selection.best.forecast(6, level: 0.8).map { ($0.mean, $0.lower, $0.upper) }
            // Backtest: the same selection on all but the last 6 months, scored on them.
            if values.count >= 30, let held = try? ExponentialSmoothing.select(Array(values.dropLast(6)), period: 12) {
                let predicted = held.best.forecast(6, level: 0.8).map(\.mean)
                let actual = Array(values.suffix(6))
                backtest = zip(actual, predicted).map { abs($0 - $1) / max(1, abs($0)) }.reduce(0, +) / 6
            }
        } catch {
            guard values.count >= 25 else {
                throw AgentError(
                    "the revenue forecast needs at least 25 months of history for its fallback, found \(values.count) (ETS: \(error))")
            }
            fallback = "seasonal naive forecast instead of exponential smoothing: \(error)"
            method = Self.naiveMethod
            (steps, backtest) = Self.seasonalNaive(values)
        }
        let points = try steps.enumerated().map { h, s throws(MoneyRangeError) in
            let month = lastMonth.adding(months: h + 1)
            let what = "the revenue forecast for \(month.iso)"
            return ForecastPoint(
                month: month, predicted: try Money(rounding: s.mean, what: what),
                lower: try Money(rounding: max(0, s.lower), what: what), upper: try Money(rounding: s.upper, what: what))
        }
        let sum3 = points.prefix(3).reduce(Money.zero) { $0 + $1.predicted }
        let sum6 = points.reduce(Money.zero) { $0 + $1.predicted }
        let result = RevenueForecast(
            method: method, intervalLevel: 0.8, backtestMape: backtest, points: points, next3Months: sum3, next6Months: sum6)
        return (
            result,
            q.evidence(
                [
                    NamedFigure("next_3_months", .money(sum3)), NamedFigure("next_6_months", .money(sum6)),
                    NamedFigure("backtest_mape", .ratio(backtest ?? 0)),
                ], method: method), fallback
        )
    }

    /// The same month last year × year-over-year growth, with an interval from its errors over the last year.
    static func seasonalNaive(_ values: [Double]) -> ([(mean: Double, lower: Double, upper: Double)], Double) {
        func forecast(_ history: ArraySlice<Double>, _ h: Int) -> Double {
            let n = history.count
            let last12 = history.suffix(12).reduce(0, +)
            let prior12 = history.dropLast(12).suffix(12).reduce(0, +)
            let growth = prior12 > 0 ? last12 / prior12 : 1
            return history[history.startIndex + n - 12 + (h - 1) % 12] * pow(growth, Double((h - 1) / 12 + 1))
        }
        var errors: [Double] = []
        for t in (values.count - 12)..<values.count {
            let predicted = forecast(values[0..<t], 1)
            if predicted > 0 { errors.append(values[t] / predicted - 1) }
        }
        let mean = errors.reduce(0, +) / Double(max(1, errors.count))
        let sd = (errors.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, errors.count - 1))).squareRoot()
        let steps = (1...6).map { h -> (Double, Double, Double) in
            let p = forecast(values[...], h)
            let spread = 1.2816 * sd * Double(h).squareRoot()
            return (p, p * max(0, 1 - spread), p * (1 + spread))
        }
        return (steps, errors.map(abs).reduce(0, +) / Double(max(1, errors.count)))
    }

    // MARK: - Health

    static let healthFormula =
        "Σ weight × component score (0–100), weights renormalised over the components available: margin 0.25 (gross margin rate ÷ 30%), growth 0.20 (50 + 250 × year-over-year revenue growth), cost control 0.20 (100 × (1 − overrun rate of completed projects)), collections 0.15 (100 × (1 − revenue share of customers paying > 10 days late)), credit 0.10 (100 × (1 − revenue share of customers with risk ≥ 0.6)), data quality 0.10 (Discovery's score); each component clamped to 0–100"

    func businessHealth(
        _ context: AgentContext, trend: FinancialTrend, efficiency: OperationalEfficiency, customers: CustomerAnalytics,
        dataQuality: Double?
    ) throws -> (BusinessHealth, [Evidence]) {
        let yoy = try context.query(
            "intelligence.revenue-yoy",
            IntelligencePlans.revenueYearOverYear)
        let yoyRow = try yoy.single()
        let last = Double(yoyRow.int("last_12"))
        let prior = Double(yoyRow.int("prior_12"))
        let growth = prior > 0 ? last / prior - 1 : 0
        let overrun =
            efficiency.completedProjects > 0
            ? Double(efficiency.byType.reduce(0.0) { $0 + $1.overrunRate * Double($1.completed) }) / Double(efficiency.completedProjects)
            : 0
        func clamp(_ x: Double) -> Double { min(100, max(0, x)) }
        var components = [
            HealthComponent(
                name: "margin", score: clamp((trend.grossMarginRate ?? 0) / 0.30 * 100), weight: 0.25,
                basis: String(format: "gross margin rate %.1f%%", (trend.grossMarginRate ?? 0) * 100)),
            HealthComponent(
                name: "growth", score: clamp(50 + 250 * growth), weight: 0.20,
                basis: String(format: "year-over-year revenue growth %.1f%%", growth * 100)),
            HealthComponent(
                name: "cost control", score: clamp(100 * (1 - overrun)), weight: 0.20,
                basis: String(format: "%.1f%% of completed projects overran by more than 10%%", overrun * 100)),
            HealthComponent(
                name: "collections", score: clamp(100 * (1 - customers.lateRevenueShare)), weight: 0.15,
                basis: String(format: "%.1f%% of revenue from customers paying > 10 days late", customers.lateRevenueShare * 100)),
            HealthComponent(
                name: "credit", score: clamp(100 * (1 - customers.highRiskRevenueShare)), weight: 0.10,
                basis: String(format: "%.1f%% of revenue from customers with risk ≥ 0.6", customers.highRiskRevenueShare * 100)),
        ]
        if let dataQuality {
            components.append(
                HealthComponent(
                    name: "data quality", score: clamp(dataQuality), weight: 0.10,
                    basis: String(format: "Discovery's data-quality score %.1f", dataQuality)))
        }
        let totalWeight = components.reduce(0) { $0 + $1.weight }
        let score = components.reduce(0) { $0 + $1.score * $1.weight } / totalWeight
        return (
            BusinessHealth(score: score, formula: Self.healthFormula, components: components),
            [
                yoy.evidence(
                    [
                        NamedFigure("revenue_last_12_months", .money(Money(minorUnits: Int64(last)))),
                        NamedFigure("revenue_prior_12_months", .money(Money(minorUnits: Int64(prior)))),
                        NamedFigure("health_score", .number(score)),
                    ], method: Self.healthFormula)
            ]
        )
    }
}

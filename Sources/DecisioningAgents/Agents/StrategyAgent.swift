import DecisioningAnalytics
import DecisioningCore
import Foundation

/// Strategy: industry performance, the drivers of the latest change in margin, correlations,
/// and the risks and opportunities they point to.
public struct StrategyAgent: Agent {
    public let name = "strategy_agent"
    public let requires: [String] = []
    /// Strategy reads only the Warehouse, so it runs alongside Discovery and Intelligence.
    public let uses: [String] = []
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput {
        let industriesQuery = try context.query("industry-performance", Analyses.industryPerformance.parts[0].plan)
        let industries = industriesQuery.records.map { r in
            IndustryFigures(
                industry: r.text("industry") ?? "", projectCount: r.int("project_count"), totalBudget: r.money("total_budget"),
                costEfficiency: r.double("cost_efficiency"), revenueVolatility: r.double("revenue_volatility"))
        }
        let (drivers, driverEvidence) = try driverAnalysis(context)
        let threshold = context.threshold(name, "correlation", default: 0.3)
        let (correlations, correlationEvidence) = try self.correlations(context, threshold: threshold)

        var risks: [StrategyItem] = []
        var opportunities: [StrategyItem] = []
        var insights: [Insight] = []
        if let change = drivers.change, let industry = drivers.dimensions.first(where: { $0.dimension == "industry" }) {
            let sorted = industry.segments.sorted { $0.rateEffect < $1.rateEffect }
            if let worst = sorted.first, worst.rateEffect < -0.001 {
                let lost = try Self.lostMargin(worst)
                risks.append(
                    StrategyItem(
                        title: "Margin erosion in \(worst.segment)",
                        detail: String(
                            format:
                                "%@'s margin rate went from %.1f%% to %.1f%%, moving the overall rate by %.2f points (the overall rate moved %.2f).",
                            worst.segment, (worst.marginRateBefore ?? 0) * 100, (worst.marginRateAfter ?? 0) * 100, worst.rateEffect * 100,
                            change * 100),
                        impact: lost))
            }
            if let best = sorted.last, best.rateEffect > 0.001 {
                opportunities.append(
                    StrategyItem(
                        title: "Margin gains in \(best.segment)",
                        detail: String(
                            format: "%@ added %.2f points to the overall margin rate (%.1f%% → %.1f%%).",
                            best.segment, best.rateEffect * 100, (best.marginRateBefore ?? 0) * 100, (best.marginRateAfter ?? 0) * 100),
                        impact: nil))
            }
            insights.append(
                Insight(
                    title: String(
                        format: "Overall margin rate %@ %.2f points; largest driver: %@", change < 0 ? "fell" : "rose", abs(change) * 100,
                        drivers.topDriver ?? "none"),
                    detail: drivers.dimensions.map { d in
                        "\(d.dimension): "
                            + d.segments.prefix(3).map { String(format: "%@ %+.2f pts", $0.segment, $0.rateEffect * 100) }.joined(
                                separator: ", ")
                    }.joined(separator: "; "),
                    severity: risks.isEmpty ? .info : .high, evidence: driverEvidence))
        }
        for i in industries where (i.costEfficiency ?? 0) > 0.98 && i.projectCount > 20 {
            risks.append(
                StrategyItem(
                    title: "\(i.industry) projects spend their whole budget",
                    detail: String(
                        format: "Average actual cost is %.0f%% of budget across %lld recent projects.", (i.costEfficiency ?? 0) * 100,
                        i.projectCount), impact: nil))
        }
        if let leader = industries.first {
            opportunities.append(
                StrategyItem(
                    title: "\(leader.industry) carries the largest recent book",
                    detail:
                        "\(leader.projectCount) projects and \(Figure.money(leader.totalBudget).formatted) of budget started in the last 24 months.",
                    impact: leader.totalBudget))
        }
        insights.append(
            Insight(
                title: "\(industries.count) industries with more than 5 recent projects",
                detail: industries.prefix(4).map {
                    String(format: "%@ %@ (cost/budget %.2f)", $0.industry, Figure.money($0.totalBudget).formatted, $0.costEfficiency ?? 0)
                }.joined(separator: ", "),
                evidence: [industriesQuery.evidence([NamedFigure("industries", .count(Int64(industries.count)))])]))
        if !correlations.isEmpty {
            insights.append(
                Insight(
                    title: "\(correlations.count) correlations at or above \(threshold)",
                    detail: correlations.map { String(format: "%@ ~ %@: r = %.2f", $0.a, $0.b, $0.r) }.joined(separator: "; "),
                    evidence: [correlationEvidence]))
        }
        var recommendations = risks.filter { $0.impact != nil }.map {
            Recommendation(action: "Act on: \($0.title.lowercased())", rationale: $0.detail, evidence: driverEvidence)
        }
        // The overrun-risk model; without it the rest of the analysis still stands (degraded).
        var overrun: OverrunRisk?
        var fallback: String?
        do {
            let (risk, evidence) = try OverrunRiskModel.run(context)
            overrun = risk
            insights.append(
                Insight(
                    title: "\(risk.atRiskProjects) running projects likely to overrun by more than 10%",
                    detail: String(
                        format: "%@ (cross-validated %@ %.3f) puts their expected overrun at %@; %@.", risk.model, risk.metric,
                        risk.crossValidatedScore,
                        Figure.money(risk.atRiskExpectedOverrun).formatted,
                        risk.top.prefix(3).map {
                            "\($0.projectId) \(String(format: "%.0f%%", $0.probability * 100)) (\($0.topFactors.joined(separator: ", ")))"
                        }.joined(separator: "; ")),
                    severity: risk.atRiskProjects > 0 ? .high : .info, evidence: evidence))
            if risk.atRiskProjects > 0 {
                recommendations.append(
                    Recommendation(
                        action: "Review the \(risk.atRiskProjects) running projects with high overrun risk",
                        rationale: risk.reason, evidence: evidence))
            }
        } catch {
            fallback = "overrun-risk model not trained: \(error)"
        }
        var data = StrategyData(
            industries: industries, drivers: drivers, correlationThreshold: threshold,
            correlations: correlations, risks: risks, opportunities: opportunities)
        data.overrunRisk = overrun
        return AgentOutput(
            data: AgentData(strategy: data), insights: insights, recommendations: recommendations,
            confidence: industries.isEmpty ? 0.4 : 0.85, fallback: fallback)
    }

    /// The margin a segment would have kept at its previous rate on its latest revenue, per quarter.
    static func lostMargin(_ s: DriverSegment) throws(MoneyRangeError) -> Money {
        let rateDrop = (s.marginRateBefore ?? 0) - (s.marginRateAfter ?? 0)
        return try Money(rounding: Double(s.revenueAfter.minorUnits) * max(0, rateDrop), what: "the margin lost in \(s.segment)")
    }

    // MARK: - Drivers

    static let dimensions: [(name: String, column: String)] = [
        ("industry", "industry"), ("project type", "project_type"), ("customer rating", "credit_rating"),
    ]

    func driverAnalysis(_ context: AgentContext) throws -> (DriverAnalysis, [Evidence]) {
        let afterStart = Expr.monthStart(.asOf(months: -3))
        let end = Expr.monthStart(.asOf)
        let base = Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(
            col("metric_type").in("REVENUE", "MARGIN") && col("metric_date") >= .monthStart(.asOf(months: -6)) && col("metric_date") < end
        )
        .join(.scan("projects", ["project_id", "project_type", "customer_id"]), on: "m_project_id", equals: "project_id")
        .join(
            .scan(
                "customer_analytics", [ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("industry"), ScanColumn("credit_rating")]),
            on: "customer_id", equals: "c_customer_id", kind: .left)
        let period = NamedExpr("period", when(col("metric_date") >= afterStart, then: "after", else: "before"))
        let plans = Self.dimensions.map { d in
            (
                "strategy.drivers.\(d.column)",
                base
                    .aggregate(
                        by: [period, NamedExpr("segment", coalesce(col(d.column), "UNKNOWN"))],
                        [
                            .sum("revenue", when(col("metric_type").eq("REVENUE"), then: col("metric_value"), else: 0)),
                            .sum("margin", when(col("metric_type").eq("MARGIN"), then: col("metric_value"), else: 0)),
                        ]
                    )
                    .sort(.asc("segment"), .asc("period"))
            )
        }
        let queries = try context.query(plans)
        var dimensions: [DriverDimension] = []
        var before: (revenue: Int64, margin: Int64) = (0, 0)
        var after: (revenue: Int64, margin: Int64) = (0, 0)
        for (d, q) in zip(Self.dimensions, queries) {
            var segments: [String: (rb: Int64, mb: Int64, ra: Int64, ma: Int64)] = [:]
            for r in q.records {
                let key = r.text("segment") ?? "UNKNOWN"
                if r.text("period") == "after" {
                    segments[key, default: (0, 0, 0, 0)].ra += r.int("revenue")
                    segments[key, default: (0, 0, 0, 0)].ma += r.int("margin")
                } else {
                    segments[key, default: (0, 0, 0, 0)].rb += r.int("revenue")
                    segments[key, default: (0, 0, 0, 0)].mb += r.int("margin")
                }
            }
            let totals = segments.values.reduce((rb: Int64(0), mb: Int64(0), ra: Int64(0), ma: Int64(0))) {
                ($0.rb + $1.rb, $0.mb + $1.mb, $0.ra + $1.ra, $0.ma + $1.ma)
            }
            before = (totals.rb, totals.mb)
            after = (totals.ra, totals.ma)
            // Each segment's margin over the period's total revenue: the parts add up to the change in the
            // overall rate, split into the change of the segment's own rate and the change of its revenue share.
            let list = segments.map { key, s -> DriverSegment in
                let wa = totals.ra != 0 ? Double(s.ra) / Double(totals.ra) : 0
                let rb = s.rb != 0 ? Double(s.mb) / Double(s.rb) : nil
                let ra = s.ra != 0 ? Double(s.ma) / Double(s.ra) : nil
                let contribution =
                    (totals.ra != 0 ? Double(s.ma) / Double(totals.ra) : 0) - (totals.rb != 0 ? Double(s.mb) / Double(totals.rb) : 0)
                let rateEffect = (ra != nil && rb != nil) ? wa * (ra! - rb!) : 0
                return DriverSegment(
                    segment: key, revenueBefore: Money(minorUnits: s.rb), revenueAfter: Money(minorUnits: s.ra),
                    marginRateBefore: rb, marginRateAfter: ra, contribution: contribution, rateEffect: rateEffect,
                    mixEffect: contribution - rateEffect)
            }.sorted { abs($0.rateEffect) != abs($1.rateEffect) ? abs($0.rateEffect) > abs($1.rateEffect) : $0.segment < $1.segment }
            dimensions.append(DriverDimension(dimension: d.name, segments: list))
        }
        let rateBefore = before.revenue != 0 ? Double(before.margin) / Double(before.revenue) : nil
        let rateAfter = after.revenue != 0 ? Double(after.margin) / Double(after.revenue) : nil
        let change = rateBefore.flatMap { b in rateAfter.map { $0 - b } }
        // The top driver: the segment whose own margin rate moved the overall rate most (rate effect),
        // so that a shift in the mix of segments does not hide a collapse inside one of them.
        var top: (String, Double)?
        for d in dimensions {
            for s in d.segments where top == nil || abs(s.rateEffect) > abs(top!.1) {
                top = ("\(d.dimension) \(s.segment)", s.rateEffect)
            }
        }
        let afterFirst = context.asOf.firstOfMonth.adding(months: -3)
        let beforeFirst = context.asOf.firstOfMonth.adding(months: -6)
        let analysis = DriverAnalysis(
            metric: "gross margin rate (MARGIN ÷ REVENUE)",
            periodBefore: "\(beforeFirst.iso) … \(afterFirst.adding(days: -1).iso)",
            periodAfter: "\(afterFirst.iso) … \(context.asOf.firstOfMonth.adding(days: -1).iso)",
            marginRateBefore: rateBefore, marginRateAfter: rateAfter, change: change, dimensions: dimensions,
            topDriver: top.map { String(format: "%@ (%+.2f points)", $0.0, $0.1 * 100) })
        let evidence = queries.map { q in
            q.evidence(
                [NamedFigure("margin_rate_before", .ratio(rateBefore ?? 0)), NamedFigure("margin_rate_after", .ratio(rateAfter ?? 0))],
                method:
                    "contribution of a segment = its margin ÷ all revenue after − its margin ÷ all revenue before (they add up to the change) = rate effect (revenue share after × change of its margin rate) + mix effect; drivers ranked by rate effect"
            )
        }
        return (analysis, evidence)
    }

    // MARK: - Correlations

    static let features = ["budget", "cost_ratio", "customer_risk", "days_late", "duration_days"]

    func correlations(_ context: AgentContext, threshold: Double) throws -> ([Correlation], Evidence) {
        let plan = Plan.scan("projects", ["project_id", "status", "customer_id", "start_date", "end_date", "budget_amount", "actual_cost"])
            .filter(
                col("status").eq("COMPLETED") && col("end_date") <= .asOf && col("budget_amount") > 0
                    && col("end_date") >= col("start_date")
            )
            .join(
                .scan(
                    "customer_analytics",
                    [
                        ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("risk_score"), ScanColumn("payment_terms"),
                        ScanColumn("average_payment_days"),
                    ]),
                on: "customer_id", equals: "c_customer_id"
            )
            .project([
                NamedExpr("project_id", col("project_id")),
                NamedExpr("budget", col("budget_amount").double),
                NamedExpr("cost_ratio", col("actual_cost") / col("budget_amount")),
                NamedExpr("customer_risk", col("risk_score").double),
                NamedExpr("days_late", (col("average_payment_days") - col("payment_terms")).double),
                NamedExpr("duration_days", col("start_date").daysUntil(col("end_date")).double),
            ])
            .sort(.asc("project_id"))
        let q = try context.query("strategy.correlation-sample", plan)
        let records = q.records
        var result: [Correlation] = []
        for i in 0..<Self.features.count {
            for j in (i + 1)..<Self.features.count {
                var xs: [Double] = []
                var ys: [Double] = []
                for r in records {
                    if let x = r.double(Self.features[i]), let y = r.double(Self.features[j]) {
                        xs.append(x)
                        ys.append(y)
                    }
                }
                guard xs.count > 10, let r = Self.pearson(xs, ys), abs(r) >= threshold else { continue }
                result.append(Correlation(a: Self.features[i], b: Self.features[j], r: r, n: xs.count))
            }
        }
        result.sort { abs($0.r) > abs($1.r) }
        return (
            result,
            q.evidence(
                [NamedFigure("completed_projects", .count(Int64(records.count))), NamedFigure("threshold", .number(threshold))],
                method: "Pearson correlation of each pair of features over completed projects")
        )
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for i in 0..<x.count {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}

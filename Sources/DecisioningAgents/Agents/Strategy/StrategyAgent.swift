import DecisioningAnalytics
public import DecisioningCore
import Foundation

/// Strategy: industry performance, the drivers of the latest change in margin, correlations,
/// and the risks and opportunities they point to.
public struct StrategyAgent: Agent {
    public static let key = AgentKey<StrategyData>("strategy_agent")
    public var key: AgentKey<StrategyData> { Self.key }
    /// Strategy reads only the Warehouse, so it runs alongside Discovery and Intelligence.
    public let uses: [any AgentDependency] = []
    public init() {}

    /// The thresholds Strategy reads (`agents.strategy_agent.thresholds`).
    public var thresholds: [String: Configuration.Threshold] {
        [
            "correlation": Configuration.Threshold(0...1, default: 0.3, unit: "absolute Pearson r"),
            "automl_seconds": Configuration.Threshold(0.001...86_400, default: 120, unit: "seconds"),
            "overrun_probability": Configuration.Threshold(0...1, default: 0.5, unit: "a probability"),
            "precedent_k": Configuration.Threshold(1...1000, default: 20, unit: "similar completed projects"),
        ]
    }

    /// The industries whose own margin rate moved the overall rate most, down and up, in the last quarter.
    struct MarginMovers {
        /// The change of the overall margin rate.
        var change: Double
        /// The industry whose margin rate fell most (rate effect below −0.1 point), and the margin it lost in the quarter.
        var eroded: (segment: DriverSegment, lost: Money)?
        /// The industry whose margin rate rose most (rate effect above 0.1 point).
        var gained: DriverSegment?
    }

    public func run(_ context: AgentContext) throws -> AgentOutput<StrategyData> {
        let industriesQuery = try context.query("industry-performance", Analyses.industryPerformance.parts[0].plan)
        let industries = industriesQuery.records.map { r in
            IndustryFigures(
                industry: r.text("industry") ?? "", projectCount: r.int("project_count"), totalBudget: r.money("total_budget"),
                costEfficiency: r.double("cost_efficiency"), revenueVolatility: r.double("revenue_volatility"))
        }
        let (drivers, driverEvidence) = try driverAnalysis(context)
        let threshold = context.threshold(Self.key, "correlation", default: 0.3)
        let (correlations, correlationEvidence) = try self.correlations(context, threshold: threshold)
        // The overrun-risk model; without it the rest of the analysis still stands (degraded).
        var overrun: (risk: OverrunRisk, evidence: [Evidence])?
        var fallback: String?
        do {
            overrun = try OverrunRiskModel.run(context)
        } catch {
            fallback = "overrun-risk model not trained: \(error)"
        }
        let narrative = StrategyNarrative(
            industries: industries, drivers: drivers, movers: try Self.marginMovers(drivers),
            fullSpenders: industries.filter { ($0.costEfficiency ?? 0) > 0.98 && $0.projectCount > 20 },
            correlationThreshold: threshold, correlations: correlations, overrunRisk: overrun?.risk,
            evidence: .init(
                drivers: driverEvidence, industries: industriesQuery.evidence([NamedFigure("industries", .count(Int64(industries.count)))]),
                correlations: correlationEvidence, overrunRisk: overrun?.evidence ?? []))
        var data = StrategyData(
            industries: industries, drivers: drivers, correlationThreshold: threshold,
            correlations: correlations, risks: narrative.risks, opportunities: narrative.opportunities)
        data.overrunRisk = overrun?.risk
        return AgentOutput(
            data: data, insights: narrative.insights, recommendations: narrative.recommendations,
            confidence: industries.isEmpty ? 0.4 : 0.85, fallback: fallback)
    }

    /// The industries that moved the margin rate most; nil when there is no change to explain.
    static func marginMovers(_ drivers: DriverAnalysis) throws -> MarginMovers? {
        guard let change = drivers.change, let industry = drivers.dimensions.first(where: { $0.dimension == "industry" }) else {
            return nil
        }
        let sorted = industry.segments.sorted { $0.rateEffect < $1.rateEffect }
        var movers = MarginMovers(change: change)
        if let worst = sorted.first, worst.rateEffect < -0.001 { movers.eroded = (worst, try lostMargin(worst)) }
        if let best = sorted.last, best.rateEffect > 0.001 { movers.gained = best }
        return movers
    }

    /// The margin a segment would have kept at its previous rate on its latest revenue, per quarter.
    static func lostMargin(_ s: DriverSegment) throws(MoneyRangeError) -> Money {
        let rateDrop = (s.marginRateBefore ?? 0) - (s.marginRateAfter ?? 0)
        return try Money(rounding: Double(s.revenueAfter.minorUnits) * max(0, rateDrop), what: "the margin lost in \(s.segment)")
    }

    // MARK: - Drivers

    func driverAnalysis(_ context: AgentContext) throws -> (DriverAnalysis, [Evidence]) {
        let queries = try context.query(StrategyPlans.drivers)
        var dimensions: [DriverDimension] = []
        var before: (revenue: Int64, margin: Int64) = (0, 0)
        var after: (revenue: Int64, margin: Int64) = (0, 0)
        for (d, q) in zip(StrategyPlans.dimensions, queries) {
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
                let rateEffect = ra.flatMap { after in rb.map { before in wa * (after - before) } } ?? 0
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
            for s in d.segments where top.map({ abs(s.rateEffect) > abs($0.1) }) ?? true {
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
        let q = try context.query("strategy.correlation-sample", StrategyPlans.correlationSample)
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

import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation

/// Decision: turns the other agents' findings into ranked decisions with an expected impact in
/// money, urgency, risk and confidence; evaluates the alert rules; stores per-project scores.
///
/// Thresholds (`agents.decision_agent.thresholds`): `margin_drop_points` (5), `data_quality_score` (95),
/// `late_revenue_share` (0.25), `health_score` (60), `revenue_growth_pct` (-5), `cost_of_capital` (0.08),
/// `max_project_alerts` (20).
public struct DecisionAgent: Agent {
    public let name = "decision_agent"
    public let requires: [String] = []
    public let uses = ["discovery_agent", "intelligence_agent", "strategy_agent"]
    public init() {}

    static let urgencyWeight: [Severity: Double] = [.critical: 1.0, .high: 0.8, .medium: 0.6, .low: 0.4, .info: 0.2]

    struct Draft {
        var title: String
        var category: String
        var rationale: String
        var impact: Money
        var urgency: Severity
        var risk: Severity
        var confidence: Double
        var evidence: [Evidence]
    }

    public func run(_ context: AgentContext) throws -> AgentOutput {
        let discovery = context.inputs["discovery_agent"]
        let intelligence = context.inputs["intelligence_agent"]
        let strategy = context.inputs["strategy_agent"]
        func threshold(_ key: String, _ value: Double) -> Double { context.threshold(name, key, default: value) }
        var drafts: [Draft] = []
        var alerts: [Alert] = []
        func alert(
            _ severity: Severity, _ rule: String, _ message: String, entity: (String, String)? = nil, observed: Double? = nil,
            threshold: Double? = nil
        ) {
            alerts.append(
                Alert(
                    id: "", severity: severity, rule: rule, message: message, entityType: entity?.0, entityId: entity?.1,
                    observed: observed, threshold: threshold))
        }

        // 1. Running projects with anomalous cost: what they will overrun by if they go on like this.
        if let d = discovery?.data?.discovery {
            let high = d.anomalies.flagged.filter { $0.level == "HIGH" }
            if !high.isEmpty {
                var projectedOverrun = 0.0
                for p in high {
                    let share = Double(p.expectedCostSoFar.minorUnits) / Double(max(1, p.budget.minorUnits))
                    let projected = share > 0 ? Double(p.actualCost.minorUnits) / share : Double(p.actualCost.minorUnits)
                    projectedOverrun += max(
                        0,
                        Double(try Money(rounding: projected, what: "the projected cost of \(p.projectId)").minorUnits)
                            - Double(p.budget.minorUnits))
                }
                let exposure = try Money(rounding: projectedOverrun, what: "the projected overrun of the anomalous projects").minorUnits
                let evidence = discovery!.insights.first { $0.title.contains("anomalous cost") }?.evidence ?? []
                drafts.append(
                    Draft(
                        title: "Stop the cost overrun on \(high.count) running projects",
                        category: "cost control",
                        rationale:
                            "\(high.count) active projects spend far more than their budget share so far (worst: \(high.prefix(3).map { String(format: "%@ %.1f×", $0.projectId, $0.costRatio) }.joined(separator: ", "))). At their current burn they finish \(Figure.money(Money(minorUnits: exposure)).formatted) over budget.",
                        impact: Money(minorUnits: exposure), urgency: .critical, risk: .high, confidence: discovery!.confidence * 0.9,
                        evidence: evidence))
                alert(
                    .critical, "anomalous_cost", "\(high.count) running projects have anomalous cost (HIGH)", observed: Double(high.count),
                    threshold: 0)
                for p in high.prefix(Int(threshold("max_project_alerts", 20))) {
                    alert(
                        .high, "anomalous_cost",
                        String(
                            format: "%@ (%@) has spent %@, %.1f× its budget share so far", p.projectId, p.projectName,
                            Figure.money(p.actualCost).formatted, p.costRatio),
                        entity: ("PROJECT", p.projectId), observed: p.costRatio, threshold: nil)
                }
            }
            // 3. Data-quality faults that distort the figures.
            let serious = d.dataQuality.findings.filter { $0.severity >= .medium }
            if !serious.isEmpty {
                let ids = Set(serious.filter { $0.table == "projects" }.flatMap(\.ids))
                let atRisk = try budgetOf(context, projects: ids)
                drafts.append(
                    Draft(
                        title:
                            "Fix the data-quality faults in \(RenderFormat.plural(serious.reduce(0) { $0 + $1.affectedRows }, "row")) (\(RenderFormat.plural(serious.count, "check"))) before trusting the figures",
                        category: "data quality",
                        rationale: serious.map { "\($0.description): \($0.affectedRows)" }.joined(separator: "; ")
                            + ". The projects concerned carry \(Figure.money(atRisk).formatted) of budget.",
                        impact: atRisk, urgency: .medium, risk: .medium, confidence: 0.95, evidence: serious.map(\.evidence)))
            }
            let minimum = threshold("data_quality_score", 95)
            if d.dataQuality.score < minimum {
                alert(
                    .medium, "data_quality_score", String(format: "Data-quality score %.1f is below %.0f", d.dataQuality.score, minimum),
                    observed: d.dataQuality.score, threshold: minimum)
            }
        }

        // 2. The industry whose margin fell.
        if let s = strategy?.data?.strategy, let change = s.drivers.change,
            let industry = s.drivers.dimensions.first(where: { $0.dimension == "industry" }),
            let worst = industry.segments.min(by: { $0.rateEffect < $1.rateEffect }), worst.rateEffect < 0
        {
            let quarterly = try StrategyAgent.lostMargin(worst)
            let yearly = try Money(rounding: Double(quarterly.minorUnits) * 4, what: "the margin lost in \(worst.segment) a year")
            let points = ((worst.marginRateBefore ?? 0) - (worst.marginRateAfter ?? 0)) * 100
            if points >= threshold("margin_drop_points", 5) {
                drafts.append(
                    Draft(
                        title: "Recover the margin in \(worst.segment)",
                        category: "margin",
                        rationale: String(
                            format:
                                "%@'s margin rate fell from %.1f%% to %.1f%% between %@ and %@ (%.1f points), moving the overall rate by %.2f points (overall change %+.2f). At the old rate its latest quarter would have earned %@ more: %@ a year.",
                            worst.segment, (worst.marginRateBefore ?? 0) * 100, (worst.marginRateAfter ?? 0) * 100, s.drivers.periodBefore,
                            s.drivers.periodAfter,
                            points, worst.rateEffect * 100, change * 100, Figure.money(quarterly).formatted, Figure.money(yearly).formatted),
                        impact: yearly, urgency: points > 15 ? .critical : .high, risk: .high,
                        confidence: strategy!.confidence, evidence: strategy!.insights.first?.evidence ?? []))
                alert(
                    .high, "margin_drop", String(format: "Margin rate in %@ fell %.1f points last quarter", worst.segment, points),
                    entity: ("INDUSTRY", worst.segment), observed: points, threshold: threshold("margin_drop_points", 5))
            }
        }

        if let i = intelligence?.data?.intelligence {
            // 4. Collections.
            let lateShare = i.customers.lateRevenueShare
            if i.customers.lateCustomers > 0 {
                let rate = threshold("cost_of_capital", 0.08)
                let carryingCost =
                    Double(i.customers.revenue12Months.minorUnits) * lateShare * max(0, i.customers.avgDaysLate ?? 0) / 365 * rate
                let carrying = try Money(rounding: carryingCost, what: "the yearly cost of late payments")
                let carryingShown = try Money(rounding: carryingCost.rounded(.towardZero), what: "the yearly cost of late payments")
                drafts.append(
                    Draft(
                        title: "Tighten collections with \(i.customers.lateCustomers) late-paying customers",
                        category: "cash",
                        rationale: String(
                            format:
                                "%.1f%% of the last 12 months' revenue comes from customers paying more than 10 days past terms (revenue-weighted average %.1f days late). Financing that delay costs about %@ a year at %.0f%%.",
                            lateShare * 100, i.customers.avgDaysLate ?? 0, Figure.money(carryingShown).formatted, rate * 100),
                        impact: carrying, urgency: lateShare > threshold("late_revenue_share", 0.25) ? .high : .low, risk: .low,
                        confidence: intelligence!.confidence,
                        evidence: intelligence!.insights.first { $0.title.contains("customers") }?.evidence ?? []))
                if lateShare > threshold("late_revenue_share", 0.25) {
                    alert(
                        .medium, "late_revenue_share", String(format: "%.1f%% of revenue comes from late payers", lateShare * 100),
                        observed: lateShare, threshold: threshold("late_revenue_share", 0.25))
                }
            }
            // 5. Running projects the overrun model expects to overrun (or, without the model, the type that overruns most).
            if let risk = strategy?.data?.strategy?.overrunRisk, risk.atRiskProjects > 0 {
                drafts.append(
                    Draft(
                        title: "Rescope the \(risk.atRiskProjects) running projects most likely to overrun",
                        category: "overrun risk",
                        rationale: String(
                            format:
                                "The overrun model (%@, cross-validated %@ %.3f) gives %d running projects a probability of at least %.0f%% of ending more than 10%% over budget; their expected overrun is %@ (probability × the %.0f%% average overrun of past overruns × budget). Riskiest: %@.",
                            risk.model, risk.metric, risk.crossValidatedScore, risk.atRiskProjects, risk.probabilityThreshold * 100,
                            Figure.money(risk.atRiskExpectedOverrun).formatted, risk.averageOverrunRate * 100,
                            risk.top.prefix(3).map {
                                "\($0.projectId) (\(String(format: "%.0f%%", $0.probability * 100)): \($0.topFactors.joined(separator: ", ")))"
                            }.joined(separator: "; ")),
                        impact: risk.atRiskExpectedOverrun, urgency: .high, risk: .medium,
                        confidence: min(1, max(0.3, (risk.crossValidatedScore - 0.5) * 2)) * strategy!.confidence,
                        evidence: strategy!.insights.first { $0.title.contains("likely to overrun") }?.evidence ?? []))
            } else if let worstType = i.efficiency.byType.filter({ $0.completed >= 10 }).max(by: {
                ($0.overrunRate, $1.projectType) < ($1.overrunRate, $0.projectType)
            }), worstType.overrunRate > 0.1 {
                let active = try activeBudget(context, type: worstType.projectType)
                let averageOverrun = worstType.completed > 0 ? Double(worstType.overrunAmount.minorUnits) / Double(worstType.completed) : 0
                let expected = try Money(
                    rounding: Double(active.count) * averageOverrun, what: "the expected overrun of \(worstType.projectType) projects"
                ).minorUnits
                drafts.append(
                    Draft(
                        title: "Price in the overrun risk of \(worstType.projectType) projects",
                        category: "pricing",
                        rationale: String(
                            format:
                                "%.0f%% of completed %@ projects overran by more than 10%%, by %@ on average. The %lld running ones (budget %@) can expect %@ of overrun.",
                            worstType.overrunRate * 100, worstType.projectType,
                            Figure.money(Money(minorUnits: Int64(averageOverrun))).formatted,
                            active.count, Figure.money(active.budget).formatted, Figure.money(Money(minorUnits: expected)).formatted),
                        impact: Money(minorUnits: expected), urgency: .medium, risk: .medium, confidence: intelligence!.confidence * 0.8,
                        evidence: [active.evidence] + (intelligence!.insights.first { $0.title.contains("over budget") }?.evidence ?? [])))
            }
            if i.health.score < threshold("health_score", 60) {
                alert(
                    .high, "health_score",
                    String(format: "Business health %.0f is below %.0f", i.health.score, threshold("health_score", 60)),
                    observed: i.health.score, threshold: threshold("health_score", 60))
            }
            if let last = i.trend.months.last, let growth = last.revenueGrowthPct, growth < threshold("revenue_growth_pct", -5) {
                alert(
                    .medium, "revenue_growth", String(format: "Revenue fell %.1f%% month over month in %@", -growth, last.month.iso),
                    observed: growth, threshold: threshold("revenue_growth_pct", -5))
            }
        }

        // Rank: expected impact × urgency × confidence; ties by title for a stable order.
        let ranked = drafts.map { d -> (Draft, Double) in
            (d, Double(d.impact.minorUnits) / 100 * (Self.urgencyWeight[d.urgency] ?? 0.2) * d.confidence)
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.title < $1.0.title }
        let decisions = ranked.enumerated().map { i, item in
            Decision(
                id: "D\(i + 1)", rank: i + 1, title: item.0.title, category: item.0.category, rationale: item.0.rationale,
                expectedImpact: item.0.impact, urgency: item.0.urgency, risk: item.0.risk, confidence: item.0.confidence,
                score: item.1, evidence: item.0.evidence)
        }
        alerts.sort { $0.severity != $1.severity ? $0.severity > $1.severity : ($0.rule, $0.entityId ?? "") < ($1.rule, $1.entityId ?? "") }
        for i in alerts.indices { alerts[i].id = "A\(i + 1)" }
        let stored = try storePredictions(context, discovery?.data?.discovery)
        let insights = decisions.prefix(3).map { d in
            Insight(
                title: "#\(d.rank) \(d.title)",
                detail:
                    "Expected impact \(Figure.money(d.expectedImpact).formatted); urgency \(d.urgency.rawValue); confidence \(String(format: "%.0f%%", d.confidence * 100)).",
                severity: d.urgency, evidence: d.evidence)
        }
        let available = [discovery, intelligence, strategy].compactMap { $0 }.count
        return AgentOutput(
            data: AgentData(decision: DecisionData(decisions: decisions, alerts: alerts, predictionsStored: stored)),
            insights: insights, confidence: decisions.isEmpty ? 0.3 : Double(available) / 3 * 0.9)
    }

    func budgetOf(_ context: AgentContext, projects ids: Set<String>) throws -> Money {
        guard !ids.isEmpty else { return .zero }
        let plan = Plan.scan("projects", ["project_id", "budget_amount"]).filter(
            col("project_id").in(ids.sorted().map { Expr.literal(.text($0)) })
        )
        .aggregate([.sum("budget", when(col("budget_amount") < 0, then: -col("budget_amount"), else: col("budget_amount")))])
        return try context.query("decision.budget-at-risk", plan).first?.money("budget") ?? .zero
    }

    func activeBudget(_ context: AgentContext, type: String) throws -> (count: Int64, budget: Money, evidence: Evidence) {
        let plan = Plan.scan("projects", ["project_type", "status", "start_date", "budget_amount"])
            .filter(
                col("project_type").eq(.literal(.text(type))) && col("start_date") <= .asOf
                    && col("status").in("ACTIVE", "IN_PROGRESS", "ON_HOLD")
            )
            .aggregate([.count("projects"), .sum("budget", col("budget_amount"))])
        let q = try context.query("decision.active-budget-by-type", plan)
        let r = q.first!
        return (
            r.int("projects"), r.money("budget"),
            q.evidence([NamedFigure("running_projects", .count(r.int("projects"))), NamedFigure("budget", .money(r.money("budget")))])
        )
    }

    /// The `ml_models` id and name of the anomaly method Discovery used in this run.
    static func anomalyModel(_ method: String) -> (id: String, name: String) {
        method.hasPrefix("isolation forest")
            ? ("cost-anomaly-isolation-forest-v1", "Cost anomaly (isolation forest)")
            : ("cost-anomaly-robust-v1", "Cost anomaly (robust z-score)")
    }

    /// Stores every flagged project's anomaly score as a prediction of the method that ran (the
    /// isolation forest, or the robust statistics it falls back to), named for it in `ml_models`.
    func storePredictions(_ context: AgentContext, _ discovery: DiscoveryData?) throws -> Int {
        guard let discovery else { return 0 }
        let model = Self.anomalyModel(discovery.anomalies.method)
        let modelId = model.id
        let stamp = Value.timestamp(Timestamp(day: context.asOf))
        return try context.store.writeBatch { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels,
                columns: [
                    "model_id", "model_name", "model_type", "target_column", "feature_columns", "last_trained", "status", "model_payload",
                ], onConflict: .replace)
            _ = try models.insert([
                .text(modelId), .text(model.name), .text("anomaly_detection"), .text("cost_ratio"),
                .json("[\"actual_cost\",\"budget_amount\",\"start_date\",\"end_date\"]"), stamp, .text("ACTIVE"),
                .json(String(decoding: try JSONEncoder().encode(["method": discovery.anomalies.method]), as: UTF8.self)),
            ])
            let predictions = try writer.inserter(
                for: Catalog.modelPredictions,
                columns: ["prediction_id", "model_id", "entity_id", "prediction_value", "confidence_score", "prediction_date"],
                onConflict: .replace)
            for p in discovery.anomalies.flagged {
                _ = try predictions.insert([
                    .text("\(context.runId):\(p.projectId)"), .text(modelId), .text(p.projectId),
                    .decimal(FixedPoint.units(p.score, scale: 4)),
                    .decimal(FixedPoint.units(min(0.9999, abs(p.score - 0.5) * 2), scale: 4)), stamp,
                ])
            }
            return discovery.anomalies.flagged.count
        }
    }
}

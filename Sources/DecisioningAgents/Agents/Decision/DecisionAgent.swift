import DecisioningAnalytics
public import DecisioningCore
import DecisioningStore
import Foundation

/// Decision: turns the other agents' findings into ranked decisions with an expected impact in
/// money, urgency, risk and confidence; evaluates the alert rules; stores per-project scores.
///
/// Thresholds (`agents.decision_agent.thresholds`): `margin_drop_points` (5), `data_quality_score` (95),
/// `late_revenue_share` (0.25), `health_score` (60), `revenue_growth_pct` (-5), `cost_of_capital` (0.08),
/// `max_project_alerts` (20).
public struct DecisionAgent: Agent {
    public static let key = AgentKey<DecisionData>("decision_agent")
    public var key: AgentKey<DecisionData> { Self.key }
    public let uses: [any AgentDependency] = [DiscoveryAgent.key, IntelligenceAgent.key, StrategyAgent.key]
    public init() {}

    /// The thresholds Decision reads (`agents.decision_agent.thresholds`).
    public var thresholds: [String: Configuration.Threshold] {
        [
            "max_project_alerts": Configuration.Threshold(0...10_000, default: 20, unit: "alerts", wholeNumber: true),
            "data_quality_score": Configuration.Threshold(0...100, default: 95, unit: "points of the 0–100 score"),
            "margin_drop_points": Configuration.Threshold(0...100, default: 5, unit: "percentage points"),
            "cost_of_capital": Configuration.Threshold(0...1, default: 0.08, unit: "a yearly rate, 0.08 = 8%"),
            "late_revenue_share": Configuration.Threshold(0...1, default: 0.25, unit: "a share of revenue, 0.25 = 25%"),
            "health_score": Configuration.Threshold(0...100, default: 60, unit: "points of the 0–100 score"),
            "revenue_growth_pct": Configuration.Threshold(-100...1_000, default: -5, unit: "percent month over month"),
        ]
    }

    static let urgencyWeight: [Severity: Double] = [.critical: 1.0, .high: 0.8, .medium: 0.6, .low: 0.4, .info: 0.2]

    /// A candidate decision with its expected impact, urgency, risk, confidence and evidence.
    struct Draft {
        var candidate: DecisionCandidate
        var impact: Money
        var urgency: Severity
        var risk: Severity
        var confidence: Double
        var evidence: [Evidence]
    }

    public func run(_ context: AgentContext) throws -> AgentOutput<DecisionData> {
        let discovery = context.result(DiscoveryAgent.key)
        let intelligence = context.result(IntelligenceAgent.key)
        let strategy = context.result(StrategyAgent.key)
        func threshold(_ name: String, _ value: Double) -> Double { context.threshold(Self.key, name, default: value) }
        var drafts: [Draft] = []
        var findings: [AlertFinding] = []

        if let discovery, let d = discovery.output(DiscoveryAgent.key) {
            // 1. Running projects with anomalous cost: what they will overrun by if they go on like this.
            let high = d.anomalies.flagged.filter { $0.level == "HIGH" }
            if !high.isEmpty {
                let overrun = try Self.projectedOverrun(high)
                drafts.append(
                    Draft(
                        candidate: .stopOverrun(projects: high, projectedOverrun: overrun), impact: overrun, urgency: .critical,
                        risk: .high, confidence: discovery.confidence * 0.9,
                        evidence: discovery.insights.first { $0.title.contains("anomalous cost") }?.evidence ?? []))
                findings.append(.anomalousProjects(count: high.count))
                findings += high.prefix(Int(threshold("max_project_alerts", 20))).map { .anomalousProject($0) }
            }
            // 3. Data-quality faults that distort the figures.
            let serious = d.dataQuality.findings.filter { $0.severity >= .medium }
            if !serious.isEmpty {
                let ids = Set(serious.filter { $0.table == "projects" }.flatMap(\.ids))
                let budget = try budgetOf(context, projects: ids)
                drafts.append(
                    Draft(
                        candidate: .fixDataQuality(findings: serious, budgetConcerned: budget), impact: budget, urgency: .medium,
                        risk: .medium, confidence: 0.95, evidence: serious.map(\.evidence)))
            }
            let minimum = threshold("data_quality_score", 95)
            if d.dataQuality.score < minimum { findings.append(.dataQualityScore(score: d.dataQuality.score, minimum: minimum)) }
        }

        // 2. The industry whose margin fell.
        if let strategy, let s = strategy.output(StrategyAgent.key), let change = s.drivers.change,
            let industry = s.drivers.dimensions.first(where: { $0.dimension == "industry" }),
            let worst = industry.segments.min(by: { $0.rateEffect < $1.rateEffect }), worst.rateEffect < 0
        {
            let quarterly = try StrategyAgent.lostMargin(worst)
            let yearly = try Money(rounding: Double(quarterly.minorUnits) * 4, what: "the margin lost in \(worst.segment) a year")
            let points = ((worst.marginRateBefore ?? 0) - (worst.marginRateAfter ?? 0)) * 100
            if points >= threshold("margin_drop_points", 5) {
                drafts.append(
                    Draft(
                        candidate: .recoverMargin(
                            segment: worst, points: points, overallChange: change, periodBefore: s.drivers.periodBefore,
                            periodAfter: s.drivers.periodAfter, quarterly: quarterly, yearly: yearly),
                        impact: yearly, urgency: points > 15 ? .critical : .high, risk: .high, confidence: strategy.confidence,
                        evidence: strategy.insights.first?.evidence ?? []))
                findings.append(.marginDrop(industry: worst.segment, points: points, threshold: threshold("margin_drop_points", 5)))
            }
        }

        if let intelligence, let i = intelligence.output(IntelligenceAgent.key) {
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
                        candidate: .tightenCollections(
                            lateCustomers: i.customers.lateCustomers, lateRevenueShare: lateShare,
                            averageDaysLate: i.customers.avgDaysLate ?? 0, costOfCapital: rate, yearlyCost: carryingShown),
                        impact: carrying, urgency: lateShare > threshold("late_revenue_share", 0.25) ? .high : .low, risk: .low,
                        confidence: intelligence.confidence,
                        evidence: intelligence.insights.first { $0.title.contains("customers") }?.evidence ?? []))
                if lateShare > threshold("late_revenue_share", 0.25) {
                    findings.append(.lateRevenueShare(share: lateShare, threshold: threshold("late_revenue_share", 0.25)))
                }
            }
            // 5. Running projects the overrun model expects to overrun (or, without the model, the type that overruns most).
            if let strategy, let risk = strategy.output(StrategyAgent.key)?.overrunRisk, risk.atRiskProjects > 0 {
                drafts.append(
                    Draft(
                        candidate: .rescopeAtRiskProjects(risk), impact: risk.atRiskExpectedOverrun, urgency: .high, risk: .medium,
                        confidence: min(1, max(0.3, (risk.crossValidatedScore - 0.5) * 2)) * strategy.confidence,
                        evidence: strategy.insights.first { $0.title.contains("likely to overrun") }?.evidence ?? []))
            } else if let worstType = i.efficiency.byType.filter({ $0.completed >= 10 }).max(by: {
                ($0.overrunRate, $1.projectType) < ($1.overrunRate, $0.projectType)
            }), worstType.overrunRate > 0.1 {
                let running = try runningBudget(context, type: worstType.projectType)
                let averageOverrun = worstType.completed > 0 ? Double(worstType.overrunAmount.minorUnits) / Double(worstType.completed) : 0
                let expected = try Money(
                    rounding: Double(running.count) * averageOverrun, what: "the expected overrun of \(worstType.projectType) projects")
                drafts.append(
                    Draft(
                        candidate: .priceInOverrunRisk(
                            type: worstType, averageOverrun: Money(minorUnits: Int64(averageOverrun)), running: running.count,
                            runningBudget: running.budget, expectedOverrun: expected),
                        impact: expected, urgency: .medium, risk: .medium, confidence: intelligence.confidence * 0.8,
                        evidence: [running.evidence] + (intelligence.insights.first { $0.title.contains("over budget") }?.evidence ?? [])))
            }
            if i.health.score < threshold("health_score", 60) {
                findings.append(.healthScore(score: i.health.score, threshold: threshold("health_score", 60)))
            }
            if let last = i.trend.months.last, let growth = last.revenueGrowthPct, growth < threshold("revenue_growth_pct", -5) {
                findings.append(.revenueGrowth(growthPct: growth, month: last.month, threshold: threshold("revenue_growth_pct", -5)))
            }
        }

        // Rank: expected impact × urgency × confidence; ties by title for a stable order.
        let ranked = drafts.map { d -> (draft: Draft, title: String, score: Double) in
            (
                d, DecisionNarrative.title(d.candidate),
                Double(d.impact.minorUnits) / 100 * (Self.urgencyWeight[d.urgency] ?? 0.2) * d.confidence
            )
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.title < $1.title }
        let decisions = ranked.enumerated().map { i, item in
            Decision(
                id: "D\(i + 1)", rank: i + 1, title: item.title, category: item.draft.candidate.category,
                rationale: DecisionNarrative.rationale(item.draft.candidate), expectedImpact: item.draft.impact,
                urgency: item.draft.urgency, risk: item.draft.risk, confidence: item.draft.confidence, score: item.score,
                evidence: item.draft.evidence)
        }
        var alerts = findings.map { f in
            Alert(
                id: "", severity: f.severity, rule: f.rule, message: DecisionNarrative.message(f), entityType: f.entity?.type,
                entityId: f.entity?.id, observed: f.observed, threshold: f.threshold)
        }
        alerts.sort { $0.severity != $1.severity ? $0.severity > $1.severity : ($0.rule, $0.entityId ?? "") < ($1.rule, $1.entityId ?? "") }
        for i in alerts.indices { alerts[i].id = "A\(i + 1)" }
        let stored = try storePredictions(context, discovery?.output(DiscoveryAgent.key))
        let available = [discovery, intelligence, strategy].compactMap { $0 }.count
        return AgentOutput(
            data: DecisionData(decisions: decisions, alerts: alerts, predictionsStored: stored),
            insights: DecisionNarrative.insights(decisions), confidence: decisions.isEmpty ? 0.3 : Double(available) / 3 * 0.9)
    }

    /// What the projects finish over budget if they go on spending at their current rate: Σ (cost to
    /// date ÷ share of the budget expected so far − budget), each at least 0. Where actual_cost holds
    /// the estimate at completion (Discovery's reconciliation), that estimate is the projected cost.
    static func projectedOverrun(_ projects: [ProjectAnomaly]) throws -> Money {
        var projectedOverrun = 0.0
        for p in projects {
            let share = Double(p.expectedCostSoFar.minorUnits) / Double(max(1, p.budget.minorUnits))
            let toDate = Double((p.costToDate ?? p.actualCost).minorUnits)
            let projected = p.estimateAtCompletion.map { Double($0.minorUnits) } ?? (share > 0 ? toDate / share : toDate)
            projectedOverrun += max(
                0,
                Double(try Money(rounding: projected, what: "the projected cost of \(p.projectId)").minorUnits)
                    - Double(p.budget.minorUnits))
        }
        return try Money(rounding: projectedOverrun, what: "the projected overrun of the anomalous projects")
    }

    func budgetOf(_ context: AgentContext, projects ids: Set<String>) throws -> Money {
        guard !ids.isEmpty else { return .zero }
        return try context.query("decision.budget-at-risk", DecisionPlans.budget(of: ids)).first?.money("budget") ?? .zero
    }

    func runningBudget(_ context: AgentContext, type: String) throws -> (count: Int64, budget: Money, evidence: Evidence) {
        let q = try context.query("decision.active-budget-by-type", DecisionPlans.runningBudget(type: type))
        let r = try q.single()
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
        // Where Discovery found actual_cost not to be the cost to date, the cost came from the ledger.
        let ledger = [.atCompletion, .inconsistent].contains(discovery.ledgerReconciliation?.cost.convention)
        let method = ModelRegistry.Method(
            modelId: model.id, name: model.name, task: "anomaly_detection", target: "cost_ratio",
            features: ["actual_cost", "budget_amount", "start_date", "end_date"]
                + (ledger ? ["financial_metrics.metric_value (COST)"] : []),
            trainedAsOf: context.asOf,
            payload: ["method": discovery.anomalies.method])
        let predictions = discovery.anomalies.flagged.map { p in
            (entity: p.projectId, value: p.score, confidence: min(0.9999, abs(p.score - 0.5) * 2))
        }
        try ModelRegistry.save(
            method, predictions: predictions, runId: context.runId, to: context.store, cancellation: context.cancellation)
        return predictions.count
    }
}

import DecisioningAnalytics
public import DecisioningCore
import DecisioningLearning
import Foundation

/// Discovery: what data there is (catalog), how trustworthy it is (data-quality findings and a
/// score), the data landscape, what the money fields mean against the ledger, and which running
/// projects spend anomalously.
public struct DiscoveryAgent: Agent {
    public static let key = AgentKey<DiscoveryData>("discovery_agent")
    public var key: AgentKey<DiscoveryData> { Self.key }
    public init() {}

    static let dataTables = [Catalog.customerAnalytics, Catalog.projects, Catalog.financialMetrics, Catalog.businessEvents]

    /// The method until the Learning issue's isolation forest arrives; named in every result.
    static let anomalyMethod =
        "robust z-score (median / 1.4826·MAD) of log(cost to date ÷ budget share of the months booked so far), score = logistic(z − 3)"

    /// The thresholds Discovery reads (`agents.discovery_agent.thresholds`).
    public var thresholds: [String: Configuration.Threshold] {
        ["precedent_k": Configuration.Threshold(1...1000, default: 20, unit: "similar completed projects")]
    }

    public func run(_ context: AgentContext) throws -> AgentOutput<DiscoveryData> {
        let catalog = try profileTables(context)
        let quality = try dataQuality(context, rows: Dictionary(uniqueKeysWithValues: catalog.map { ($0.table, $0.rows) }))
        let landscape = try self.landscape(context)
        // Both reconciliations read the ledger by project: asked together, it is computed once.
        let ledger = try context.query([
            ("discovery.running-projects-with-ledger", DiscoveryPlans.runningWithLedger),
            ("discovery.revenue-with-ledger", DiscoveryPlans.revenueByCustomer),
        ])
        let cost = try reconcileCost(context, ledger[0])
        let reconciliation = LedgerReconciliation(cost: cost.cost, revenue: try reconcileRevenue(context, ledger[1]))
        var anomalies = try self.anomalies(context, cost)
        // Precedent for the most anomalous running projects: how the completed projects most like them ended.
        let first = anomalies.report.flagged.prefix(AnomalyReport.precedentCount).map(\.projectId)
        if !first.isEmpty {
            let (precedents, _) = try context.precedents(for: first, k: Int(context.threshold(Self.key, "precedent_k", default: 20)))
            for i in anomalies.report.flagged.indices.prefix(AnomalyReport.precedentCount) {
                anomalies.report.flagged[i].precedent = precedents[anomalies.report.flagged[i].projectId]
            }
        }
        let data = DiscoveryData(
            catalog: catalog, dataQuality: quality, landscape: landscape.figures, anomalies: anomalies.report,
            ledgerReconciliation: reconciliation)
        let narrative = DiscoveryNarrative(
            data: data, asOf: context.asOf, landscapeEvidence: landscape.evidence, anomalyEvidence: anomalies.evidence)
        // Confidence falls with data-quality problems, with a small number of scored projects, and when
        // what actual_cost holds could not be told.
        let consistent = cost.cost.convention == .inconsistent ? 0.8 : 1
        let confidence = max(0.3, min(1, quality.score / 100) * (anomalies.report.scored >= 30 ? 1 : 0.7) * consistent)
        return AgentOutput(
            data: data, insights: narrative.insights, recommendations: narrative.recommendations,
            confidence: anomalies.fallback == nil ? confidence : confidence * 0.8, fallback: anomalies.fallback)
    }

    // MARK: - Data quality

    /// Rows per table as of the date, the denominators of the quality score.
    func rowsAsOf(_ context: AgentContext, current: [String: Int64]) throws -> [String: Int64] {
        var rows = current
        rows["projects"] = try context.query("discovery.quality.projects-as-of", DiscoveryPlans.projectsAsOf.aggregate([.count("n")]))
            .first?.int("n")
        rows["financial_metrics"] = try context.query(
            "discovery.quality.metrics-as-of", DiscoveryPlans.metricsAsOf.aggregate([.count("n")])
        ).first?
        .int("n")
        return rows
    }

    static let severityPenalty: [Severity: Double] = [.critical: 10, .high: 4, .medium: 2, .low: 1, .info: 0]

    func dataQuality(_ context: AgentContext, rows rowsByTable: [String: Int64]) throws -> DataQualityReport {
        let rowsByTable = try rowsAsOf(context, current: rowsByTable)
        var findings: [DataQualityFinding] = []
        for check in DiscoveryPlans.checks() {
            let ids = try context.query(
                "discovery.quality.\(check.name)",
                check.plan.project([NamedExpr(check.idColumn, col(check.idColumn))]).sort(.asc(check.idColumn)))
            guard !ids.rows.isEmpty else { continue }
            // Rows are counted; ids are listed once each (metric checks list the projects concerned).
            let all = ids.rows.map { $0[0].description }
            var seen = Set<String>()
            let list = all.filter { seen.insert($0).inserted }
            findings.append(
                DataQualityFinding(
                    check: check.name, description: check.description, table: check.table, severity: check.severity,
                    affectedRows: Int64(all.count), ids: Array(list.prefix(200)),
                    evidence: ids.evidence([NamedFigure("affected_rows", .count(Int64(all.count)))])))
        }
        // Duplicate-looking customers: the same name once case, spacing and punctuation are ignored.
        let customers = try context.query(
            "discovery.quality.customer_names",
            Plan.scan("customer_analytics", ["customer_id", "customer_name", "industry"]).sort(.asc("customer_id")))
        var byKey: [String: [String]] = [:]
        var order: [String] = []
        for r in customers.records {
            let name = (r.text("customer_name") ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
            guard !name.isEmpty else { continue }
            let key = name + "|" + (r.text("industry") ?? "")
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(try r.requiredText("customer_id"))
        }
        let groups = order.compactMap { byKey[$0] }.filter { $0.count > 1 }
        if !groups.isEmpty {
            let ids = groups.flatMap { $0 }
            findings.append(
                DataQualityFinding(
                    check: "duplicate_customer",
                    description: "customers whose names differ only in case, spacing or punctuation (same industry)",
                    table: "customer_analytics", severity: .medium, affectedRows: Int64(ids.count), ids: Array(ids.prefix(200)),
                    evidence: customers.evidence(
                        [NamedFigure("duplicate_groups", .count(Int64(groups.count)))],
                        method: "names lower-cased, letters and digits only, grouped with the industry")))
        }
        var score = 100.0
        for f in findings {
            let rows = max(1, rowsByTable[f.table] ?? 1)
            score -= (Self.severityPenalty[f.severity] ?? 0) + 100 * Double(f.affectedRows) / Double(rows)
        }
        return DataQualityReport(score: max(0, score), findings: findings)
    }

    // MARK: - Landscape

    func landscape(_ context: AgentContext) throws -> (figures: Landscape, evidence: Evidence) {
        let q = try context.query("landscape", Analyses.landscape.parts[0].plan)
        let r = try q.single()
        let figures = Landscape(
            totalProjects: r.int("total_projects"), totalCustomers: r.int("total_customers"),
            totalBudget: r.money("total_budget"), totalCosts: r.money("total_costs"),
            avgRiskScore: r.double("avg_risk_score"), metricTypes: r.int("metric_types"))
        return (
            figures,
            q.evidence([
                NamedFigure("total_projects", .count(figures.totalProjects)),
                NamedFigure("total_customers", .count(figures.totalCustomers)),
                NamedFigure("total_budget", .money(figures.totalBudget)), NamedFigure("total_costs", .money(figures.totalCosts)),
            ])
        )
    }

    // MARK: - Anomalies

    static let forestMethod =
        "isolation forest (100 trees, 256-row samples, seeded) over log(cost to date ÷ budget share of the months booked) of the running projects; its score calibrated as logistic(z − 3) with z the robust z-score (median / 1.4826·MAD) of the forest score"

    func anomalies(_ context: AgentContext, _ reading: CostReading) throws -> (
        report: AnomalyReport, evidence: Evidence, fallback: String?
    ) {
        let q = reading.query
        let convention = reading.cost.convention
        // Costs are booked by whole months up to the month before as-of (ProjectFeatures.budgetShare); the
        // cost to date is what the reconciliation says the data supports (actual_cost, or the ledger).
        struct Candidate {
            var record: Record
            var expected: Double
            var ratio: Double
            var cost: ScoredCost
        }
        var candidates: [Candidate] = []
        for p in reading.projects where Self.scoredStatuses.contains(p.status) {
            guard let cost = Self.scoredCost(p, convention: convention) else { continue }
            let expected = Double(p.budget) * p.share
            candidates.append(Candidate(record: p.record, expected: expected, ratio: cost.cost / expected, cost: cost))
        }
        let rows = candidates.map { [log($0.ratio), log(Double($0.record.int("budget_amount")) / 100)] }
        // The isolation forest learns what finished projects looked like; the robust z-score of the
        // cost ratio is the fallback when it cannot be trained.
        var method = Self.forestMethod
        var fallback: String?
        var raw: [Double]
        do {
            // Trained on the running projects themselves: completed projects include the finished
            // overruns (up to 1.6× budget), which would make the milder planted anomalies look normal.
            guard rows.count >= 20 else { throw AgentError("only \(rows.count) running projects with cost to learn from (20 needed)") }
            let forest = try IsolationForest.fit(rows.map { [$0[0]] }, trees: 100, sampleSize: 256, seed: context.seed)
            raw = forest.scores(rows.map { [$0[0]] })
        } catch {
            fallback = "robust statistics instead of the isolation forest: \(error)"
            method = Self.anomalyMethod
            raw = rows.map { $0[0] }
        }
        let median = Self.median(raw)
        let mad = Self.median(raw.map { abs($0 - median) }) * 1.4826
        // Anomalous *cost* means spending above the norm: the forest also isolates projects far under
        // their budget share, which are not flagged here.
        let typicalRatio = Self.median(rows.map { $0[0] })
        var flagged: [ProjectAnomaly] = []
        var levels = ["HIGH": 0, "MEDIUM": 0, "LOW": 0]
        for (i, (c, value)) in zip(candidates, raw).enumerated() {
            let z = mad > 0 && rows[i][0] > typicalRatio ? (value - median) / mad : 0
            let score = 1 / (1 + exp(-(z - 3)))
            let level = score > 0.8 ? "HIGH" : score > 0.5 ? "MEDIUM" : "LOW"
            levels[level, default: 0] += 1
            guard level != "LOW" else { continue }
            let r = c.record
            flagged.append(
                ProjectAnomaly(
                    projectId: try r.requiredText("project_id"), projectName: r.text("project_name") ?? "", status: r.text("status") ?? "",
                    industry: r.text("industry"), budget: r.money("budget_amount"), actualCost: r.money("actual_cost"),
                    expectedCostSoFar: try Money(
                        rounding: c.expected, what: "the expected cost so far of \(r.text("project_id") ?? "a project")"),
                    costRatio: c.ratio, robustZ: z, score: score,
                    level: level, customerRisk: r.double("risk_score"),
                    costToDate: try Money(rounding: c.cost.cost, what: "the cost to date of \(r.text("project_id") ?? "a project")"),
                    costBasis: c.cost.basis, estimateAtCompletion: c.cost.estimateAtCompletion.map { Money(minorUnits: $0) }))
        }
        flagged.sort { $0.score != $1.score ? $0.score > $1.score : $0.projectId < $1.projectId }
        let report = AnomalyReport(method: method, scored: candidates.count, levels: levels, flagged: flagged)
        return (
            report,
            q.evidence(
                [
                    NamedFigure("scored_projects", .count(Int64(candidates.count))),
                    NamedFigure("high", .count(Int64(levels["HIGH"] ?? 0))),
                    NamedFigure("medium", .count(Int64(levels["MEDIUM"] ?? 0))),
                    NamedFigure("actual_cost_convention", .text(convention.rawValue)),
                ], method: method + "; cost to date: " + reading.cost.scoringBasis), fallback
        )
    }

    static func median(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

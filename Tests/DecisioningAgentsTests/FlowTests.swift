import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import DecisioningTestSupport
import Foundation
import Testing

/// One generated company and two full runs of the flow over it, shared by the planted-truth tests.
struct FlowFixture: Sendable {
    let store: SQLiteStore
    let truth: GroundTruth
    let first: RunResults
    let second: RunResults

    static func make() async throws -> FlowFixture {
        let asOf = Day(iso: "2026-11-25")!
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent("flow.sqlite").path)
        let truth = try Generator(spec: GeneratorSpec(scale: 0.03, seed: 21, asOf: asOf)).generate(into: store)
        let first = try await FlowRunner(store: store, configuration: Configuration()).run(
            analysis: "strategic_business_health", asOf: asOf)
        // A second runner with a fresh Warehouse: the same inputs must give the same results.
        let second = try await FlowRunner(store: store, configuration: Configuration()).run(
            analysis: "strategic_business_health", asOf: asOf)
        return FlowFixture(store: store, truth: truth, first: first, second: second)
    }

    func sql(_ query: String, _ types: [ColumnType]) throws -> [[Value]] {
        try store.query(query, arguments: [], columnTypes: types)
    }
}

/// Builds the fixture once for all tests.
actor FlowFixtureCache {
    static let shared = FlowFixtureCache()
    private var task: Task<FlowFixture, any Error>?

    func fixture() async throws -> FlowFixture {
        if task == nil { task = Task { try await FlowFixture.make() } }
        return try await task!.value
    }
}

@Suite struct FlowTests {

    @Test func everyAgentSucceeds() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        #expect(fixture.first.agents.map(\.agent) == AgentRegistry.standard.names)
        for a in fixture.first.agents { #expect(a.status == .succeeded, "\(a.agent): \(a.error ?? a.fallback ?? "")") }
        #expect(fixture.first.run.status == .succeeded)
        #expect(!fixture.first.decisions.isEmpty)
        #expect(fixture.first.executive?.headline.isEmpty == false)
    }

    @Test func discoveryFindsThePlantedAnomalies() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let discovery = try #require(fixture.first.discovery)
        let planted = Set(fixture.truth.anomalousProjects)
        #expect(planted.count >= 20)
        let top = discovery.anomalies.flagged.prefix(2 * planted.count).map(\.projectId)
        let recall = Double(planted.intersection(top).count) / Double(planted.count)
        #expect(recall >= 0.8, "recall in the top \(2 * planted.count): \(recall)")
        // Precision: the flags must be mostly the planted projects, not everything. Flagging every scored project
        // (or ranking at random) has the planted share of the scored projects as precision, far below these bounds.
        let scored = discovery.anomalies.scored
        let baseRate = Double(planted.count) / Double(scored)
        let topN = discovery.anomalies.flagged.prefix(planted.count).map(\.projectId)
        let precisionTopN = Double(planted.intersection(topN).count) / Double(planted.count)
        let high = discovery.anomalies.flagged.filter { $0.level == "HIGH" }.map(\.projectId)
        let precisionHigh = Double(planted.intersection(high).count) / Double(max(1, high.count))
        let precisionFlagged =
            Double(planted.intersection(discovery.anomalies.flagged.map(\.projectId)).count)
            / Double(max(1, discovery.anomalies.flagged.count))
        print(
            "anomalies: planted \(planted.count), scored \(scored), flagged \(discovery.anomalies.flagged.count), HIGH \(high.count); "
                + "recall@2N \(recall), precision@N \(precisionTopN), precision(HIGH) \(precisionHigh), precision(flagged) \(precisionFlagged), "
                + "flag-everything precision \(baseRate)")
        #expect(baseRate < 0.25, "the planted share \(baseRate) is too high for precision to tell flagging everything apart")
        #expect(precisionTopN >= 0.75, "precision in the top \(planted.count): \(precisionTopN) (flagging everything: \(baseRate))")
        #expect(
            !high.isEmpty && precisionHigh >= 0.6,
            "share of HIGH that are planted: \(precisionHigh) of \(high.count) (flagging everything: \(baseRate))")
        #expect(discovery.anomalies.method.hasPrefix("isolation forest"))
        #expect(discovery.anomalies.flagged.allSatisfy { $0.level == "HIGH" || $0.level == "MEDIUM" })
    }

    @Test func discoveryReportsThePlantedDataQualityFaults() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let findings = try #require(fixture.first.discovery).dataQuality.findings
        func ids(_ check: String) -> Set<String> { Set(findings.first { $0.check == check }?.ids ?? []) }
        let dq = fixture.truth.dataQuality
        #expect(Set(dq.orphanCustomerProjects).isSubset(of: ids("orphan_customer")))
        #expect(Set(dq.negativeBudgetProjects).isSubset(of: ids("negative_budget")))
        #expect(Set(dq.endBeforeStartProjects).isSubset(of: ids("end_before_start")))
        #expect(Set(dq.riskScoreOutOfRangeCustomers).isSubset(of: ids("risk_out_of_range")))
        #expect(Set(dq.negativePaymentDaysCustomers).isSubset(of: ids("negative_payment_days")))
        #expect(Set(dq.duplicateCustomers.flatMap { $0 }).isSubset(of: ids("duplicate_customer")))
        #expect(try #require(fixture.first.discovery).dataQuality.score < 100)
    }

    @Test func strategyNamesTheIndustryWhoseMarginDropped() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let drivers = try #require(fixture.first.strategy).drivers
        let industry = try #require(drivers.dimensions.first { $0.dimension == "industry" })
        #expect(industry.segments.first?.segment == fixture.truth.marginDrop.industry)
        #expect(drivers.topDriver?.hasPrefix("industry \(fixture.truth.marginDrop.industry)") == true)
        #expect(fixture.first.decisions.contains { $0.title == "Recover the margin in \(fixture.truth.marginDrop.industry)" })
        // The segments' contributions add up to the change of the overall rate.
        let sum = industry.segments.reduce(0) { $0 + $1.contribution }
        #expect(abs(sum - (drivers.change ?? 0)) < 1e-9)
    }

    @Test func financialFiguresMatchAnIndependentComputation() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let trend = try #require(fixture.first.intelligence).trend
        let revenue = try fixture.sql(
            """
            SELECT SUM(metric_value) FROM financial_metrics
            WHERE metric_type = 'REVENUE' AND metric_date >= '2025-11-25' AND metric_date < '2026-11-25'
            """, [.money])
        #expect(revenue[0][0] == .decimal(trend.totalRevenue.minorUnits))
        #expect(trend.months.count == 12)
        let october = try fixture.sql(
            "SELECT SUM(metric_value) FROM financial_metrics WHERE metric_type = 'COST' AND metric_date = '2026-10-31'", [.money])
        #expect(october[0][0] == .decimal(trend.months.last!.cost.minorUnits))
        let landscape = try #require(fixture.first.discovery).landscape
        let projects = try fixture.sql(
            "SELECT COUNT(*), SUM(budget_amount) FROM projects WHERE start_date >= '2024-11-25' AND start_date <= '2026-11-25'",
            [.integer, .money])
        #expect(projects[0] == [.integer(landscape.totalProjects), .decimal(landscape.totalBudget.minorUnits)])
        let completed = try fixture.sql("SELECT COUNT(*) FROM projects WHERE status = 'COMPLETED' AND budget_amount > 0", [.integer])
        #expect(completed[0][0] == .integer(try #require(fixture.first.intelligence).efficiency.completedProjects))
    }

    @Test func twoRunsGiveTheSameResultsApartFromIdsAndTimings() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        func normalised(_ r: RunResults) throws -> String {
            var copy = r
            copy.run.runId = ""
            copy.run.startedAt = Timestamp(seconds: 0)
            copy.run.finishedAt = Timestamp(seconds: 0)
            copy.run.durationMs = 0
            for i in copy.agents.indices { copy.agents[i].durationMs = 0 }
            return String(decoding: try copy.encoded(), as: UTF8.self)
        }
        let a = try normalised(fixture.first)
        let b = try normalised(fixture.second)
        #expect(a == b)
        #expect(fixture.first.run.runId != fixture.second.run.runId)
    }

    @Test func theRunIsPersisted() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let id = fixture.first.run.runId
        let runs = try fixture.store.query(
            "SELECT status FROM analysis_runs WHERE run_id = ?", arguments: [.text(id)], columnTypes: [.longText])
        #expect(runs == [[.text("succeeded")]])
        let agents = try fixture.store.query(
            "SELECT COUNT(*) FROM agent_results WHERE run_id = ?", arguments: [.text(id)], columnTypes: [.integer])
        #expect(agents == [[.integer(6)]])
        let decisions = try fixture.store.query(
            "SELECT COUNT(*) FROM decisions WHERE run_id = ?", arguments: [.text(id)], columnTypes: [.integer])
        #expect(decisions == [[.integer(Int64(fixture.first.decisions.count))]])
        let alerts = try fixture.store.query(
            "SELECT COUNT(*) FROM alerts WHERE run_id = ?", arguments: [.text(id)], columnTypes: [.integer])
        #expect(alerts == [[.integer(Int64(fixture.first.alerts.count))]])
        let anomalies = try fixture.store.query(
            "SELECT COUNT(*) FROM model_predictions WHERE prediction_id LIKE ? AND model_id = 'cost-anomaly-isolation-forest-v1'",
            arguments: [.text(id + ":%")], columnTypes: [.integer])
        #expect(anomalies == [[.integer(Int64(fixture.first.discovery!.anomalies.flagged.count))]])
        let risk = try #require(fixture.first.strategy?.overrunRisk)
        let overrun = try fixture.store.query(
            "SELECT COUNT(*) FROM model_predictions WHERE prediction_id LIKE ? AND model_id = 'overrun-risk'",
            arguments: [.text(id + ":%")], columnTypes: [.integer])
        #expect(overrun == [[.integer(Int64(risk.scoredProjects))]])
    }

    @Test func everyDecisionCarriesEvidence() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        for d in fixture.first.decisions {
            #expect(!d.evidence.isEmpty, "\(d.title)")
            #expect(d.evidence.allSatisfy { $0.sql?.contains("SELECT") ?? ($0.method != nil) }, "\(d.title)")
            #expect(d.expectedImpact.minorUnits >= 0)
        }
        #expect(fixture.first.decisions.map(\.rank) == Array(1...fixture.first.decisions.count))
    }

    @Test func resultsValidateAgainstTheirSchema() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let validator = try SchemaValidator(file: resultsSchemaPath)
        let problems = try validator.violations(of: try fixture.first.encoded())
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        // The validator does catch a broken document.
        var broken = try JSONSerialization.jsonObject(with: try fixture.first.encoded()) as! [String: Any]
        broken["surprise"] = 1
        var run = broken["run"] as! [String: Any]
        run["status"] = "maybe"
        broken["run"] = run
        let bad = try validator.violations(of: try JSONSerialization.data(withJSONObject: broken))
        #expect(bad.contains("$: unexpected property surprise"))
        #expect(bad.contains { $0.hasPrefix("$.run.status: \"maybe\" is not one of") })
    }

    @Test func aFailedBranchDegradesTheRunInsteadOfKillingIt() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        /// Stands in for Strategy (same key, so it takes Strategy's place in the registry) and fails.
        struct Broken: Agent {
            let key = StrategyAgent.key
            let uses: [any AgentDependency] = [DiscoveryAgent.key]
            func run(_ context: AgentContext) throws -> AgentOutput<StrategyData> {
                throw AgentError("the strategy data source is unreachable")
            }
        }
        let registry = AgentRegistry.standard.registering(Broken())
        #expect(registry.names == AgentRegistry.standard.names)
        let results = try await FlowRunner(store: fixture.store, configuration: Configuration(), registry: registry)
            .run(analysis: "strategic_business_health", asOf: Day(iso: "2026-11-25")!)
        #expect(results.run.status == .degraded)
        #expect(results.result(StrategyAgent.key)?.status == .failed)
        #expect(results.result(StrategyAgent.key)?.error == "the strategy data source is unreachable")
        #expect(results.result(DecisionAgent.key)?.status == .degraded)
        #expect(results.result(DecisionAgent.key)?.fallback?.contains("strategy_agent") == true)
        #expect(!results.decisions.isEmpty)
        #expect(!results.decisions.contains { $0.category == "margin" })
        let problems = try SchemaValidator(file: resultsSchemaPath).violations(of: try results.encoded())
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func reportsAndDashboardShowTheRunsOwnFigures() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let results = fixture.first
        let outputs = Dictionary(uniqueKeysWithValues: ReportRenderer.outputs(results).map { ($0.format, $0.content) })
        let markdown = try #require(outputs["markdown"])
        let html = try #require(outputs["html"])
        let dashboard = try #require(outputs["dashboard"])
        let revenue = Figure.money(try #require(results.intelligence).trend.totalRevenue).formatted
        let topIndustry = try #require(results.strategy?.industries.first?.industry)
        for (name, page) in [("report.md", markdown), ("report.html", html), ("dashboard.html", dashboard)] {
            #expect(page.contains(results.run.runId), "\(name) names the run")
            #expect(page.contains(results.decisions[0].title), "\(name) shows the first decision")
        }
        #expect(markdown.contains(revenue) || html.contains(revenue), "the report shows the exact 12-month revenue \(revenue)")
        #expect(dashboard.contains(topIndustry))
        #expect(dashboard.contains(results.discovery!.anomalies.flagged[0].projectId))
        #expect(!dashboard.contains("<script") && !dashboard.contains("https://") && !dashboard.contains("http://"))
    }

    /// Precedent is evidence a reader sees: the cost-overrun decision says how the completed projects most like one of
    /// its projects ended, compared at the same point of their schedule, in the decision and in the report.
    @Test func theCostOverrunDecisionCitesPrecedentOnProgress() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let results = fixture.first
        let flagged = try #require(results.discovery?.anomalies.flagged.first { $0.precedent?.progress != nil })
        let precedent = try #require(flagged.precedent)
        #expect(precedent.featurizer == "project-case@1+burn")
        let decision = try #require(results.decisions.first { $0.title.hasPrefix("Stop the cost overrun") })
        #expect(decision.rationale.contains("completed projects most like \(flagged.projectId) at "), "\(decision.rationale)")
        #expect(decision.rationale.contains(precedent.sentence(about: flagged.projectId)))
        let markdown = try #require(
            Dictionary(uniqueKeysWithValues: ReportRenderer.outputs(results).map { ($0.format, $0.content) })["markdown"])
        #expect(markdown.contains("of the schedule (it has booked"))
    }

    /// Discovery and Strategy find precedents among the same projects and ledger, read once per run by whichever agent
    /// asks first: the evidence names the shared queries, never an agent's own, and says what was compared.
    @Test func precedentsComeFromOneReadOfTheProjectsAndTheLedgerPerRun() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let strategy = try #require(fixture.first.result(StrategyAgent.key))
        let evidence = strategy.insights.flatMap(\.evidence) + strategy.recommendations.flatMap(\.evidence)
        let precedent = try #require(evidence.first { $0.analysis == "precedent.completed" })
        #expect(!evidence.contains { $0.analysis.contains("strategy.precedent") })
        let figures = Dictionary(uniqueKeysWithValues: precedent.figures.map { ($0.name, $0.figure) })
        let top = try #require(fixture.first.strategy?.overrunRisk?.top)
        #expect(figures["precedents_on_progress"] == Figure.count(Int64(top.filter { $0.precedent?.progress != nil }.count)))
        #expect(top.contains { $0.precedent?.progress != nil })
        #expect(precedent.sql?.contains("projects") == true)
    }

    @Test func theOverrunModelIsTrainedStoredAndExplained() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let risk = try #require(fixture.first.strategy?.overrunRisk)
        #expect(risk.crossValidatedScore >= 0.65, "cross-validated AUC \(risk.crossValidatedScore)")
        #expect(risk.trials.count >= 3)
        #expect(risk.top.allSatisfy { $0.probability >= 0 && $0.probability <= 1 && !$0.topFactors.isEmpty })
        #expect(risk.top.map(\.expectedOverrun) == risk.top.map(\.expectedOverrun).sorted(by: >))
        // The stored model predicts exactly what the run predicted, for every project it scored.
        let stored = try ModelRegistry.load("overrun-risk", from: fixture.store)
        #expect(stored.features == stored.model.featureNames)
        let verdict = try Self.repredict(stored, fixture: fixture, runId: fixture.second.run.runId)  // the last run stored the model
        #expect(verdict.rows == risk.scoredProjects && verdict.rows == fixture.second.strategy?.overrunRisk?.scoredProjects)
        #expect(verdict.valueMismatches.isEmpty, "stored prediction ≠ stored model's: \(verdict.valueMismatches.prefix(5))")
        #expect(verdict.confidenceMismatches.isEmpty, "\(verdict.confidenceMismatches.prefix(5))")
        print("overrun model \(risk.model): \(verdict.rows) stored predictions re-predicted, \(verdict.valueMismatches.count) differ")
        // The run's own probabilities (in memory, not rounded to 4 places) are reproduced to the bit.
        for run in [fixture.first, fixture.second] {
            let top = try #require(run.strategy?.overrunRisk?.top)
            #expect(top.count == min(50, risk.scoredProjects))
            for project in top {
                let p = try #require(verdict.repredicted[project.projectId], "\(project.projectId) has no stored prediction")
                #expect(
                    p.bitPattern == project.probability.bitPattern, "\(project.projectId): stored model \(p), run \(project.probability)")
            }
        }
        // And the first run's stored predictions are the second's.
        let firstRun = try Self.repredict(stored, fixture: fixture, runId: fixture.first.run.runId)
        #expect(firstRun.rows == verdict.rows && firstRun.valueMismatches.isEmpty)
        #expect(fixture.first.decisions.contains { $0.category == "overrun risk" })
    }

    /// Rebuilds the overrun model's features for every project the run `runId` stored a prediction for, straight
    /// from SQL (features by name: `customer_risk` = risk_score, `days_late` = average_payment_days − payment_terms,
    /// `log_budget` = ln(budget in currency units), `type_<t>` one-hot), predicts with the stored model and compares
    /// with the stored value (DECIMAL(15,4): exactly the run's probability rounded to 4 places) and confidence.
    static func repredict(_ stored: ModelRegistry.Record, fixture: FlowFixture, runId: String) throws
        -> (rows: Int, repredicted: [String: Double], valueMismatches: [String], confidenceMismatches: [String])
    {
        let rows = try fixture.store.query(
            """
            SELECT m.entity_id, m.prediction_value, m.confidence_score, p.project_type, p.budget_amount, c.risk_score, c.payment_terms, c.average_payment_days
            FROM model_predictions m JOIN projects p ON p.project_id = m.entity_id LEFT JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE m.model_id = 'overrun-risk' AND m.prediction_id LIKE ? ORDER BY m.entity_id
            """, arguments: [.text(runId + ":%")],
            columnTypes: [
                .longText, .decimal(precision: 15, scale: 4), .decimal(precision: 5, scale: 4), .longText, .money,
                .decimal(precision: 3, scale: 2), .integer, .decimal(precision: 5, scale: 1),
            ])
        var repredicted: [String: Double] = [:]
        var valueMismatches: [String] = []
        var confidenceMismatches: [String] = []
        for row in rows {
            guard case .text(let id) = row[0], case .decimal(let value) = row[1], case .decimal(let confidence) = row[2] else {
                valueMismatches.append("unreadable row \(row)")
                continue
            }
            let type: String = if case .text(let t) = row[3] { t } else { "" }
            let budget: Int64 = if case .decimal(let b) = row[4] { b } else { 0 }
            let risk: Double = if case .decimal(let r) = row[5] { Double(r) / 100 } else { .nan }
            let late: Double =
                if case .integer(let terms) = row[6], case .decimal(let days) = row[7] { Double(days) / 10 - Double(terms) } else { .nan }
            let x = stored.features.map { name -> Double in
                switch name {
                case "customer_risk": return risk
                case "days_late": return late
                case "log_budget": return log(Double(max(1, budget)) / 100)
                case let n where n.hasPrefix("type_"): return n == "type_" + type.lowercased() ? 1 : 0
                default: return .infinity  // an unknown feature: the comparison below fails
                }
            }
            let p = stored.model.predict(x)
            repredicted[id] = p
            if FixedPoint.units(p, scale: 4) != value {
                valueMismatches.append("\(id): stored \(FixedPoint.format(value, scale: 4)), model \(p)")
            }
            if FixedPoint.units(min(0.9999, max(0, abs(p - 0.5) * 2)), scale: 4) != confidence {
                confidenceMismatches.append("\(id): stored \(FixedPoint.format(confidence, scale: 4)), model \(p)")
            }
        }
        return (rows.count, repredicted, valueMismatches, confidenceMismatches)
    }
}

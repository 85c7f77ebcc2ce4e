import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// A company generated under one actual_cost convention (optionally altered), with Discovery run on it.
struct ConventionFixture: Sendable {
    static let asOf = Day(iso: "2026-11-25")!

    let store: SQLiteStore
    let truth: GroundTruth
    let discovery: DiscoveryData
    let insights: [Insight]

    /// A company generated under `convention` into a fresh SQLite file: its path and planted truth.
    static func generate(_ convention: ActualCostConvention) throws -> (path: String, truth: GroundTruth) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("c.sqlite").path
        let store = try SQLiteStore(path: path)
        let truth = try Generator(spec: GeneratorSpec(scale: 0.03, seed: 21, asOf: asOf, actualCost: convention)).generate(into: store)
        try store.checkpoint()
        return (path, truth)
    }

    /// Discovery over a copy of the generated company; `alter` changes the copy first (scrambling actual_cost, cutting the ledger).
    static func make(_ base: (path: String, truth: GroundTruth), alter: (@Sendable (SQLiteStore) throws -> Void)? = nil) throws
        -> ConventionFixture
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("c.sqlite").path
        try FileManager.default.copyItem(atPath: base.path, toPath: path)
        let store = try SQLiteStore(path: path)
        try alter?(store)
        let output = try DiscoveryAgent().run(
            AgentContext(
                warehouse: Warehouse(store: store), store: store, configuration: Configuration(), asOf: asOf, seed: 42, runId: "convention",
                inputs: [:], cancellation: CancellationFlag()))
        return ConventionFixture(store: store, truth: base.truth, discovery: output.data, insights: output.insights)
    }

    /// Share of the planted anomalies among the first 2 × their count flagged.
    var recall: Double {
        let planted = Set(truth.anomalousProjects)
        let top = discovery.anomalies.flagged.prefix(2 * planted.count).map(\.projectId)
        return Double(planted.intersection(top).count) / Double(max(1, planted.count))
    }

    /// The running projects' (id, budget, actual_cost, start, end) as stored.
    func running() throws -> [(id: String, budget: Int64, actual: Int64, start: Day, end: Day)] {
        try store.query(
            "SELECT project_id, budget_amount, actual_cost, start_date, end_date FROM projects WHERE status IN ('ACTIVE','IN_PROGRESS') AND budget_amount > 0 AND actual_cost > 0 AND end_date IS NOT NULL ORDER BY project_id",
            arguments: [], columnTypes: [.text(maxLength: 50), .money, .money, .date, .date]
        ).compactMap { row in
            guard case .text(let id) = row[0], case .decimal(let budget) = row[1], case .decimal(let actual) = row[2],
                case .date(let start) = row[3], case .date(let end) = row[4]
            else { return nil }
            return (id, budget, actual, start, end)
        }
    }

    /// Permutes actual_cost among the running projects (a seeded shuffle): it no longer follows any convention.
    static func scramble(_ store: SQLiteStore) throws {
        let rows = try store.query(
            "SELECT project_id, actual_cost FROM projects WHERE status IN ('ACTIVE','IN_PROGRESS','ON_HOLD') ORDER BY project_id",
            arguments: [], columnTypes: [.text(maxLength: 50), .money])
        var costs = rows.map { $0[1] }
        var rng = SeededRandom(seed: 7)
        for i in stride(from: costs.count - 1, to: 0, by: -1) { costs.swapAt(i, rng.int(0...i)) }
        try store.writeBatch { writer in
            for (row, cost) in zip(rows, costs) {
                guard case .decimal(let cents) = cost else { continue }
                try writer.execute("UPDATE projects SET actual_cost = ? WHERE project_id = ?", arguments: [.integer(cents), row[0]])
            }
        }
    }

    /// Deletes the last two months of COST, REVENUE and MARGIN rows of every third running project: partial ledgers.
    static func cutLedger(_ store: SQLiteStore) throws {
        try store.writeBatch { writer in
            try writer.execute(
                """
                DELETE FROM financial_metrics WHERE metric_date >= ? AND project_id IN (
                  SELECT project_id FROM projects WHERE status IN ('ACTIVE','IN_PROGRESS','ON_HOLD') AND CAST(SUBSTR(project_id, 2) AS INTEGER) % 3 = 0)
                """, arguments: [.date(asOf.firstOfMonth.adding(months: -2))])
        }
    }
}

/// Each convention's company is generated once; each fixture runs Discovery on its own copy.
actor ConventionFixtures {
    static let shared = ConventionFixtures()
    private var bases: [ActualCostConvention: Task<(path: String, truth: GroundTruth), any Error>] = [:]
    private var tasks: [String: Task<ConventionFixture, any Error>] = [:]

    func base(_ convention: ActualCostConvention) async throws -> (path: String, truth: GroundTruth) {
        if let task = bases[convention] { return try await task.value }
        let task = Task { try ConventionFixture.generate(convention) }
        bases[convention] = task
        return try await task.value
    }

    func fixture(
        _ name: String, _ convention: ActualCostConvention, alter: (@Sendable (SQLiteStore) throws -> Void)? = nil
    ) async throws -> ConventionFixture {
        if let task = tasks[name] { return try await task.value }
        let base = try await base(convention)
        if let task = tasks[name] { return try await task.value }
        let task = Task { try ConventionFixture.make(base, alter: alter) }
        tasks[name] = task
        return try await task.value
    }

    func toDate() async throws -> ConventionFixture { try await fixture("to-date", .toDate) }
    func atCompletion() async throws -> ConventionFixture { try await fixture("at-completion", .atCompletion) }
}

@Suite struct CostConventionTests {
    @Test(arguments: ActualCostConvention.allCases)
    func theConventionIsDetectedAndThePlantedAnomaliesFound(_ convention: ActualCostConvention) async throws {
        let f = try await convention == .toDate ? ConventionFixtures.shared.toDate() : ConventionFixtures.shared.atCompletion()
        let cost = try #require(f.discovery.ledgerReconciliation).cost
        let expected: LedgerReconciliation.Convention = convention == .toDate ? .toDate : .atCompletion
        #expect(f.truth.actualCostConvention == convention)
        #expect(cost.convention == expected, "shares: to-date \(cost.shareToDate), at-completion \(cost.shareAtCompletion)")
        #expect(cost.comparable >= 100)
        #expect((convention == .toDate ? cost.shareToDate : cost.shareAtCompletion) >= 0.9)
        let planted = f.truth.anomalousProjects.count
        print(
            "convention \(convention.rawValue): planted \(planted), recall@2N \(f.recall), detected \(cost.convention.rawValue), "
                + "readings \(cost.readings.sorted { $0.key < $1.key }), share to-date \(cost.shareToDate), at-completion \(cost.shareAtCompletion), "
                + "median actual/ledger \(cost.medianActualToLedger ?? .nan), actual/linear EAC \(cost.medianActualToLinearEstimate ?? .nan)"
        )
        #expect(planted >= 20)
        #expect(f.recall >= 0.9, "recall in the top \(2 * planted) under \(convention.rawValue): \(f.recall)")
        // Every flagged project says what its cost to date is and where it comes from.
        let basis = convention == .toDate ? "actual_cost" : "ledger"
        #expect(f.discovery.anomalies.flagged.allSatisfy { $0.costBasis == basis && $0.costToDate != nil })
        #expect(f.discovery.anomalies.flagged.allSatisfy { ($0.estimateAtCompletion != nil) == (convention == .atCompletion) })
        // The finding carries its plan's SQL and the counts behind the decision.
        #expect(cost.evidence.sql?.contains("financial_metrics") == true)
        #expect(cost.evidence.figures.contains { $0.name == "convention" && $0.figure == .text(expected.rawValue) })
        #expect(!cost.examples.isEmpty)
        #expect(f.insights.contains { $0.title.hasPrefix("projects.actual_cost") && $0.evidence.contains { $0.sql != nil } })
        // total_revenue is the revenue booked so far under both conventions; the ledger's margins add up.
        let revenue = try #require(f.discovery.ledgerReconciliation).revenue
        #expect(revenue.convention == .toDate && revenue.share >= 0.95, "\(revenue.matching) of \(revenue.customers)")
        #expect(revenue.marginMismatches == 0 && revenue.ledgerProjects > 1000)
    }

    /// The old scoring (actual_cost ÷ budget share, whatever actual_cost holds) fails on estimates at
    /// completion: it ranks the youngest projects first. The data must tell the two apart for the test
    /// above to mean anything.
    @Test func theOldScoringFailsOnEstimatesAtCompletion() async throws {
        let f = try await ConventionFixtures.shared.atCompletion()
        let planted = Set(f.truth.anomalousProjects)
        let ranked = try f.running().compactMap { p -> (String, Double)? in
            guard let share = ProjectFeatures.budgetShare(start: p.start, end: p.end, asOf: ConventionFixture.asOf) else { return nil }
            return (p.id, ProjectFeatures.costAnomalyRow(budget: p.budget, actualCost: p.actual, share: share)[0])
        }.sorted { $0.1 > $1.1 }
        let top = ranked.prefix(2 * planted.count).map(\.0)
        let oldRecall = Double(planted.intersection(top).count) / Double(planted.count)
        print("at-completion, old ratio actual_cost ÷ budget share: recall@2N \(oldRecall)")
        #expect(oldRecall < 0.6, "the old ratio should miss the planted anomalies on estimates at completion: \(oldRecall)")
        #expect(f.recall >= 0.9)
    }

    @Test func scrambledActualCostIsInconsistentAndScoredOnTheLedger() async throws {
        let f = try await ConventionFixtures.shared.fixture("scrambled", .toDate, alter: ConventionFixture.scramble)
        let cost = try #require(f.discovery.ledgerReconciliation).cost
        #expect(cost.convention == .inconsistent, "shares: to-date \(cost.shareToDate), at-completion \(cost.shareAtCompletion)")
        #expect(cost.shareToDate < 0.8 && cost.shareAtCompletion < 0.8)
        #expect(cost.scoringBasis.contains("not scored"))
        #expect(f.discovery.anomalies.flagged.allSatisfy { $0.costBasis == "ledger" || $0.costBasis == "ledger_extrapolated" })
        print("scrambled: recall@2N \(f.recall), readings \(cost.readings.sorted { $0.key < $1.key }), unscored \(cost.unscored)")
        #expect(f.recall >= 0.9)
        #expect(f.insights.contains { $0.title.contains("neither") && $0.severity == .high })
    }

    @Test func partialLedgersAreLeftOutOfTheVoteAndScoredOnTheEstimate() async throws {
        let f = try await ConventionFixtures.shared.fixture("at-completion-partial", .atCompletion, alter: ConventionFixture.cutLedger)
        let cost = try #require(f.discovery.ledgerReconciliation).cost
        #expect(cost.convention == .atCompletion)
        #expect((cost.readings["partial_ledger"] ?? 0) > 50)
        let bases = Set(f.discovery.anomalies.flagged.compactMap(\.costBasis))
        #expect(bases.isSubset(of: ["ledger", "estimate_at_completion"]))
        print("at-completion with partial ledgers: recall@2N \(f.recall), bases \(bases.sorted())")
        #expect(f.recall >= 0.8)
    }

    @Test func withoutALedgerActualCostIsReadAsCostToDateUnverified() async throws {
        let f = try await ConventionFixtures.shared.fixture("no-ledger", .toDate) { store in
            try store.writeBatch { try $0.execute("DELETE FROM financial_metrics", arguments: []) }
        }
        let reconciliation = try #require(f.discovery.ledgerReconciliation)
        #expect(reconciliation.cost.convention == .unverified)
        #expect(reconciliation.cost.comparable == 0 && (reconciliation.cost.readings["no_ledger"] ?? 0) > 100)
        #expect(reconciliation.revenue.convention == .unverified)
        #expect(f.discovery.anomalies.flagged.allSatisfy { $0.costBasis == "actual_cost" })
        #expect(f.recall >= 0.9)
    }

    @Test func theFlowsResultsCarryTheReconciliation() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let discovery = try #require(fixture.first.discovery)
        #expect(discovery.ledgerReconciliation?.cost.convention == .toDate)
        let json = String(decoding: try fixture.first.encoded(), as: UTF8.self)
        #expect(json.contains("\"ledger_reconciliation\""))
        #expect(json.contains("\"scoring_basis\""))
    }
}

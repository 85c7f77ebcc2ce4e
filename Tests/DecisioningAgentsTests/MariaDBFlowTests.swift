import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningSynth
import DecisioningTestSupport
import Foundation
import Testing

/// The whole flow on MariaDB: the same company gives the same results as on the embedded store,
/// and a server that dies mid-run ends the run instead of hanging it.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct MariaDBFlowTests {
    static let asOf = Day(iso: "2026-11-25")!
    static let spec = GeneratorSpec(scale: 0.03, seed: 21, asOf: asOf)

    static func normalised(_ r: RunResults) throws -> String {
        var copy = r
        copy.run.runId = ""
        copy.run.database = ""
        copy.run.startedAt = Timestamp(seconds: 0)
        copy.run.finishedAt = Timestamp(seconds: 0)
        copy.run.durationMs = 0
        for i in copy.agents.indices { copy.agents[i].durationMs = 0 }
        return String(decoding: try copy.encoded(), as: UTF8.self)
    }

    @Test func theFlowOnMariaDBGivesTheEmbeddedStoresResults() async throws {
        let db = try TestServer.main().scratchDatabase("flow")
        defer { db.drop() }
        try db.store.migrate()
        let mariaTruth = try Generator(spec: Self.spec).generate(into: db.store)
        let onMaria = try await FlowRunner(store: db.store, configuration: Configuration()).run(
            analysis: "strategic_business_health", asOf: Self.asOf)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("maria-flow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sqlite = try SQLiteStore(path: dir.appendingPathComponent("flow.sqlite").path)
        let sqliteTruth = try Generator(spec: Self.spec).generate(into: sqlite)
        let embedded = try await FlowRunner(store: sqlite, configuration: Configuration()).run(
            analysis: "strategic_business_health", asOf: Self.asOf)

        #expect(mariaTruth.anomalousProjects == sqliteTruth.anomalousProjects)
        #expect(onMaria.run.status == embedded.run.status)
        #expect(onMaria.agents.map(\.status) == embedded.agents.map(\.status))
        let a = try Self.normalised(onMaria)
        let b = try Self.normalised(embedded)
        #expect(a == b)
        if a != b {
            // Name the first difference, so a failure says where the stores disagree.
            let index = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            let start = a.index(a.startIndex, offsetBy: max(0, index - 200))
            Issue.record("first difference near: \(a[start...].prefix(400))")
        }
        let persisted = try await db.store.query(
            "SELECT status FROM analysis_runs WHERE run_id = ?", arguments: [.text(onMaria.run.runId)], columnTypes: [.longText])
        #expect(persisted == [[.text(onMaria.run.status.rawValue)]])
    }

    @Test func aServerThatDiesMidRunEndsTheRunWithoutHanging() async throws {
        let server = try TestServer.plain()
        let db = try server.scratchDatabase("dies", pool: .init(minConnections: 1, maxConnections: 6, connectionTimeout: 3))
        var restarted = false
        defer {
            if !restarted { try? server.control("restart") }
            db.drop()
        }
        try db.store.migrate()
        _ = try Generator(spec: GeneratorSpec(scale: 0.1, seed: 5, asOf: Self.asOf)).generate(into: db.store)
        var configuration = Configuration()
        for name in AgentRegistry.standard.names { configuration.agents[name] = .init(enabled: true, timeout: 20, retries: 1) }
        configuration.workflow.retryBackoffSeconds = 0.1
        let store = db.store
        let clock = ContinuousClock()
        let started = clock.now
        let run = Task {
            try await FlowRunner(store: store, configuration: configuration).run(analysis: "strategic_business_health", asOf: Self.asOf)
        }
        try await Task.sleep(for: .milliseconds(300))
        try server.control("kill")
        let outcome = await run.result
        let elapsed = clock.now - started
        try server.control("restart")
        restarted = true
        switch outcome {
        case .success(let results):
            // Agents that lost the server failed (after their retry) and the run says so.
            #expect(results.run.status != .succeeded)
            #expect(results.agents.contains { $0.status == .failed || $0.status == .skipped })
        case .failure(let error):
            // Persisting the run needs the server too: the error says the connection was lost or refused.
            let text = "\(error)"
            #expect(text.contains("connect") || text.contains("lost"), "unexpected error: \(text)")
        }
        #expect(elapsed < .seconds(60))
    }

    /// An agent that waits on the database far longer than its timeout.
    struct SleepingAgent: Agent {
        let key = AgentKey<String>("sleeper")
        func run(_ context: AgentContext) throws -> AgentOutput<String> {
            _ = try context.store.query("SELECT SLEEP(20)", arguments: [], columnTypes: [.integer], cancellation: context.cancellation)
            throw AgentError("the sleep ended instead of being killed")
        }
    }

    @Test func anAgentThatTimesOutHasItsStatementKilled() async throws {
        // One connection, a 3 s wait for it: a statement left running would starve everything after the run.
        let db = try TestServer.main().scratchDatabase("timeout", pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 3))
        defer { db.drop() }
        try db.store.migrate()
        var configuration = Configuration()
        configuration.agents["sleeper"] = .init(enabled: true, timeout: 0.5, retries: 0)
        let store = db.store
        let warehouse = Warehouse(store: db.store)
        let frozen = configuration
        let results = await Orchestrator(agents: [SleepingAgent()], configuration: configuration).run(makeContext: { inputs, flag in
            AgentContext(
                warehouse: warehouse, store: store, configuration: frozen, asOf: Self.asOf, seed: 1, runId: "timeout",
                inputs: inputs, cancellation: flag)
        })
        #expect(results[0].status == .failed)
        #expect(results[0].error == "timed out after 0.5 s (agents.sleeper.timeout)")
        #expect(try await store.query("SELECT 1", arguments: [], columnTypes: [.integer]) == [[.integer(1)]])
        let admin = try MySQLConnection(try db.server.options())
        let sleeping = try admin.textRows(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '\(db.name)' AND info LIKE 'SELECT SLEEP%'")
        #expect(sleeping.first?.first ?? nil == "0")
    }
}

import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Synchronization
import Testing

/// A configurable test agent: it returns, throws, hangs or fails retryably, and records concurrency.
struct ScriptedAgent: Agent {
    enum Behaviour: Sendable {
        case succeed, fail
        /// Ignores its flag until `release` is signalled, then tries to write a batch.
        case hang(release: DispatchSemaphore, wrote: Tracker)
        case failOnce(Tracker)
        case sleep(Double, Tracker)
        case meet(Int, Tracker)
    }
    /// What a scripted agent outputs: its name and the inputs it saw.
    struct Script: Codable, Sendable {
        var name: String
        var inputs: [String]
    }

    let key: AgentKey<Script>
    var requires: [any AgentDependency] = []
    var uses: [any AgentDependency] = []
    let behaviour: Behaviour

    init(name: String, requires: [String] = [], uses: [String] = [], behaviour: Behaviour) {
        key = AgentKey(name)
        self.requires = requires.map { AgentKey<Script>($0) }
        self.uses = uses.map { AgentKey<Script>($0) }
        self.behaviour = behaviour
    }

    func run(_ context: AgentContext) throws -> AgentOutput<Script> {
        switch behaviour {
        case .succeed:
            break
        case .fail:
            throw AgentError("boom in \(name)")
        case .hang(let release, let wrote):
            // Ignores cancellation on purpose: the orchestrator must not wait for it.
            _ = wrote.enter()
            release.wait()
            do {
                try context.store.writeBatch(cancellation: context.cancellation) { writer in
                    let inserter = try writer.inserter(
                        for: Catalog.projects, columns: ["project_id", "project_name", "start_date", "status"], onConflict: .fail)
                    _ = try inserter.insert([.text("LATE"), .text("late"), .date(context.asOf), .text("ACTIVE")])
                }
                wrote.note("committed")
            } catch {
                wrote.note("\(error)")
            }
            wrote.leave()
        case .failOnce(let tracker):
            if tracker.enter() == 1 { throw AgentError("transient", retryable: true) }
        case .sleep(let seconds, let tracker):
            _ = tracker.enter()
            Thread.sleep(forTimeInterval: seconds)
            tracker.leave()
        case .meet(let count, let tracker):
            // Waits (up to 30 s) until `count` agents are inside at once: only a concurrent run gets there.
            _ = tracker.enter()
            let deadline = Date().addingTimeInterval(30)
            while tracker.maxInside < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            tracker.leave()
        }
        return AgentOutput(
            data: Script(name: name, inputs: context.inputs.keys.sorted()),
            insights: [Insight(title: "\(name) ran with inputs \(context.inputs.keys.sorted())", detail: "", evidence: [])], confidence: 1)
    }
}

/// Counts calls and the largest number of agents inside at once, and keeps notes.
final class Tracker: Sendable {
    private struct Counts {
        var calls = 0
        var inside = 0
        var maxInside = 0
        var notes: [String] = []
    }
    private let counts = Mutex(Counts())
    var maxInside: Int { counts.withLock { $0.maxInside } }
    var inside: Int { counts.withLock { $0.inside } }
    var notes: [String] { counts.withLock { $0.notes } }
    func enter() -> Int {
        counts.withLock {
            $0.calls += 1
            $0.inside += 1
            $0.maxInside = max($0.maxInside, $0.inside)
            return $0.calls
        }
    }
    func leave() { counts.withLock { $0.inside -= 1 } }
    func note(_ text: String) { counts.withLock { $0.notes.append(text) } }
}

@Suite struct OrchestratorTests {
    let store: any Store
    let warehouse: Warehouse

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orchestrator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let s = try SQLiteStore(path: dir.appendingPathComponent("o.sqlite").path)
        try s.migrate()
        store = s
        warehouse = Warehouse(store: s)
    }

    func run(
        _ agents: [any Agent], clock: any Clock<Duration> = ContinuousClock(), configure: (inout Configuration) -> Void = { _ in }
    ) async -> [AgentResult] {
        var configuration = Configuration()
        configuration.workflow.retryBackoffSeconds = 0.01
        configure(&configuration)
        let store = self.store
        let warehouse = self.warehouse
        let frozen = configuration
        return await Orchestrator(agents: agents, configuration: configuration, clock: clock).run(makeContext: { inputs, flag in
            AgentContext(
                warehouse: warehouse, store: store, configuration: frozen, asOf: Day(iso: "2026-11-25")!, seed: 1, runId: "test",
                inputs: inputs, cancellation: flag)
        })
    }

    @Test func aThrowingAgentFailsAndItsDependentsSkipOrDegrade() async {
        let results = await run([
            ScriptedAgent(name: "a", behaviour: .fail),
            ScriptedAgent(name: "b", requires: ["a"], behaviour: .succeed),
            ScriptedAgent(name: "c", uses: ["a"], behaviour: .succeed),
            ScriptedAgent(name: "d", behaviour: .succeed),
        ])
        #expect(results.map(\.status) == [.failed, .skipped, .degraded, .succeeded])
        #expect(results[0].error == "boom in a")
        #expect(results[1].error?.hasPrefix("requires a, which failed") == true)
        #expect(results[2].fallback == "ran without a, which did not finish")
        #expect(results[2].insights.first?.title == "c ran with inputs []")
    }

    /// The timeout is measured on a clock the test advances: the agent times out exactly when the
    /// clock passes its timeout, the run goes on without waiting for it, and what the agent tries
    /// to write after that is rolled back.
    @Test func aHangingAgentTimesOutAndCannotWriteAfterwards() async throws {
        let clock = ManualClock()
        let release = DispatchSemaphore(value: 0)
        let wrote = Tracker()
        let run = Task {
            await self.run(
                [
                    ScriptedAgent(name: "slow", behaviour: .hang(release: release, wrote: wrote)),
                    ScriptedAgent(name: "after", uses: ["slow"], behaviour: .succeed),
                ], clock: clock
            ) { $0.agents["slow"] = Configuration.Agent(enabled: true, timeout: 0.5, retries: 0) }
        }
        try await clock.waitForSleepers(1)
        // The agent may wait for a thread of the shared pool while other suites run beside this one.
        while wrote.inside == 0 { try await Task.sleep(for: .milliseconds(5)) }
        clock.advance(by: .milliseconds(499))
        #expect(wrote.inside == 1, "not timed out before its time")
        clock.advance(by: .milliseconds(1))
        let results = await run.value
        #expect(results[0].status == .failed)
        #expect(results[0].error == "timed out after 0.5 s (agents.slow.timeout)")
        #expect(results[1].status == .degraded)
        // The agent is still inside: the run did not wait for it. Now let it try to write.
        #expect(wrote.inside == 1)
        release.signal()
        while wrote.inside > 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(wrote.notes == ["write batch was cancelled"])
        #expect(try store.rowCount("projects") == 0)
    }

    /// An agent that finishes before its time is not touched by the timer.
    @Test func anAgentThatFinishesInTimeSucceeds() async throws {
        let clock = ManualClock()
        let results = await run([ScriptedAgent(name: "quick", behaviour: .succeed)], clock: clock) {
            $0.agents["quick"] = Configuration.Agent(enabled: true, timeout: 0.5, retries: 0)
        }
        #expect(results[0].status == .succeeded)
        #expect(clock.sleepers == 0, "the timer was cancelled with the attempt")
    }

    @Test func retryableErrorsAreRetried() async {
        let tracker = Tracker()
        let results = await run([ScriptedAgent(name: "flaky", behaviour: .failOnce(tracker))]) {
            $0.agents["flaky"] = Configuration.Agent(enabled: true, timeout: 5, retries: 2)
        }
        #expect(results[0].status == .succeeded)
        #expect(results[0].attempts == 2)
        let noRetries = await run([ScriptedAgent(name: "flaky", behaviour: .failOnce(Tracker()))]) {
            $0.agents["flaky"] = Configuration.Agent(enabled: true, timeout: 5, retries: 0)
        }
        #expect(noRetries[0].status == .failed)
        #expect(noRetries[0].error == "transient")
    }

    @Test func concurrencyFollowsTheConfiguration() async {
        for limit in [1, 2] {
            let tracker = Tracker()
            let agents = (0..<3).map { ScriptedAgent(name: "s\($0)", behaviour: .sleep(0.3, tracker)) }
            let results = await run(agents) { $0.workflow.maxConcurrentAgents = limit }
            #expect(results.allSatisfy { $0.status == .succeeded })
            #expect(tracker.maxInside <= limit)
            if limit == 1 { #expect(tracker.maxInside == 1) }
        }
        // Serial execution passes the bound above; agents that wait for each other show the
        // orchestrator really runs `limit` at once (a serial one would keep them apart for 30 s each).
        let tracker = Tracker()
        let agents = (0..<3).map { ScriptedAgent(name: "m\($0)", behaviour: .meet(2, tracker)) }
        let started = ContinuousClock.now
        let results = await run(agents) { $0.workflow.maxConcurrentAgents = 2 }
        #expect(results.allSatisfy { $0.status == .succeeded })
        #expect(tracker.maxInside == 2)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func disabledAgentsAreSkippedAndInputsFlow() async {
        let results = await run([
            ScriptedAgent(name: "first", behaviour: .succeed),
            ScriptedAgent(name: "off", behaviour: .succeed),
            ScriptedAgent(name: "last", uses: ["first", "off"], behaviour: .succeed),
        ]) { $0.agents["off"] = Configuration.Agent(enabled: false) }
        #expect(results[1].status == .skipped)
        #expect(results[1].error == "disabled in the configuration (agents.off.enabled)")
        #expect(results[2].status == .degraded)
        #expect(results[2].insights.first?.title == "last ran with inputs [\"first\"]")
        #expect(results[2].output(AgentKey<ScriptedAgent.Script>("last"))?.inputs == ["first"])
        #expect(results[2].output(AgentKey<ScriptedAgent.Script>("first")) == nil, "a key reads only its own agent's result")
    }
}

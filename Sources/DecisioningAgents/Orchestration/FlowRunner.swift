public import DecisioningAnalytics
public import DecisioningCore
public import DecisioningStore
public import Foundation

/// Runs the whole flow for one as-of date: the orchestrated agents, the assembled results,
/// their persistence in the Store, and the output files.
public struct FlowRunner: Sendable {
    public let store: any Store
    public let warehouse: Warehouse
    public let configuration: Configuration
    /// The agents the flow runs, in its order.
    public let registry: AgentRegistry
    /// Times the agents' timeouts and retry delays.
    public let clock: any Clock<Duration>
    /// Where the agents, the delivery and the persistence run.
    public let pool: BlockingPool
    /// Called inside the batch that stores the run, after its rows (the alerts' lifecycle and the
    /// webhook outbox): what it writes commits with the run, and if it throws, nothing is stored.
    public let alongside: (@Sendable (any BatchWriter, RunResults) throws -> Void)?

    public init(
        store: any Store, warehouse: Warehouse? = nil, configuration: Configuration, registry: AgentRegistry = .standard,
        clock: any Clock<Duration> = ContinuousClock(), pool: BlockingPool = .shared,
        alongside: (@Sendable (any BatchWriter, RunResults) throws -> Void)? = nil
    ) {
        self.store = store
        self.warehouse = warehouse ?? Warehouse(store: store)
        self.configuration = configuration
        self.registry = registry
        self.clock = clock
        self.pool = pool
        self.alongside = alongside
    }

    /// Runs every agent and returns the results, persisted in the Store. When the calling task is
    /// cancelled, the agents stop and the run is stored as `cancelled` with what had finished.
    ///
    /// `deliver` (writing the output files, say) runs before the run is stored: a run stored as
    /// succeeded has delivered. It gets the results and their JSON (`RunResults.encoded()`, the
    /// document the run is stored with), encoded once for both. If it throws, the run is stored as
    /// failed and `FlowDeliveryError` says which run and why.
    ///
    /// `runId` is the id the run is stored under; nil makes a new one (`FlowRunner.newRunId()`).
    /// A caller that must know the id before the run ends (to report it, or to find its files) passes its own.
    public func run(
        analysis: String, asOf: Day, runId: String? = nil, progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in },
        deliver: (@Sendable (RunResults, _ json: Data) throws -> Void)? = nil
    ) async throws -> RunResults {
        let startedMilliseconds = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let started = Timestamp(seconds: startedMilliseconds / 1000)
        let clock = ContinuousClock()
        let start = clock.now
        let runId = runId ?? Self.makeRunId(milliseconds: startedMilliseconds)
        let warehouse = self.warehouse
        let store = self.store
        let configuration = self.configuration
        let seed = configuration.workflow.seed
        let orchestrator = Orchestrator(agents: registry.agents, configuration: configuration, clock: self.clock, pool: pool)
        let memo = RunMemo()
        let results = await orchestrator.run(
            makeContext: { inputs, flag in
                AgentContext(
                    warehouse: warehouse, store: store, configuration: configuration, asOf: asOf, seed: seed, runId: runId, inputs: inputs,
                    cancellation: flag, memo: memo)
            }, progress: progress)
        let elapsed = clock.now - start
        let decision = results.lazy.compactMap { $0.output(DecisionAgent.key) }.first
        let status: RunStatus
        // Cancelled (a user, or a server shutting down): recorded as such, whatever the agents finished.
        let cancelled = Task.isCancelled
        if cancelled {
            status = .cancelled
        } else if decision?.decisions.isEmpty ?? true {
            // No decision made (none could be, or the Decision agent did not finish): failed, as documented.
            status = .failed
        } else {
            status = results.allSatisfy { $0.status == .succeeded } ? .succeeded : .degraded
        }
        let run = RunResults.RunInfo(
            runId: runId, analysis: analysis, asOf: asOf, status: status, seed: seed,
            configDigest: Self.digest(registry.effective(configuration)),
            database: store.url.description, startedAt: started, finishedAt: Timestamp(seconds: Int64(Date().timeIntervalSince1970)),
            durationMs: elapsed.milliseconds)
        var output = RunResults(
            run: run, agents: results, decisions: decision?.decisions ?? [], alerts: decision?.alerts ?? [],
            executive: results.lazy.compactMap { $0.output(ExecutiveAgent.key) }.first)
        var deliveryError: (any Error)?
        var json: Data?
        if let deliver, !cancelled {
            let delivered = output
            do {
                json = try await pool.run("deliver the run") { _ in
                    let json = try delivered.encoded()
                    try deliver(delivered, json)
                    return json
                }
            } catch {
                deliveryError = error
                output.run.status = .failed
                json = nil
            }
        }
        let (stored, storedJSON) = (output, json)
        if cancelled {
            // The task is cancelled, so its own pool work could not commit: the record is written by
            // a task of its own, so that a cancelled run is stored as cancelled instead of being lost.
            let pool = self.pool
            try await Task { try await pool.run("persist the cancelled run") { _ in try self.persist(stored) } }.value
        } else {
            try await pool.run("persist the run") { _ in try self.persist(stored, json: storedJSON) }
        }
        if let deliveryError { throw FlowDeliveryError(runId: stored.run.runId, underlying: deliveryError) }
        return output
    }

    /// A new run id: it sorts by time and does not repeat within a second.
    public static func newRunId() -> String { makeRunId(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }

    /// A run id that sorts by its start to the millisecond (`run-YYYYMMDD-HHMMSS-mmmxxx`: the
    /// millisecond, then three random hex digits), so runs started within one second still list
    /// newest first. 26 characters, as before the millisecond was added: ids are prefixes of
    /// `prediction_id` (VARCHAR(50)).
    static func makeRunId(milliseconds: Int64) -> String {
        var rng = SystemRandomNumberGenerator()
        let suffix = String(rng.next() % 0x1000, radix: 16)
        let seconds = milliseconds / 1000
        let millis = String(milliseconds - seconds * 1000)
        return "run-"
            + Timestamp(seconds: seconds).iso.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: " ", with: "-")
            + "-" + String(repeating: "0", count: 3 - millis.count) + millis
            + String(repeating: "0", count: 3 - suffix.count) + suffix
    }

    /// FNV-1a of the configuration's canonical description: equal configurations, equal digests. The
    /// flow digests its registry's `effective` configuration, every agent's settings spelled out.
    static func digest(_ configuration: Configuration) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in configuration.canonicalDescription.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Stores the run, its agent results, decisions and alerts in one transaction, with what `alongside` writes;
    /// `json` is `results.encoded()` when the caller has it already.
    func persist(_ results: RunResults, json encoded: Data? = nil) throws {
        let json = String(decoding: try encoded ?? results.encoded(), as: UTF8.self)
        let encoder = RunResults.encoder()
        try store.writeBatch { writer in
            let run = try writer.inserter(for: Catalog.analysisRuns, columns: Catalog.analysisRuns.columnNames, onConflict: .replace)
            _ = try run.insert([
                .text(results.run.runId), .text(results.run.analysis), .date(results.run.asOf), .text(results.run.status.rawValue),
                .integer(Int64(bitPattern: results.run.seed)), .text(results.run.configDigest), .timestamp(results.run.startedAt),
                .timestamp(results.run.finishedAt), .json(json),
            ])
            let agents = try writer.inserter(for: Catalog.agentResults, columns: Catalog.agentResults.columnNames, onConflict: .replace)
            for a in results.agents {
                _ = try agents.insert([
                    .text(results.run.runId), .text(a.agent), .text(a.status.rawValue), .double(a.confidence),
                    .timestamp(results.run.startedAt),
                    .double(a.durationMs), a.error.map(Value.text) ?? (a.fallback.map(Value.text) ?? .null),
                    .json(String(decoding: try encoder.encode(a), as: UTF8.self)),
                ])
            }
            let decisions = try writer.inserter(for: Catalog.decisions, columns: Catalog.decisions.columnNames, onConflict: .replace)
            for d in results.decisions {
                _ = try decisions.insert([
                    .text("\(results.run.runId):\(d.id)"), .text(results.run.runId), .integer(Int64(d.rank)),
                    .text(String(d.title.prefix(200))),
                    .text(d.category), .text(d.rationale), .decimal(d.expectedImpact.minorUnits), .text(d.urgency.rawValue),
                    .text(d.risk.rawValue),
                    .double(d.confidence), .json(String(decoding: try encoder.encode(d.evidence), as: UTF8.self)),
                ])
            }
            let alerts = try writer.inserter(for: Catalog.alerts, columns: Catalog.alerts.columnNames, onConflict: .replace)
            for a in results.alerts {
                _ = try alerts.insert([
                    .text("\(results.run.runId):\(a.id)"), .text(results.run.runId), .text(a.severity.rawValue), .text(a.rule),
                    .text(a.message),
                    a.entityType.map(Value.text) ?? .null, a.entityId.map(Value.text) ?? .null,
                    a.observed.map(Value.double) ?? .null, a.threshold.map(Value.double) ?? .null,
                ])
            }
            try alongside?(writer, results)
        }
    }
}

/// The run finished but its results could not be delivered (e.g. the output files could not be
/// written); it is stored as failed.
public struct FlowDeliveryError: Error, CustomStringConvertible {
    public var runId: String
    public var underlying: any Error

    public var description: String { "run \(runId) is stored as failed: \(underlying)" }
}

public import DecisioningAgents
public import DecisioningCore
import DecisioningStore
import Foundation
import Synchronization

/// Where a flow's output files go: `directory/<run id>/` in the configured formats.
public struct FlowOutput: Sendable {
    public var directory: String
    public var formats: [String]

    public init(directory: String, formats: [String]) {
        self.directory = directory
        self.formats = formats
    }

    /// The output of `configuration` (output.directory, output.formats), in `directory` when given.
    public init(configuration: Configuration, directory: String? = nil) {
        self.init(directory: directory ?? configuration.output.directory, formats: configuration.output.formats)
    }

    /// Makes sure the base directory can be written, before anything runs.
    public func prepare() throws { try OutputWriter.prepare(base: directory) }

    /// The directory of one run's files.
    public func directory(of runId: String) -> String { directory + "/" + runId }
}

/// A finished flow: its results (as stored) and the files delivered.
public struct FlowOutcome: Sendable {
    public var results: RunResults
    public var files: [String]
}

/// A flow under way: its run id (known from the start), its progress, and its outcome.
public struct FlowExecution: Sendable {
    public let runId: String
    /// One event per agent start, retry and end; the sequence finishes when the run is stored (or fails).
    public let events: AsyncStream<ProgressEvent>
    let task: Task<FlowOutcome, any Error>

    /// The outcome once the run is stored. Throws `FlowDeliveryError` when the files could not be
    /// written (the run is then stored as failed), or the error that stopped the run.
    public var outcome: FlowOutcome {
        get async throws { try await task.value }
    }

    /// Cancels the task running the flow (the orchestrator stops the agents that observe cancellation).
    public func cancel() { task.cancel() }
}

extension Application {
    /// The analysis the flow runs when none is asked for (`workflow.default_analysis`).
    public var defaultFlowAnalysis: String { configuration.workflow.defaultAnalysis }

    /// Starts the agent flow as of `asOf` under `runId` (nil: a new id, `FlowRunner.newRunId()`).
    ///
    /// With an `output`, the run's files are written to `output.directory(of: runId)` before the run
    /// is stored; a run whose files cannot be written is stored as failed and its outcome throws
    /// `FlowDeliveryError`. `configuration` replaces the application's configuration for this run
    /// only (agents' timeouts, thresholds, workflow); nil runs with the application's.
    public func startFlow(
        analysis: String? = nil, asOf: Day, runId: String? = nil, output: FlowOutput? = nil, configuration: Configuration? = nil
    ) throws -> FlowExecution {
        let configuration = configuration ?? self.configuration
        let analysis = analysis ?? configuration.workflow.defaultAnalysis
        guard Configuration.analyses.contains(analysis) else {
            throw ApplicationError.unknownFlowAnalysis(name: analysis, offered: Configuration.analyses)
        }
        let runId = runId ?? FlowRunner.newRunId()
        // The run's alerts update the alerts' lifecycle and queue their notifications (and the
        // `run.finished` event) in the batch that stores the run: all are stored, or none.
        let changes = AlertChanges()
        let runner = FlowRunner(
            store: store, warehouse: warehouse, configuration: configuration,
            alongside: { writer, results in
                changes.set(
                    try Application.recordRunAlerts(
                        runId: results.run.runId, status: results.run.status, alerts: results.alerts, at: results.run.finishedAt,
                        configuration: configuration, writer: writer))
                try RunFinishedEvent.enqueue(results, webhooks: configuration.alerts.webhooks, writer: writer)
            })
        let (events, continuation) = AsyncStream.makeStream(of: ProgressEvent.self, bufferingPolicy: .unbounded)
        let task = Task { () throws -> FlowOutcome in
            defer { continuation.finish() }
            let written = FileList()
            var deliver: (@Sendable (RunResults, Data) throws -> Void)?
            if let output {
                deliver = { results, json in
                    let files = try OutputWriter.write(
                        results, json: json, to: output.directory(of: results.run.runId), formats: output.formats)
                    written.set(files)
                }
            }
            let results = try await runner.run(
                analysis: analysis, asOf: asOf, runId: runId, progress: { continuation.yield($0) }, deliver: deliver)
            AlertMetrics.record(changes.get())
            return FlowOutcome(results: results, files: written.get())
        }
        return FlowExecution(runId: runId, events: events, task: task)
    }

    /// Runs the flow to its end, calling `progress` for each event (on the flow's own tasks); `configuration` as in `startFlow`.
    public func runFlow(
        analysis: String? = nil, asOf: Day, runId: String? = nil, output: FlowOutput? = nil, configuration: Configuration? = nil,
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) async throws -> FlowOutcome {
        let execution = try startFlow(analysis: analysis, asOf: asOf, runId: runId, output: output, configuration: configuration)
        for await event in execution.events { progress(event) }
        return try await execution.outcome
    }
}

/// The paths a run's delivery wrote, handed from the delivery closure to the outcome.
final class FileList: Sendable {
    private let paths = Mutex<[String]>([])
    func set(_ list: [String]) { paths.withLock { $0 = list } }
    func get() -> [String] { paths.withLock { $0 } }
}

/// The alert changes a run's batch made, handed from the batch to the metrics once it committed.
final class AlertChanges: Sendable {
    private let changes = Mutex<[AlertLifecycle.Change]>([])
    func set(_ list: [AlertLifecycle.Change]) { changes.withLock { $0 = list } }
    func get() -> [AlertLifecycle.Change] { changes.withLock { $0 } }
}

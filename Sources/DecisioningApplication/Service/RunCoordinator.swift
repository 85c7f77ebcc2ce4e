public import DecisioningAgents
public import DecisioningCore
import DecisioningStore
import Foundation
import Logging
import Metrics
import Synchronization

/// Runs flows for a long-lived server: one at a time per database, recorded from the first moment
/// (`running`, then its final status; `cancelled` when cancelled or interrupted), with every
/// progress event numbered, stored and streamed live to followers, who may resume after any event.
///
/// Runs never overlap on a database, even with several servers: a run takes the database's
/// `RunLease` first and renews it while it goes on. At start a coordinator closes the runs a stopped
/// server left behind (`recoverInterrupted`); at shutdown it lets a running flow finish within a
/// grace period, then cancels it (`shutdown`).
public actor RunCoordinator {
    public nonisolated let application: Application
    nonisolated let output: FlowOutput?
    nonisolated let lease: RunLease
    nonisolated let now: @Sendable () -> Timestamp
    nonisolated let logger: Logger
    private var accepting = true
    /// The run being started (between the conflict check and the flow's start) or under way.
    private var reserved: String?
    private var active: ActiveRun?
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextSubscriber = 0
    /// Told of each run this coordinator stored, before its `run.finished` event (`whenRunStored`).
    private nonisolated let storedObservers = Mutex<[@Sendable (RunResults) async -> Void]>([])

    /// A follower of the run under way: sent the events after `after`.
    struct Subscriber {
        let after: Int
        let continuation: AsyncStream<RunEvent>.Continuation
    }

    struct ActiveRun {
        let record: RunRecord
        let execution: FlowExecution
        var events: [RunEvent] = []
        var subscribers: [Int: Subscriber] = [:]
        let writer: AsyncStream<RunEvent>.Continuation
        var cancelRequested = false
    }

    /// - Parameters:
    ///   - holder: this server's name in the lease (unique per process; `RunCoordinator.processHolder()`).
    ///   - now: the clock of records and leases (tests pass their own).
    public init(
        application: Application, output: FlowOutput?, holder: String = RunCoordinator.processHolder(),
        now: @escaping @Sendable () -> Timestamp = RunCoordinator.wallClock
    ) {
        self.application = application
        self.output = output
        self.lease = RunLease(
            application: application, holder: holder, duration: .seconds(application.configuration.service.leaseSeconds))
        self.now = now
        self.logger = application.logger
    }

    /// Calls `observer` with the results of every run this coordinator stores from now on, once they
    /// are stored and before anyone following the run hears that it ended (a server keeps them ready
    /// to be read). The run's end waits for it.
    public nonisolated func whenRunStored(_ observer: @escaping @Sendable (RunResults) async -> Void) {
        storedObservers.withLock { $0.append(observer) }
    }

    /// The current time to the second.
    public static func wallClock() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }

    /// A lease holder name for this process: host, process id and a random suffix.
    public static func processHolder() -> String {
        let host = ProcessInfo.processInfo.hostName.prefix(60)
        return "\(host)/\(getpid())/\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// The run under way here, if any.
    public var activeRunId: String? { active?.record.runId }

    /// Starts the flow as of `asOf` (nil: today, UTC) for `analysis` (nil: the configured default).
    /// - Throws: `RunCoordinatorError.runInProgress` when a run on this database is under way,
    ///   `.shuttingDown`, or `ApplicationError.unknownFlowAnalysis`.
    public func start(analysis: String? = nil, asOf: Day? = nil, trigger: String = "api") async throws -> RunRecord {
        guard accepting else { throw RunCoordinatorError.shuttingDown }
        if let busy = reserved { throw RunCoordinatorError.runInProgress(runId: busy) }
        let analysis = analysis ?? application.defaultFlowAnalysis
        guard Configuration.analyses.contains(analysis) else {
            throw ApplicationError.unknownFlowAnalysis(name: analysis, offered: Configuration.analyses)
        }
        let started = now()
        let asOf = asOf ?? started.day
        let runId = FlowRunner.newRunId()
        reserved = runId
        let (application, lease) = (self.application, self.lease)
        do {
            if let holding = try await BlockingPool.shared.run(
                "take the run lease",
                { _ in
                    try lease.clearDeadLocalHolder()
                    return try lease.acquire(runId: runId, now: started)
                })
            {
                throw RunCoordinatorError.runInProgress(runId: holding.runId ?? "(unknown)")
            }
            try await BlockingPool.shared.run("record the run's start") { _ in
                try application.recordRunStart(runId: runId, analysis: analysis, asOf: asOf, at: started)
            }
        } catch {
            reserved = nil
            if case RunCoordinatorError.runInProgress = error {} else { try? await releaseLease(runId: runId) }
            throw error
        }
        let execution: FlowExecution
        do {
            execution = try application.startFlow(analysis: analysis, asOf: asOf, runId: runId, output: output)
        } catch {
            await close(runId: runId, analysis: analysis, asOf: asOf, trigger: trigger, reason: "\(error)")
            reserved = nil
            throw error
        }
        let record = RunRecord(runId: runId, analysis: analysis, asOf: asOf, status: .running, startedAt: started, finishedAt: nil)
        let (stream, writer) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .unbounded)
        active = ActiveRun(record: record, execution: execution, writer: writer)
        publish(.started(runId: runId, analysis: analysis, asOf: asOf, trigger: trigger, at: started))
        logger.info("run started", metadata: ["run.id": "\(runId)", "run.analysis": "\(analysis)", "run.as_of": "\(asOf)"])
        let persisted = Task { await Self.persistEvents(stream, application: application) }
        let renewal = Task { [lease, now] in
            while !Task.isCancelled {
                try? await Task.sleep(for: lease.duration / 3)
                if Task.isCancelled { break }
                _ = try? await BlockingPool.shared.run("renew the run lease") { _ in try lease.renew(now: now()) }
            }
        }
        Task { await self.drive(execution, persisted: persisted, renewal: renewal) }
        return record
    }

    /// Cancels run `runId` if it is under way here.
    /// - Throws: `ApplicationError.runNotFound`, `RunCoordinatorError.runFinished` or `.runElsewhere`.
    public func cancel(runId: String) async throws -> RunRecord {
        if var run = active, run.record.runId == runId {
            run.cancelRequested = true
            active = run
            run.execution.cancel()
            logger.info("run cancel requested", metadata: ["run.id": "\(runId)"])
            return run.record
        }
        let (application, lease) = (self.application, self.lease)
        let record = try await BlockingPool.shared.run("read the run") { _ in try application.runRecord(id: runId) }
        guard let record else { throw ApplicationError.runNotFound(id: runId) }
        if let status = record.status, status.isFinished {
            throw RunCoordinatorError.runFinished(runId: runId, status: status.rawValue)
        }
        let holding = try await BlockingPool.shared.run("read the run lease") { _ in try lease.current() }
        throw RunCoordinatorError.runElsewhere(runId: runId, holder: holding?.holder ?? "(unknown)")
    }

    /// The events of run `runId` after event `after` (0: from the first), live while the run goes
    /// on; the stream ends after `run.finished` (at once for a finished run, after replaying it).
    /// - Throws: `ApplicationError.runNotFound`.
    public func events(runId: String, after: Int = 0) async throws -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .unbounded)
        if var run = active, run.record.runId == runId {
            for event in run.events where event.seq > after { continuation.yield(event) }
            let id = nextSubscriber
            nextSubscriber += 1
            run.subscribers[id] = Subscriber(after: after, continuation: continuation)
            active = run
            continuation.onTermination = { _ in Task { await self.unsubscribe(runId: runId, id: id) } }
            return stream
        }
        let application = self.application
        let (record, stored) = try await BlockingPool.shared.run("read the run's events") { _ in
            (try application.runRecord(id: runId), try application.runEvents(runId: runId, after: after))
        }
        guard record != nil else { throw ApplicationError.runNotFound(id: runId) }
        for event in stored { continuation.yield(event) }
        continuation.finish()
        return stream
    }

    /// Stops starting runs; lets the run under way finish within `grace`, then cancels it and waits
    /// until it is stored (as cancelled).
    public func shutdown(grace: Duration) async {
        accepting = false
        guard active != nil || reserved != nil else { return }
        logger.info("waiting for the run to finish", metadata: ["grace.seconds": "\(grace.components.seconds)"])
        // A timer of its own: the wait below is not cancellable, so it must not sit in a task group.
        let timer = Task {
            try? await Task.sleep(for: grace)
            if !Task.isCancelled { await self.cancelForShutdown() }
        }
        await waitUntilIdle()
        timer.cancel()
    }

    /// Cancels the run under way when the grace period is over.
    private func cancelForShutdown() async {
        guard let id = active?.record.runId else { return }
        logger.warning("grace period over: cancelling the run", metadata: ["run.id": "\(id)"])
        _ = try? await cancel(runId: id)
    }

    /// Closes the runs a stopped server left queued or running: each is stored as cancelled, with a
    /// final `run.finished` event saying it was interrupted. A run whose lease another live server
    /// holds is left alone.
    /// - Returns: the ids closed.
    @discardableResult
    public func recoverInterrupted() async throws -> [String] {
        let (application, lease, now) = (self.application, self.lease, self.now)
        let current = activeRunId
        let closed = try await BlockingPool.shared.run("close interrupted runs") { _ -> [(String, Int)] in
            let time = now()
            try lease.clearDeadLocalHolder()
            let holding = try lease.current()
            var closed: [(String, Int)] = []
            for run in try application.unfinishedRuns() where run.runId != current {
                if let holding, holding.runId == run.runId, holding.holder != lease.holder, holding.expiresAt.seconds >= time.seconds {
                    continue
                }
                try application.recordRunEnd(runId: run.runId, status: .cancelled, at: time)
                closed.append((run.runId, try application.runEvents(runId: run.runId).last?.seq ?? 0))
            }
            return closed
        }
        for (runId, lastSeq) in closed {
            let event = RunEvent.finished(
                runId: runId, seq: lastSeq + 1, status: .cancelled, decisions: 0, alerts: 0,
                reason: "interrupted: the server stopped while the run was under way", at: now())
            try await BlockingPool.shared.run("record the interruption") { _ in try application.appendRunEvents([event]) }
            logger.warning("closed an interrupted run", metadata: ["run.id": "\(runId)"])
        }
        return closed.map(\.0)
    }

    // MARK: - The run's life

    private func drive(_ execution: FlowExecution, persisted: Task<Void, Never>, renewal: Task<Void, Never>) async {
        let runId = execution.runId
        var seq = 1
        for await progress in execution.events {
            seq += 1
            publish(.from(progress, runId: runId, seq: seq, at: now()))
            if case .finished(let result) = progress {
                Timer(
                    label: "decisioning_agent_duration_seconds", dimensions: [("agent", result.agent), ("status", result.status.rawValue)]
                )
                .recordNanoseconds(Int64(result.durationMs * 1_000_000))
            }
        }
        var status: RunStatus
        var reason: String?
        var decisions = 0
        var alerts = 0
        do {
            let outcome = try await execution.outcome
            status = outcome.results.run.status
            decisions = outcome.results.decisions.count
            alerts = outcome.results.alerts.count
            for observer in storedObservers.withLock({ $0 }) { await observer(outcome.results) }
        } catch let error as FlowDeliveryError {
            status = .failed
            reason = error.description
        } catch {
            status = active?.cancelRequested == true ? .cancelled : .failed
            reason = "\(error)"
        }
        renewal.cancel()
        if status != .cancelled && active?.cancelRequested == true && reason != nil { status = .cancelled }
        let (application, time, final) = (self.application, now(), status)
        // The flow stores the run itself; this only closes a run it could not store.
        try? await Task {
            try await BlockingPool.shared.run("close the run") { _ in try application.recordRunEnd(runId: runId, status: final, at: time) }
        }.value
        publish(.finished(runId: runId, seq: seq + 1, status: status, decisions: decisions, alerts: alerts, reason: reason, at: time))
        active?.writer.finish()
        await persisted.value
        // The lease goes before anyone hears that the run ended, so a run started at once finds it free.
        try? await releaseLease(runId: runId)
        for subscriber in active?.subscribers.values.map({ $0 }) ?? [] { subscriber.continuation.finish() }
        active = nil
        reserved = nil
        Counter(label: "decisioning_runs_total", dimensions: [("status", status.rawValue)]).increment()
        logger.info("run finished", metadata: ["run.id": "\(runId)", "run.status": "\(status)"])
        for waiter in idleWaiters { waiter.resume() }
        idleWaiters = []
        // What the run's tables and models took is free now; without this the server's size grows run after run.
        // Last, after every change of state, so that a run started meanwhile finds nothing left to do here.
        try? await BlockingPool.shared.run("return the run's freed memory") { _ in ProcessMemory.trim() }
    }

    /// Adds an event to the run under way: kept, sent to its followers and queued for storage.
    private func publish(_ event: RunEvent) {
        guard var run = active, run.record.runId == event.runId else { return }
        run.events.append(event)
        active = run
        for subscriber in run.subscribers.values where event.seq > subscriber.after { subscriber.continuation.yield(event) }
        run.writer.yield(event)
    }

    private func unsubscribe(runId: String, id: Int) {
        guard var run = active, run.record.runId == runId else { return }
        run.subscribers[id] = nil
        active = run
    }

    private func waitUntilIdle() async {
        if active == nil && reserved == nil { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func releaseLease(runId: String) async throws {
        let lease = self.lease
        try await Task { try await BlockingPool.shared.run("release the run lease") { _ in try lease.release(runId: runId) } }.value
    }

    /// Writes the events of a run as they come, in order; ends when the run's last event is written.
    private static func persistEvents(_ stream: AsyncStream<RunEvent>, application: Application) async {
        var iterator = stream.makeAsyncIterator()
        while let first = await iterator.next() {
            let batch = [first]
            do {
                try await BlockingPool.shared.run("store run events") { _ in try application.appendRunEvents(batch) }
            } catch {
                application.logger.error("could not store a run event", metadata: ["run.id": "\(first.runId)", "error": "\(error)"])
            }
        }
    }

    /// Closes a run that never got going (the flow could not start): stored as failed, with its two events.
    private func close(runId: String, analysis: String, asOf: Day, trigger: String, reason: String) async {
        let (application, time) = (self.application, now())
        let events = [
            RunEvent.started(runId: runId, analysis: analysis, asOf: asOf, trigger: trigger, at: time),
            RunEvent.finished(runId: runId, seq: 2, status: .failed, decisions: 0, alerts: 0, reason: reason, at: time),
        ]
        try? await BlockingPool.shared.run("close the run") { _ in
            try application.recordRunEnd(runId: runId, status: .failed, at: time)
            try application.appendRunEvents(events)
        }
        try? await releaseLease(runId: runId)
    }
}

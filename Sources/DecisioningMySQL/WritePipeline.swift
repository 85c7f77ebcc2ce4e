import DecisioningStore
import Dispatch
import Synchronization

/// Runs a write batch's statements in order on a thread of `WritePipeline.runners`, so that the
/// caller parses and encodes the next group of rows while the server inserts the previous one: the
/// two work at once instead of taking turns.
///
/// Jobs run one at a time, in the order they were submitted, on one connection. After a job fails
/// nothing more runs, and the failure is thrown by the next `submit` or `drain`: the batch then
/// rolls back as a whole. At most `depth` jobs wait, which bounds the rows held in memory.
final class WritePipeline: Sendable {
    typealias Job = () throws(StoreError) -> Void

    /// The threads pipelines run on: a pipeline holds one for its batch's life, so at most this many
    /// batches pipeline at once and the next waits for a free thread (its rows wait in `depth`).
    static let runners = BlockingPool(name: "decisioning.mysql.writer", capacity: 8)

    /// A job and what it captured (the batch's connection and statements): touched by the runner
    /// while it runs, and by the batch's thread only once `drain` or `close` has returned; hence
    /// `@unchecked Sendable`.
    private struct Queued: @unchecked Sendable {
        let job: Job
    }

    private struct State {
        var waiting: [Queued] = []
        var busy = false
        var failure: StoreError?
        var closing = false
        var submitted = false
        var started = false
        var finished = false
        /// Threads waiting for a change (a job taken, a job ended, the runner stopped): the batch's
        /// thread in `submit` or `drain`, `close`. Each is signalled once and removed.
        var watchers: [DispatchSemaphore] = []

        /// Registers a watcher; its semaphore is signalled at the next change.
        mutating func watch() -> DispatchSemaphore {
            let semaphore = DispatchSemaphore(value: 0)
            watchers.append(semaphore)
            return semaphore
        }

        mutating func changed() {
            for watcher in watchers { watcher.signal() }
            watchers.removeAll()
        }
    }

    private let state = Mutex(State())
    private let depth: Int
    /// Signalled when a job is queued or the pipeline closes (the runner waits on it).
    private let work = DispatchSemaphore(value: 0)

    init(depth: Int = 2) {
        self.depth = max(1, depth)
    }

    /// Queues `job`, waiting while `depth` jobs already wait. Throws an earlier job's failure instead.
    func submit(_ job: @escaping Job) throws(StoreError) {
        let queued = Queued(job: job)
        while true {
            let (outcome, startRunner) = state.withLock { state -> (Result<DispatchSemaphore?, StoreError>, Bool) in
                precondition(!state.closing, "WritePipeline used after close()")
                if let failure = state.failure { return (.failure(failure), false) }
                guard state.waiting.count < depth else { return (.success(state.watch()), false) }
                state.waiting.append(queued)
                defer { state.submitted = true }
                return (.success(nil), !state.submitted)
            }
            if startRunner { Self.runners.submit { [self] in run() } }
            guard let watcher = try outcome.get() else {
                work.signal()
                return
            }
            watcher.wait()
        }
    }

    /// Waits until every submitted job ran; throws the first failure.
    func drain() throws(StoreError) {
        while true {
            let done = state.withLock { state -> Result<DispatchSemaphore?, StoreError> in
                if let failure = state.failure { return .failure(failure) }
                return .success(!state.busy && state.waiting.isEmpty ? nil : state.watch())
            }
            guard let watcher = try done.get() else { return }
            watcher.wait()
        }
    }

    /// Stops the runner: after the running job, whatever still waits is dropped (the batch is being
    /// committed after `drain`, or rolled back). Returns once the runner touches nothing any more.
    func close() {
        let mustWait = state.withLock { state -> Bool in
            state.closing = true
            state.waiting.removeAll()
            // A runner that has not begun will see `closing` and touch nothing.
            return state.started && !state.finished
        }
        work.signal()
        guard mustWait else { return }
        while let watcher = state.withLock({ $0.finished ? nil : $0.watch() }) { watcher.wait() }
    }

    private func run() {
        let begin = state.withLock { state -> Bool in
            guard !state.closing else {
                state.finished = true
                state.changed()
                return false
            }
            state.started = true
            return true
        }
        guard begin else { return }
        while true {
            work.wait()
            let next = state.withLock { state -> Queued?? in
                if state.closing { return .none }
                guard !state.waiting.isEmpty else { return .some(nil) }
                state.busy = true
                defer { state.changed() }
                return state.waiting.removeFirst()
            }
            guard let next else { break }
            guard let queued = next else { continue }
            var error: StoreError?
            do throws(StoreError) { try queued.job() } catch let e { error = e }
            state.withLock { state in
                state.busy = false
                if let error {
                    state.failure = error
                    state.waiting.removeAll()
                }
                state.changed()
            }
        }
        state.withLock { state in
            state.finished = true
            state.changed()
        }
    }
}

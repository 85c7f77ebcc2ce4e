import Dispatch
import Foundation
import Synchronization

/// A bounded set of long-lived threads for blocking work (SQLite, libmariadb, agents that compute
/// for seconds), entered from async code with `run`.
///
/// Swift's cooperative pool has as many threads as cores (two here) and must never wait on the disk
/// or the network: blocking work comes here instead. Threads start when work is waiting and no
/// thread is free, up to `capacity`, and then stay; later work waits in line. No thread is started
/// per call.
///
/// Cancelling the task that called `run` raises the work's `CancellationFlag`: the statement it is
/// running is stopped in the database (`KILL QUERY`, `sqlite3_interrupt`), its loops see
/// `isCancelled`, and its write batches can no longer commit.
public final class BlockingPool: Sendable {
    /// The process's pool for store and agent work. Its capacity grows to what a configuration
    /// asks for (`reserve`), never shrinks, and starts at eight threads.
    public static let shared = BlockingPool(name: "decisioning.blocking", capacity: 8)

    /// Where the stops of cancelled statements run: a stop may block (it connects to the server to
    /// send `KILL QUERY`), so it runs neither on the canceller's thread nor in line behind the work.
    static let stoppers = BlockingPool(name: "decisioning.stop", capacity: 4)

    /// A job returns what to do once its thread counts as free again (resume its caller), so that
    /// a caller who submits again at once finds that thread free instead of starting another.
    typealias Job = @Sendable () -> (@Sendable () -> Void)

    private struct State {
        /// Waiting jobs from `head` on; a taken slot is cleared at once so that nothing a job
        /// captured outlives it.
        var jobs: [Job?] = []
        var head = 0
        var threads = 0
        var idle = 0
        var capacity: Int
        var pending: Int { jobs.count - head }
    }

    public let name: String
    private let state: Mutex<State>
    private let available = DispatchSemaphore(value: 0)

    public init(name: String, capacity: Int) {
        self.name = name
        state = Mutex(State(capacity: max(1, capacity)))
    }

    /// The threads started so far; never more than `capacity`.
    public var threadCount: Int { state.withLock { $0.threads } }

    /// Threads running work now.
    public var busy: Int { state.withLock { $0.threads - $0.idle } }

    /// Work waiting for a thread now.
    public var waiting: Int { state.withLock { max(0, $0.pending - $0.idle) } }

    /// The most threads the pool will start.
    public var capacity: Int { state.withLock { $0.capacity } }

    /// Raises the capacity to at least `threads` (a configuration's agents and connections).
    public func reserve(_ threads: Int) {
        state.withLock { $0.capacity = max($0.capacity, threads) }
    }

    /// Queues `job` to run on one of the pool's threads.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        enqueue {
            job()
            return {}
        }
    }

    private func enqueue(_ job: @escaping Job) {
        let startThread = state.withLock { state -> Bool in
            state.jobs.append(job)
            guard state.pending > state.idle, state.threads < state.capacity else { return false }
            state.threads += 1
            state.idle += 1
            return true
        }
        if startThread {
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
        available.signal()
    }

    private func work() {
        while true {
            available.wait()
            let job = state.withLock { state -> Job? in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.jobs[state.head] = nil
                state.head += 1
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head > 64 && state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                state.idle -= 1
                return job
            }
            guard let job else { continue }
            let then = job()
            state.withLock { $0.idle += 1 }
            then()
        }
    }

    /// Runs `work` on one of the pool's threads and returns its result.
    ///
    /// When the calling task is cancelled, `work`'s flag is raised. By default `run` still waits
    /// for `work` to end (it ends soon: its statement was stopped), so the caller never leaves work
    /// behind. With `detachOnCancel`, `run` throws `CancellationError` as soon as the flag takes
    /// effect, and `work` finishes on its own, its result dropped: for an agent whose code may not
    /// look at the flag for a while. A flag raised while a batch commits takes effect when the
    /// commit has ended, so a caller told "cancelled" never sees a commit after that.
    public func run<T: Sendable>(
        _ operation: String, detachOnCancel: Bool = false, _ work: @escaping @Sendable (CancellationFlag) throws -> T
    ) async throws -> T {
        let flag = CancellationFlag()
        let outcome = Resumption<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.attach(continuation)
                enqueue {
                    let result: Result<T, any Error>
                    if flag.isCancelled {
                        result = .failure(CancellationError())
                    } else {
                        result = Result { try work(flag) }
                    }
                    return { outcome.resume(with: result) }
                }
            }
        } onCancel: {
            if detachOnCancel {
                flag.cancel { outcome.resume(with: .failure(CancellationError())) }
            } else {
                flag.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever comes first: the work's result or its cancellation, even
/// when the cancellation comes before the continuation exists.
private final class Resumption<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
    }
    private let state = Mutex(State())

    func attach(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            guard let early = state.early else {
                state.continuation = continuation
                return nil
            }
            state.early = nil
            return early
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
    }
}

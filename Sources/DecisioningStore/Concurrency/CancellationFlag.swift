import Dispatch
import Foundation
import Synchronization

/// How cancellation reaches blocking work: `BlockingPool.run` raises a work's flag when the task
/// that waits for it is cancelled. The flag is the bridge from Task cancellation to code that runs
/// on a pool thread, outside any task; nothing else raises it in the library.
///
/// Loops check `isCancelled`. A store running a statement for the flag's owner registers how to
/// stop that statement (`KILL QUERY`, `sqlite3_interrupt`) with `whileRunning`, so that raising the
/// flag stops the database's work too instead of leaving it to run on after the caller gave up.
/// A store commits a write batch through `commit`, which refuses once the flag is raised: work that
/// was given up cannot change the database afterwards.
public final class CancellationFlag: Sendable {
    /// How often a stop is repeated while the work goes on: a stop that lands between two statements
    /// of the work finds nothing to stop (MariaDB drops `KILL QUERY` on an idle connection), and the
    /// next statement must be stopped too.
    public static let stopInterval = 0.1
    /// Stops are given up after this many attempts; the call still ends `.cancelled` when it returns.
    public static let maxStops = 100

    private struct State {
        var raised = false
        /// A raise that waits for the commits in progress to end.
        var raiseAfterCommit = false
        var commits = 0
        var whenRaised: [@Sendable () -> Void] = []
        var running: [Int: @Sendable () -> Void] = [:]
        /// Tokens whose stopper is being called right now, and who waits for it to return.
        var stopping: Set<Int> = []
        var waiting: [Int: DispatchSemaphore] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// True once the flag is raised (or is about to be, when a commit in progress ends).
    public var isCancelled: Bool {
        state.withLock { $0.raised || $0.raiseAfterCommit }
    }

    /// Raises the flag; `whenRaised` runs once it has taken effect: at once, or when the commits in
    /// progress have ended. Never blocks: the registered stops run on the pool's stopper threads,
    /// again every `stopInterval` seconds for as long as their work runs.
    public func cancel(whenRaised: (@Sendable () -> Void)? = nil) {
        let effect = state.withLock { state -> (tokens: [Int], callbacks: [@Sendable () -> Void])? in
            if let whenRaised { state.whenRaised.append(whenRaised) }
            if state.raised {
                defer { state.whenRaised = [] }
                return ([], state.whenRaised)
            }
            guard state.commits == 0 else {
                state.raiseAfterCommit = true
                return nil
            }
            return Self.raise(&state)
        }
        if let effect { fire(effect) }
    }

    private static func raise(_ state: inout State) -> (tokens: [Int], callbacks: [@Sendable () -> Void]) {
        state.raised = true
        state.raiseAfterCommit = false
        defer { state.whenRaised = [] }
        return (Array(state.running.keys), state.whenRaised)
    }

    private func fire(_ effect: (tokens: [Int], callbacks: [@Sendable () -> Void])) {
        for token in effect.tokens {
            BlockingPool.stoppers.submit { [self] in keepStopping(token) }
        }
        for callback in effect.callbacks { callback() }
    }

    private func keepStopping(_ token: Int) {
        for attempt in 0..<Self.maxStops {
            let stop = state.withLock { state -> (@Sendable () -> Void)? in
                guard let stop = state.running[token] else { return nil }
                state.stopping.insert(token)
                return stop
            }
            guard let stop else { return }
            stop()
            let stillRunning = state.withLock { state -> Bool in
                state.stopping.remove(token)
                state.waiting.removeValue(forKey: token)?.signal()
                return state.running[token] != nil
            }
            guard stillRunning, attempt + 1 < Self.maxStops else { return }
            Thread.sleep(forTimeInterval: Self.stopInterval)
        }
    }

    /// Runs `body` with `stop` registered; `stop` is called (on another thread) if the flag is raised
    /// while `body` runs. Throws `StoreError.cancelled` when the flag was raised before or during
    /// `body`, whatever `body` returned: a stopped statement may end with an error or with a partial
    /// answer, and neither may pass for a result. Returns only once no stop of `body` is under way,
    /// so a stop never reaches the next statement on the same connection.
    public func whileRunning<T>(
        _ operation: String, stop: @escaping @Sendable () -> Void,
        _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let token = state.withLock { state -> Int? in
            guard !state.raised else { return nil }
            let token = state.nextToken
            state.nextToken += 1
            state.running[token] = stop
            return token
        }
        guard let token else { throw .cancelled(operation: operation) }

        let outcome: Result<T, StoreError>
        do throws(StoreError) {
            outcome = .success(try body())
        } catch {
            outcome = .failure(error)
        }

        let (wait, cancelled) = state.withLock { state -> (DispatchSemaphore?, Bool) in
            state.running[token] = nil
            var wait: DispatchSemaphore?
            if state.stopping.contains(token) {
                let semaphore = DispatchSemaphore(value: 0)
                state.waiting[token] = semaphore
                wait = semaphore
            }
            return (wait, state.raised)
        }
        wait?.wait()
        if cancelled { throw .cancelled(operation: operation) }
        return try outcome.get()
    }

    /// Runs `body` (a batch's COMMIT) unless the flag is raised; a raise that comes while it runs
    /// takes effect when it has ended. Throws `StoreError.cancelled` instead of committing.
    public func commit<T>(_ operation: String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let allowed = state.withLock { state -> Bool in
            guard !state.raised, !state.raiseAfterCommit else { return false }
            state.commits += 1
            return true
        }
        guard allowed else { throw .cancelled(operation: operation) }
        defer {
            let effect = state.withLock { state -> (tokens: [Int], callbacks: [@Sendable () -> Void])? in
                state.commits -= 1
                guard state.commits == 0, state.raiseAfterCommit else { return nil }
                return Self.raise(&state)
            }
            if let effect { fire(effect) }
        }
        return try body()
    }

    /// Throws `StoreError.cancelled` when the flag is raised; for long loops between statements.
    public func check(_ operation: String) throws(StoreError) {
        if isCancelled { throw .cancelled(operation: operation) }
    }
}

extension CancellationFlag? {
    /// `whileRunning` when there is a flag; just `body` when there is none.
    public func whileRunning<T>(
        _ operation: String, stop: @escaping @Sendable () -> Void,
        _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        guard let flag = self else { return try body() }
        return try flag.whileRunning(operation, stop: stop, body)
    }

    /// `commit` when there is a flag; just `body` when there is none.
    public func commit<T>(_ operation: String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        guard let flag = self else { return try body() }
        return try flag.commit(operation, body)
    }
}

import Foundation

/// A flag raised from another thread to stop work in progress: the orchestrator raises it when an
/// agent's time is up, an async caller when its task is cancelled.
///
/// Loops check `isCancelled`. A store running a statement for the flag's owner registers how to
/// stop that statement (`KILL QUERY`, `sqlite3_interrupt`) with `whileRunning`, so that raising the
/// flag stops the database's work too instead of leaving it to run on after the caller gave up.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var stoppers: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    public init() {}

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    /// Raises the flag and stops every registered statement. Stoppers run under the lock, so a
    /// `whileRunning` body that is ending waits for a stopper already under way before its
    /// connection is reused: a stop never reaches the next statement on that connection.
    public func cancel() {
        lock.lock()
        defer { lock.unlock() }
        guard !raised else { return }
        raised = true
        for stop in stoppers.values { stop() }
        stoppers.removeAll()
    }

    /// Runs `body` with `stop` registered; `stop` is called (on the cancelling thread) if the flag is
    /// raised while `body` runs. Throws `StoreError.cancelled` when the flag was raised before or
    /// during `body`, whatever `body` returned: a stopped statement may end with an error or with a
    /// partial answer, and neither may pass for a result.
    public func whileRunning<T>(_ operation: String, stop: @escaping @Sendable () -> Void,
                                _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        if raised {
            lock.unlock()
            throw .cancelled(operation: operation)
        }
        let token = nextToken
        nextToken += 1
        stoppers[token] = stop
        lock.unlock()

        let outcome: Result<T, StoreError>
        do throws(StoreError) {
            outcome = .success(try body())
        } catch {
            outcome = .failure(error)
        }

        lock.lock()
        stoppers[token] = nil
        let cancelled = raised
        lock.unlock()
        if cancelled { throw .cancelled(operation: operation) }
        return try outcome.get()
    }

    /// Throws `StoreError.cancelled` when the flag is raised; for long loops between statements.
    public func check(_ operation: String) throws(StoreError) {
        if isCancelled { throw .cancelled(operation: operation) }
    }
}

extension Optional where Wrapped == CancellationFlag {
    /// `whileRunning` when there is a flag; just `body` when there is none.
    public func whileRunning<T>(_ operation: String, stop: @escaping @Sendable () -> Void,
                                _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        guard let flag = self else { return try body() }
        return try flag.whileRunning(operation, stop: stop, body)
    }
}

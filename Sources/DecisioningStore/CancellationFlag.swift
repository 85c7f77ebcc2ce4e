import Foundation

/// A flag raised from another thread to stop work in progress: the orchestrator raises it when an
/// agent's time is up, an async caller when its task is cancelled.
///
/// Loops check `isCancelled`. A store running a statement for the flag's owner registers how to
/// stop that statement (`KILL QUERY`, `sqlite3_interrupt`) with `whileRunning`, so that raising the
/// flag stops the database's work too instead of leaving it to run on after the caller gave up.
public final class CancellationFlag: @unchecked Sendable {
    /// How often a stop is repeated while the work goes on: a stop that lands between two statements
    /// of the work finds nothing to stop (MariaDB drops `KILL QUERY` on an idle connection), and the
    /// next statement must be stopped too.
    public static let stopInterval = 0.1
    /// Stops are given up after this many attempts; the call still ends `.cancelled` when it returns.
    public static let maxStops = 100

    private let condition = NSCondition()
    private var raised = false
    private var running: [Int: @Sendable () -> Void] = [:]
    /// Tokens whose stopper is being called right now.
    private var stopping: Set<Int> = []
    private var nextToken = 0

    public init() {}

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return raised
    }

    /// Raises the flag. Each registered stop runs on a thread of its own (stopping may block: it
    /// connects to the server), again every `stopInterval` seconds for as long as its work runs.
    public func cancel() {
        condition.lock()
        guard !raised else {
            condition.unlock()
            return
        }
        raised = true
        let tokens = Array(running.keys)
        condition.unlock()
        for token in tokens {
            let stopper = Thread { [self] in keepStopping(token) }
            stopper.name = "decisioning.cancel"
            stopper.start()
        }
    }

    private func keepStopping(_ token: Int) {
        for attempt in 0..<Self.maxStops {
            condition.lock()
            guard let stop = running[token] else {
                condition.unlock()
                return
            }
            stopping.insert(token)
            condition.unlock()
            stop()
            condition.lock()
            stopping.remove(token)
            condition.broadcast()
            let stillRunning = running[token] != nil
            condition.unlock()
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
        condition.lock()
        if raised {
            condition.unlock()
            throw .cancelled(operation: operation)
        }
        let token = nextToken
        nextToken += 1
        running[token] = stop
        condition.unlock()

        let outcome: Result<T, StoreError>
        do throws(StoreError) {
            outcome = .success(try body())
        } catch {
            outcome = .failure(error)
        }

        condition.lock()
        running[token] = nil
        while stopping.contains(token) { condition.wait() }
        let cancelled = raised
        condition.unlock()
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
    public func whileRunning<T>(
        _ operation: String, stop: @escaping @Sendable () -> Void,
        _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        guard let flag = self else { return try body() }
        return try flag.whileRunning(operation, stop: stop, body)
    }
}

// Names kept while the orchestrator and the CLI move to `BlockingPool` and `Deadline`; removed
// when nothing uses them.

/// `BlockingPool.shared.run`, under its old name.
public enum BlockingThread {
    public static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingPool.shared.run(name) { _ in try work() }
    }
}

/// `Deadline`, under its old name.
public final class Watchdog: Sendable {
    private let deadline: Deadline
    public init(seconds: Double, name: String, expire: @escaping @Sendable () -> Void) {
        deadline = Deadline(seconds: seconds, expire: expire)
    }
    @discardableResult
    public func finish() -> Bool { deadline.finish() }
}

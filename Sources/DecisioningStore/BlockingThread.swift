import Foundation

/// Runs blocking work (Store calls: libmariadb, SQLite) on a thread of its own, so that Swift's
/// cooperative pool never waits on the network or the disk.
public enum BlockingThread {
    public static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.name = name
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}

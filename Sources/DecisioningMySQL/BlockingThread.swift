import Foundation

/// Runs blocking work (a libmariadb call) on a thread of its own, so that Swift's cooperative
/// pool never waits on the network.
enum BlockingThread {
    static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
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

import Synchronization

/// Text appended from a pipe's handler and read by the test.
final class LogBuffer: Sendable {
    private let buffer = Mutex("")
    func append(_ text: String) { buffer.withLock { $0 += text } }
    var text: String { buffer.withLock { $0 } }
}

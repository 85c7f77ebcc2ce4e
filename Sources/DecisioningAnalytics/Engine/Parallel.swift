import DecisioningCore
import Dispatch

/// Splits `0..<count` into fixed chunks (independent of the machine's core count) and runs them in
/// parallel; callers combine per-chunk results in chunk order, so results never depend on threads.
enum Parallel {
    static let chunkSize = 1 << 16

    static func chunks(_ count: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: chunkSize).map { $0..<min(count, $0 + chunkSize) }
    }

    /// Runs `body` for every chunk and returns the results in chunk order.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let ranges = chunks(count)
        if ranges.count <= 1 { return ranges.map(body) }
        let results = ResultSlots<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            results.set(i, body(ranges[i]))
        }
        return results.values()
    }
}

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
        let results = UnsafeResults<T>(count: ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            results.set(i, body(ranges[i]))
        }
        return results.values()
    }
}

/// Per-chunk result slots, each written by exactly one worker.
final class UnsafeResults<T>: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: nil, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    func set(_ i: Int, _ value: T) { pointer[i] = value }

    func values() -> [T] { (0..<count).map { pointer[$0]! } }
}

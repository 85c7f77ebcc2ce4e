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

    /// Per-chunk results one after another (one chunk is returned as it is).
    static func joined<T>(_ parts: [[T]]) -> [T] {
        parts.count == 1 ? parts[0] : concatenated(parts)
    }

    /// `parts`' values one after another, copied a part at a time (`Array(parts.joined())` copies
    /// element by element).
    static func concatenated<Part: ContiguousValues>(_ parts: [Part]) -> [Part.Element] {
        let total = parts.reduce(0) { $0 + $1.count }
        return [Part.Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            var next = 0
            for part in parts {
                part.withUnsafeBufferPointer { values in
                    next += UnsafeMutableBufferPointer(rebasing: buffer[next...]).initialize(fromContentsOf: values)
                }
            }
            initialized = next
        }
    }

    /// Runs `first` and `second` at the same time (on two threads when there are two) and returns both results.
    static func both<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
        let a = ResultSlots<A>(count: 1)
        let b = ResultSlots<B>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { a.set(0, first()) } else { b.set(0, second()) }
        }
        return (a.values()[0], b.values()[0])
    }
}

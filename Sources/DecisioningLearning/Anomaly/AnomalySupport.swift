import DecisioningCore
import Dispatch

/// Why an anomaly model could not be fitted.
public enum AnomalyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rows to fit on.
    case emptyInput
    /// Rows have no columns.
    case noFeatures
    /// Row `row` has `width` values where the first row has `expected`.
    case raggedRows(row: Int, width: Int, expected: Int)
    /// An infinite value; missing values must be NaN, not ±infinity.
    case nonFiniteValue(row: Int, column: Int)
    /// The forest needs at least two rows per tree sample.
    case invalidSampleSize(Int)
    /// The forest needs at least one tree.
    case invalidTreeCount(Int)

    public var description: String {
        switch self {
        case .emptyInput: return "no rows to fit an anomaly model on"
        case .noFeatures: return "the rows have no columns; give at least one feature"
        case .raggedRows(let row, let width, let expected):
            return "row \(row) has \(width) values but the first row has \(expected); every row needs the same features"
        case .nonFiniteValue(let row, let column):
            return "row \(row), column \(column) is infinite; give finite values and NaN for missing ones"
        case .invalidSampleSize(let n): return "sampleSize must be at least 2, found \(n)"
        case .invalidTreeCount(let n): return "trees must be at least 1, found \(n)"
        }
    }
}

enum AnomalyInput {
    /// Checks that the rows are a non-empty rectangle of finite-or-NaN values and returns their width.
    static func validate(_ rows: [[Double]]) throws(AnomalyError) -> Int {
        guard let first = rows.first else { throw .emptyInput }
        let width = first.count
        guard width > 0 else { throw .noFeatures }
        for (r, row) in rows.enumerated() {
            guard row.count == width else { throw .raggedRows(row: r, width: row.count, expected: width) }
            for (c, x) in row.enumerated() where x.isInfinite { throw .nonFiniteValue(row: r, column: c) }
        }
        return width
    }
}

/// Runs work over fixed-size chunks on every core. Each index's result is computed on its own and
/// written to its own slot, so results never depend on the number of threads.
enum AnomalyParallel {
    static let rowChunk = 2048

    /// `body(i)` for every `i` in `0..<count`, results in index order.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count <= 1 { return (0..<count).map(body) }
        let slots = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
        return slots.values()
    }

    /// Fills `count` doubles; `body` gets a chunk of indexes and the output buffer to write exactly those.
    static func fill(_ count: Int, _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let chunks = stride(from: 0, to: count, by: rowChunk).map { $0..<min(count, $0 + rowChunk) }
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let pointer = AnomalyPointer(base: base)
            if chunks.count == 1 {
                body(chunks[0], pointer.base)
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks.count) { i in body(chunks[i], pointer.base) }
            }
        }
        return out
    }
}

/// The output buffer shared by the workers; each writes a disjoint range.
struct AnomalyPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

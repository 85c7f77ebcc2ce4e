/// A numeric feature matrix with optional labels. Missing values are `Double.nan`.
public struct Dataset: Sendable {
    public var featureNames: [String]
    /// Row-major values: `rows[i][j]` is feature j of row i.
    public var rows: [[Double]]
    public var labels: [Double]

    public init(featureNames: [String], rows: [[Double]], labels: [Double]) throws(LearningError) {
        guard !rows.isEmpty else { throw .emptyInput("no rows to learn from") }
        guard rows.allSatisfy({ $0.count == featureNames.count }) else {
            throw .invalidInput("every row needs \(featureNames.count) values (one per feature)")
        }
        guard labels.count == rows.count else { throw .invalidInput("\(labels.count) labels for \(rows.count) rows") }
        guard labels.allSatisfy(\.isFinite) else { throw .invalidInput("labels must be finite numbers") }
        self.featureNames = featureNames
        self.rows = rows
        self.labels = labels
    }

    public var count: Int { rows.count }

    /// The rows at `indexes`, in that order.
    public func subset(_ indexes: [Int]) -> Dataset {
        var copy = self
        copy.rows = indexes.map { rows[$0] }
        copy.labels = indexes.map { labels[$0] }
        return copy
    }

    /// Deterministic k-fold split: rows shuffled with the seed, fold i holds every k-th of them.
    public func folds(_ k: Int, seed: UInt64) throws(LearningError) -> [(train: [Int], test: [Int])] {
        guard k >= 2 else { throw .invalidInput("cross-validation needs at least 2 folds, found \(k)") }
        guard count >= k else { throw .invalidInput("\(count) rows are fewer than \(k) folds") }
        let order = SplitMixShuffle.shuffledIndexes(count, seed: seed)
        return (0..<k).map { f in
            let test = order.enumerated().filter { $0.offset % k == f }.map(\.element).sorted()
            let testSet = Set(test)
            return (order.filter { !testSet.contains($0) }.sorted(), test)
        }
    }
}

/// What went wrong while learning, in words that say what to change.
public enum LearningError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyInput(String)
    case invalidInput(String)
    case singleClass(String)
    /// The caller asked the learner to stop (its time was up).
    case stopped(String)

    public var description: String {
        switch self {
        case .emptyInput(let m), .invalidInput(let m), .singleClass(let m), .stopped(let m): return m
        }
    }
}

/// SplitMix64: a tiny seeded generator for shuffles and subsampling inside the learners.
struct SplitMixShuffle {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// `0..<count` in the seed's order (Fisher–Yates): the one shuffle of the learners, stable
    /// across Swift versions unlike the standard library's.
    static func shuffledIndexes(_ count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var rng = SplitMixShuffle(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order
    }
}

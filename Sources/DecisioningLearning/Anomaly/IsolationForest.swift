import DecisioningCore
import Foundation

/// Isolation Forest (Liu, Ting & Zhou, 2008): anomalies are few and different, so random axis-parallel
/// splits isolate them in fewer steps than normal points.
///
/// Each tree is grown on a subsample of `sampleSize` rows drawn without replacement; every node picks a
/// feature uniformly among those whose range over the node's rows is non-zero and a split value uniform
/// in that range, until the node holds one row, no feature varies, or the depth reaches
/// `ceil(log2(sampleSize))`. A leaf holding `n` rows at depth `d` contributes the path length
/// `d + c(n)`, and a row's score is `2^(−E[h(x)] / c(sampleSize))`: near 1 for anomalies, about 0.5 or
/// less for normal rows.
///
/// - Deterministic: tree `t` draws from `SeededRandom(seed: seed, stream: t)`, so the same rows and seed
///   give the same trees bit for bit, whatever the number of threads that grew them.
/// - Missing values are NaN. While growing a tree they are ignored when computing a node's range and
///   then follow the child that received more of the node's non-missing rows (the left one on a tie);
///   the side is stored per node and scoring sends NaN the same way. A missing value therefore follows
///   the most populated path, which never makes a row look more anomalous.
/// - Trees are stored flat: one array per node field for the whole forest, children of a node adjacent.
public struct IsolationForest: Sendable, Codable, Equatable {
    /// How many values every row must have.
    public let featureCount: Int
    /// The subsample size actually used per tree: `min(sampleSize, rows.count)`.
    public let sampleSize: Int
    public let seed: UInt64
    /// The root node of every tree.
    public let roots: [Int32]
    /// Per node: the split feature, or −1 for a leaf.
    let feature: [Int32]
    /// Per node: the split value (`x <= value` goes left), or for a leaf its path length `depth + c(size)`.
    let value: [Double]
    /// Per node: the left child; the right child is the next node.
    let child: [Int32]
    /// Per node: whether a missing (NaN) value goes to the left child.
    let missingLeft: [Bool]

    enum CodingKeys: String, CodingKey {
        case featureCount, sampleSize, seed, roots, feature, value, child, missingLeft
    }

    init(
        featureCount: Int, sampleSize: Int, seed: UInt64, roots: [Int32],
        feature: [Int32], value: [Double], child: [Int32], missingLeft: [Bool]
    ) {
        self.featureCount = featureCount
        self.sampleSize = sampleSize
        self.seed = seed
        self.roots = roots
        self.feature = feature
        self.value = value
        self.child = child
        self.missingLeft = missingLeft
    }

    /// Decodes a model and checks its structure, since scoring reads the node arrays unchecked: equal
    /// array lengths, features within `featureCount`, and every child after its parent and in range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            featureCount: try c.decode(Int.self, forKey: .featureCount), sampleSize: try c.decode(Int.self, forKey: .sampleSize),
            seed: try c.decode(UInt64.self, forKey: .seed), roots: try c.decode([Int32].self, forKey: .roots),
            feature: try c.decode([Int32].self, forKey: .feature), value: try c.decode([Double].self, forKey: .value),
            child: try c.decode([Int32].self, forKey: .child), missingLeft: try c.decode([Bool].self, forKey: .missingLeft))
        let n = feature.count
        var valid =
            featureCount > 0 && sampleSize >= 2 && !roots.isEmpty
            && value.count == n && child.count == n && missingLeft.count == n
            && roots.allSatisfy { $0 >= 0 && Int($0) < n }
        if valid {
            for i in 0..<n where feature[i] >= 0 {
                let f = Int(feature[i])
                let left = Int(child[i])
                if f >= featureCount || left <= i || left + 1 >= n {
                    valid = false
                    break
                }
            }
        }
        guard valid else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a valid IsolationForest: inconsistent node arrays"))
        }
    }

    public var treeCount: Int { roots.count }
    public var nodeCount: Int { feature.count }

    /// Euler–Mascheroni constant.
    static let eulerGamma = 0.577_215_664_901_532_9

    /// The average path length of an unsuccessful binary-search-tree search among `n` points:
    /// `c(n) = 2·H(n−1) − 2(n−1)/n` with `H(i) ≈ ln(i) + γ`; `c(2) = 1` and `c(n) = 0` for `n ≤ 1`.
    public static func averagePathLength(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        let m = Double(n - 1)
        return 2 * (log(m) + eulerGamma) - 2 * m / Double(n)
    }

    /// Grows `trees` isolation trees on `rows` (every row the same width; NaN is missing).
    ///
    /// Trees grow in parallel; each from its own random stream, so the result does not depend on threads.
    public static func fit(_ rows: [[Double]], trees: Int = 100, sampleSize: Int = 256, seed: UInt64) throws(AnomalyError)
        -> IsolationForest
    {
        guard trees >= 1 else { throw .invalidTreeCount(trees) }
        guard sampleSize >= 2 else { throw .invalidSampleSize(sampleSize) }
        let width = try AnomalyInput.validate(rows)
        let psi = min(sampleSize, rows.count)
        let heightLimit = psi <= 1 ? 0 : Int((log2(Double(psi))).rounded(.up))
        let built = AnomalyParallel.map(trees) { t in
            var builder = IsolationTreeBuilder(
                rows: rows, width: width, heightLimit: heightLimit,
                rng: SeededRandom(seed: seed, stream: UInt64(t)))
            builder.grow(sampleSize: psi)
            return builder.tree
        }
        var roots: [Int32] = []
        var feature: [Int32] = []
        var value: [Double] = []
        var child: [Int32] = []
        var missingLeft: [Bool] = []
        let total = built.reduce(0) { $0 + $1.feature.count }
        feature.reserveCapacity(total)
        value.reserveCapacity(total)
        child.reserveCapacity(total)
        missingLeft.reserveCapacity(total)
        for tree in built {
            let offset = Int32(feature.count)
            roots.append(offset)
            feature.append(contentsOf: tree.feature)
            value.append(contentsOf: tree.value)
            child.append(contentsOf: tree.child.map { $0 < 0 ? -1 : $0 + offset })
            missingLeft.append(contentsOf: tree.missingLeft)
        }
        return IsolationForest(
            featureCount: width, sampleSize: psi, seed: seed, roots: roots,
            feature: feature, value: value, child: child, missingLeft: missingLeft)
    }

    /// The mean path length `E[h(x)]` of `row` over the trees.
    public func pathLength(_ row: [Double]) -> Double {
        precondition(row.count == featureCount, "IsolationForest: the row has \(row.count) values, the model expects \(featureCount)")
        return row.withUnsafeBufferPointer { x in
            withNodes { nodes in nodes.totalPath(x) } / Double(roots.count)
        }
    }

    /// The anomaly score of `row` in [0, 1]: `2^(−E[h(x)] / c(sampleSize))`.
    ///
    /// - Precondition: `row.count == featureCount`.
    public func score(_ row: [Double]) -> Double {
        normalise(pathLength(row))
    }

    /// Scores every row, on all cores; each score is identical to `score(_:)` for that row.
    ///
    /// - Precondition: every row has `featureCount` values.
    public func scores(_ rows: [[Double]]) -> [Double] {
        for row in rows {
            precondition(row.count == featureCount, "IsolationForest: a row has \(row.count) values, the model expects \(featureCount)")
        }
        return AnomalyParallel.fill(rows.count) { range, out in
            self.withNodes { nodes in
                for i in range {
                    let total = rows[i].withUnsafeBufferPointer { nodes.totalPath($0) }
                    out[i] = self.normalise(total / Double(self.roots.count))
                }
            }
        }
    }

    func normalise(_ meanPath: Double) -> Double {
        exp2(-meanPath / Self.averagePathLength(sampleSize))
    }

    private func withNodes<R>(_ body: (IsolationForestNodes) -> R) -> R {
        roots.withUnsafeBufferPointer { r in
            feature.withUnsafeBufferPointer { f in
                value.withUnsafeBufferPointer { v in
                    child.withUnsafeBufferPointer { c in
                        missingLeft.withUnsafeBufferPointer { m in
                            body(IsolationForestNodes(roots: r, feature: f, value: v, child: c, missingLeft: m))
                        }
                    }
                }
            }
        }
    }
}

/// Unchecked views of the node arrays for the scoring loop.
struct IsolationForestNodes {
    let roots: UnsafeBufferPointer<Int32>
    let feature: UnsafeBufferPointer<Int32>
    let value: UnsafeBufferPointer<Double>
    let child: UnsafeBufferPointer<Int32>
    let missingLeft: UnsafeBufferPointer<Bool>

    /// The sum of the row's path lengths over the trees, in tree order.
    @inline(__always)
    func totalPath(_ x: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for root in roots {
            var node = Int(root)
            while true {
                let f = Int(feature[node])
                if f < 0 {
                    total += value[node]
                    break
                }
                let v = x[f]
                let left = v.isNaN ? missingLeft[node] : v <= value[node]
                node = Int(child[node]) + (left ? 0 : 1)
            }
        }
        return total
    }
}

/// One tree, node indexes local to the tree.
struct IsolationTree: Sendable {
    var feature: [Int32] = []
    var value: [Double] = []
    var child: [Int32] = []
    var missingLeft: [Bool] = []
}

struct IsolationTreeBuilder {
    let rows: [[Double]]
    let width: Int
    let heightLimit: Int
    var rng: SeededRandom
    var tree = IsolationTree()
    /// The subsample's row indexes; every node owns a contiguous range, partitioned in place.
    var sample: [Int] = []
    var candidates: [Int] = []
    var low: [Double] = []
    var high: [Double] = []

    init(rows: [[Double]], width: Int, heightLimit: Int, rng: SeededRandom) {
        self.rows = rows
        self.width = width
        self.heightLimit = heightLimit
        self.rng = rng
        low = [Double](repeating: 0, count: width)
        high = low
        candidates.reserveCapacity(width)
    }

    mutating func grow(sampleSize psi: Int) {
        drawSample(psi)
        tree.feature.reserveCapacity(2 * psi)
        _ = newNode()
        build(node: 0, range: 0..<sample.count, depth: 0)
    }

    /// `psi` distinct row indexes, uniformly (a partial Fisher–Yates shuffle over a sparse permutation).
    mutating func drawSample(_ psi: Int) {
        let n = rows.count
        if psi >= n {
            sample = Array(0..<n)
            return
        }
        var swapped: [Int: Int] = [:]
        swapped.reserveCapacity(2 * psi)
        sample = []
        sample.reserveCapacity(psi)
        for i in 0..<psi {
            let j = rng.int(i...(n - 1))
            let atJ = swapped[j] ?? j
            let atI = swapped[i] ?? i
            sample.append(atJ)
            swapped[j] = atI
        }
    }

    mutating func newNode() -> Int {
        tree.feature.append(-1)
        tree.value.append(0)
        tree.child.append(-1)
        tree.missingLeft.append(false)
        return tree.feature.count - 1
    }

    mutating func makeLeaf(_ node: Int, size: Int, depth: Int) {
        tree.feature[node] = -1
        tree.value[node] = Double(depth) + IsolationForest.averagePathLength(size)
    }

    mutating func build(node: Int, range: Range<Int>, depth: Int) {
        let size = range.count
        if depth >= heightLimit || size <= 1 {
            makeLeaf(node, size: size, depth: depth)
            return
        }
        // Ranges of every feature over the node's rows, missing values ignored.
        for f in 0..<width {
            low[f] = .infinity
            high[f] = -.infinity
        }
        for k in range {
            let row = rows[sample[k]]
            for f in 0..<width {
                let x = row[f]
                if x < low[f] { low[f] = x }
                if x > high[f] { high[f] = x }
            }
        }
        candidates.removeAll(keepingCapacity: true)
        for f in 0..<width where high[f] > low[f] { candidates.append(f) }
        if candidates.isEmpty {
            makeLeaf(node, size: size, depth: depth)
            return
        }
        let f = candidates.count == 1 ? candidates[0] : candidates[rng.int(0...(candidates.count - 1))]
        let lo = low[f]
        let hi = high[f]
        var split = rng.uniform(lo, hi)
        if !(split < hi) { split = lo }  // rounding; keeps both children non-empty

        // Partition: left (x <= split) | missing | right (x > split).
        var i = range.lowerBound
        for k in range where rows[sample[k]][f] <= split {
            sample.swapAt(i, k)
            i += 1
        }
        let leftCount = i - range.lowerBound
        var j = i
        for k in i..<range.upperBound where rows[sample[k]][f].isNaN {
            sample.swapAt(j, k)
            j += 1
        }
        let missingCount = j - i
        let rightCount = range.upperBound - j
        let missingLeft = leftCount >= rightCount
        let boundary = missingLeft ? range.lowerBound + leftCount + missingCount : range.lowerBound + leftCount

        tree.feature[node] = Int32(f)
        tree.value[node] = split
        tree.missingLeft[node] = missingLeft
        let left = newNode()
        _ = newNode()
        tree.child[node] = Int32(left)
        build(node: left, range: range.lowerBound..<boundary, depth: depth + 1)
        build(node: left + 1, range: boundary..<range.upperBound, depth: depth + 1)
    }
}

import DecisioningCore
import Foundation

/// An approximate nearest-neighbour index: a Hierarchical Navigable Small World graph (Malkov &
/// Yashunin, 2018) over a copy of the rows.
///
/// Levels are drawn from ``HNSWParameters/seed``; the build inserts rows in batches whose candidate
/// searches run in parallel against the graph as it was before the batch, and applies the links in
/// insertion order, so the graph depends only on the data, the parameters and the seed, never on
/// thread timing. Neighbour lists are flat `Int32` arrays: level 0 has `2M + 1` slots per node (a
/// count, then the neighbours), the upper levels `M + 1` slots per node and level.
///
/// ```swift
/// let index = try HNSWIndex(base: base, metric: .cosine, parameters: .init(m: 16, efConstruction: 200))
/// let result = try index.search(queries, k: 10, ef: 128)
/// try index.save(to: "vectors.hnsw")
/// ```
public struct HNSWIndex: Sendable, Equatable {
    /// Below this estimated share of rows passing a filter, a filtered search scans exactly instead
    /// (the graph search would visit most of the graph to fill k accepted rows): 2%.
    public static let exactFallbackSelectivity = 0.02
    /// The highest level a node can be drawn at.
    static let maxLevelCap = 15

    /// The metric rows are compared with.
    public let metric: VectorMetric
    /// The parameters the graph was built with (`ef` is the default at search).
    public internal(set) var parameters: HNSWParameters
    /// The indexed rows (unit length for cosine).
    public let vectors: VectorMatrix
    /// Each node's top level.
    var levels: [UInt8]
    /// Level 0: `stride0` slots per node, a count then up to `2M` neighbours.
    var links0: [Int32]
    /// The offset of each node's upper-level lists in `upperLinks`, or −1 for level-0-only nodes.
    var upperOffsets: [Int32]
    /// Upper levels: for each node with level L ≥ 1, L lists of `M + 1` slots (count then neighbours).
    var upperLinks: [Int32]
    /// The node every search starts from (−1 when there are no rows).
    var entryPoint: Int32
    /// The graph's top level.
    var maxLevel: Int

    var m0: Int { 2 * parameters.m }
    var stride0: Int { 2 * parameters.m + 1 }
    var strideUpper: Int { parameters.m + 1 }

    /// The number of indexed rows.
    public var count: Int { vectors.rows }
    /// The rows' dimensions.
    public var dimensions: Int { vectors.dimensions }

    /// Builds the graph over `base`.
    /// - Parameters:
    ///   - base: the rows to index (copied; normalised for cosine).
    ///   - metric: how rows are compared.
    ///   - parameters: M, efConstruction, the default ef and the seed.
    ///   - workers: threads to build with (default: every core); the graph is the same for any number.
    /// - Throws: `VectorSearchError` if a parameter is out of range, there are 2³¹ rows or more, or a
    ///   row is too long for float32 l2 or dot distances (``VectorMatrix/largestSquaredLength``).
    public init(
        base: VectorMatrix, metric: VectorMetric, parameters: HNSWParameters = .init(),
        workers: Int? = nil
    ) throws(VectorSearchError) {
        try self.init(base: base, metric: metric, parameters: parameters, workers: workers, maxBatch: Self.maxBatch)
    }

    /// As the public initializer, with the largest insertion batch given (1 inserts one row at a
    /// time, as the HNSW paper does; tests compare the two).
    init(
        base: VectorMatrix, metric: VectorMetric, parameters: HNSWParameters, workers: Int?, maxBatch: Int
    ) throws(VectorSearchError) {
        if let problem = parameters.problem { throw VectorSearchError(problem) }
        try base.checkMagnitudes(for: metric, what: "base")
        guard base.rows < Int(Int32.max) else {
            throw VectorSearchError("an HNSW index holds fewer than 2147483647 rows (got \(base.rows))")
        }
        self.metric = metric
        self.parameters = parameters
        vectors = metric.normalizes ? base.normalized() : base
        let n = vectors.rows
        var random = SeededRandom(seed: parameters.seed)
        let scale = 1 / log(Double(max(parameters.m, 2)))
        levels = (0..<n).map { _ in
            var u = random.unit()
            while u <= .leastNonzeroMagnitude { u = random.unit() }
            return UInt8(min(Self.maxLevelCap, Int(-log(u) * scale)))
        }
        links0 = [Int32](repeating: 0, count: n * (2 * parameters.m + 1))
        var offsets = [Int32](repeating: -1, count: n)
        var upperTotal = 0
        for node in 0..<n where levels[node] > 0 {
            offsets[node] = Int32(upperTotal)
            upperTotal += Int(levels[node]) * (parameters.m + 1)
        }
        guard upperTotal < Int(Int32.max) else { throw VectorSearchError("the upper levels are too large for 32-bit offsets") }
        upperOffsets = offsets
        upperLinks = [Int32](repeating: 0, count: upperTotal)
        entryPoint = -1
        maxLevel = 0
        build(workers: VectorParallel.workers(workers), maxBatch: maxBatch)
    }

    init(
        metric: VectorMetric, parameters: HNSWParameters, vectors: VectorMatrix, levels: [UInt8], links0: [Int32],
        upperOffsets: [Int32], upperLinks: [Int32], entryPoint: Int32, maxLevel: Int
    ) {
        self.metric = metric
        self.parameters = parameters
        self.vectors = vectors
        self.levels = levels
        self.links0 = links0
        self.upperOffsets = upperOffsets
        self.upperLinks = upperLinks
        self.entryPoint = entryPoint
        self.maxLevel = maxLevel
    }

    /// The neighbours of `node` at `level` (for tests and inspection).
    public func neighbors(of node: Int, level: Int = 0) -> [Int] {
        if level == 0 {
            let start = node * stride0
            let n = Int(links0[start])
            return links0[start + 1..<start + 1 + n].map { Int($0) }
        }
        guard level <= Int(levels[node]) else { return [] }
        let start = Int(upperOffsets[node]) + (level - 1) * strideUpper
        let n = Int(upperLinks[start])
        return upperLinks[start + 1..<start + 1 + n].map { Int($0) }
    }

    /// Memory held by the graph's neighbour lists, in bytes.
    public var graphBytes: Int { (links0.count + upperOffsets.count + upperLinks.count) * 4 + levels.count }
}

/// Exact k-nearest-neighbour search by scanning every row.
///
/// Queries are processed in fixed chunks of ``queryChunk`` in parallel; within a chunk the base is
/// read in blocks of ``rowBlock`` rows, each block compared with every query of the chunk (four
/// queries per row load) while it is in cache. A filter is applied during the scan: rows it refuses
/// never enter the top-k. Ties are broken by the lower row index, so results are deterministic.
///
/// ```swift
/// let search = ExactSearch(base: base, metric: .l2)
/// let result = try search.search(queries, k: 10)
/// ```
public struct ExactSearch: Sendable {
    /// Queries per parallel work item (fixed, independent of the core count).
    public static let queryChunk = 64
    /// Base rows compared with a chunk's queries at a time.
    public static let rowBlock = 1024

    /// The metric rows are compared with.
    public let metric: VectorMetric
    /// The rows searched (unit length for cosine).
    public let base: VectorMatrix
    private let norms: [Float]

    /// Prepares `base` for search with `metric` (normalising it once for cosine).
    public init(base: VectorMatrix, metric: VectorMetric) {
        self.metric = metric
        self.base = metric.normalizes ? base.normalized() : base
        norms = metric == .l2 ? self.base.squaredNorms() : []
    }

    /// The `k` nearest rows of every query.
    /// - Parameters:
    ///   - queries: vectors with the base's dimensions.
    ///   - k: neighbours per query, at least 1.
    ///   - filter: rows for which it returns false are never returned.
    ///   - workers: threads to use (default: every core; 1 runs on the calling thread).
    /// - Throws: `VectorSearchError` if the dimensions differ or `k` is below 1.
    public func search(
        _ queries: VectorMatrix, k: Int, filter: (@Sendable (Int) -> Bool)? = nil,
        workers: Int? = nil
    ) throws(VectorSearchError) -> VectorSearchResult {
        guard queries.dimensions == base.dimensions else {
            throw VectorSearchError("the queries have \(queries.dimensions) dimensions; the base has \(base.dimensions)")
        }
        guard k >= 1 else { throw VectorSearchError("k must be at least 1 (got \(k))") }
        let prepared = metric.normalizes ? queries.normalized() : queries
        let queryNorms = metric == .l2 ? prepared.squaredNorms() : []
        let total = prepared.rows * k
        var indices = [Int32](repeating: -1, count: total)
        var distances = [Float](repeating: .infinity, count: total)
        let chunks = VectorParallel.chunkCount(prepared.rows, size: Self.queryChunk)
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            distances.withUnsafeMutableBufferPointer { distanceBuffer in
                guard let indexBase = indexBuffer.baseAddress, let distanceBase = distanceBuffer.baseAddress else { return }
                let outIndices = SharedPointer(base: indexBase)
                let outDistances = SharedPointer(base: distanceBase)
                VectorParallel.run(chunks: chunks, workers: VectorParallel.workers(workers)) { chunk, _ in
                    let start = chunk * Self.queryChunk
                    let end = min(prepared.rows, start + Self.queryChunk)
                    let heaps = scan(prepared, queryNorms, start..<end, k: k, filter: filter)
                    for (offset, var heap) in heaps.enumerated() {
                        let slot = (start + offset) * k
                        for (rank, pair) in heap.drainAscending().enumerated() {
                            outIndices.base[slot + rank] = pair.id
                            outDistances.base[slot + rank] = pair.distance
                        }
                    }
                }
            }
        }
        return VectorSearchResult(queries: prepared.rows, k: k, indices: indices, distances: distances)
    }

    /// The top-k heaps of the queries in `range`, scanning the base block by block.
    private func scan(
        _ queries: VectorMatrix, _ queryNorms: [Float], _ range: Range<Int>, k: Int, filter: (@Sendable (Int) -> Bool)?
    ) -> [NeighborHeap] {
        var heaps = (0..<range.count).map { _ in NeighborHeap(capacity: k) }
        let d = base.dimensions
        let metric = metric
        var allowed = [Bool](repeating: true, count: Self.rowBlock)
        base.values.withUnsafeBufferPointer { baseBuffer in
            queries.values.withUnsafeBufferPointer { queryBuffer in
                guard let rows = baseBuffer.baseAddress, let qs = queryBuffer.baseAddress else { return }
                for blockStart in stride(from: 0, to: base.rows, by: Self.rowBlock) {
                    let blockEnd = min(base.rows, blockStart + Self.rowBlock)
                    if let filter {
                        for r in blockStart..<blockEnd { allowed[r - blockStart] = filter(r) }
                    }
                    var q = range.lowerBound
                    while q < range.upperBound {
                        let group = min(4, range.upperBound - q)
                        let q0 = qs + q * d
                        let q1 = group > 1 ? q0 + d : q0
                        let q2 = group > 2 ? q0 + 2 * d : q0
                        let q3 = group > 3 ? q0 + 3 * d : q0
                        let h = q - range.lowerBound
                        for r in blockStart..<blockEnd where allowed[r - blockStart] {
                            let dots = VectorKernels.dot4(q0, q1, q2, q3, rows + r * d, count: d)
                            let rowNorm = metric == .l2 ? norms[r] : 0
                            for j in 0..<group {
                                let queryNorm = metric == .l2 ? queryNorms[q + j] : 0
                                let distance = metric.distance(dot: dots[j], queryNorm: queryNorm, rowNorm: rowNorm)
                                heaps[h + j].offer(distance, Int32(truncatingIfNeeded: r), capacity: k)
                            }
                        }
                        q += group
                    }
                }
            }
        }
        return heaps
    }
}

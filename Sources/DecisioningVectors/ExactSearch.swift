/// Exact k-nearest-neighbour search by scanning every row.
///
/// The rows are packed once into panels of ``panelRows``, each stored dimension by dimension (the
/// panel's first values, then their second values, …), so a register tile of six queries × 16 rows
/// sums twelve eight-float fused multiply-adds per dimension with no horizontal sums, as a matrix
/// multiply does. Queries are processed in fixed chunks of ``queryChunk`` in parallel; a chunk walks
/// the panels once, each panel staying in L1 while every tile of the chunk's queries is compared with
/// it. A tile's 16 distances per query are compared with that query's current k-th distance at once,
/// and only rows that beat it reach the top-k heap. A filter is applied during the scan: rows it
/// refuses never enter the top-k. Every (query, row) distance is summed in the same order whatever
/// the chunk, tile or thread, and ties go to the lower row, so results are deterministic.
///
/// ```swift
/// let search = ExactSearch(base: base, metric: .l2)
/// let result = try search.search(queries, k: 10)
/// ```
public struct ExactSearch: Sendable {
    /// Queries per parallel work item (fixed, independent of the core count; a multiple of the tile).
    public static let queryChunk = 96
    /// Rows per packed panel (two eight-float registers).
    static let panelRows = 16
    /// Queries per register tile.
    static let tileQueries = 6

    /// The metric rows are compared with.
    public let metric: VectorMetric
    /// The number of rows searched.
    public let rows: Int
    /// The rows' dimensions.
    public let dimensions: Int
    /// `⌈rows / 16⌉` panels of `dimensions × 16` floats (unit-length rows for cosine), zero-padded.
    private let panels: [Float]
    /// Each padded row's part of its distance: its squared norm (l2), 1 (cosine) or 0 (dot); +∞ for
    /// the padding, so padded rows never qualify.
    private let rowTerms: [Float]
    /// The first row too long for float32 l2 or dot distances (``VectorMatrix/largestSquaredLength``),
    /// refused by every search.
    private let tooLong: (row: Int, squaredLength: Double)?

    /// Prepares `base` for search with `metric` and packs it, normalising each row for cosine as it
    /// is packed (the same values as ``VectorMatrix/normalized()``, without a normalised copy).
    public init(base: VectorMatrix, metric: VectorMetric) {
        self.metric = metric
        rows = base.rows
        dimensions = base.dimensions
        tooLong = base.rowTooLong(for: metric)
        let width = Self.panelRows
        let panelCount = (base.rows + width - 1) / width
        let d = base.dimensions
        let normalizes = metric.normalizes
        var packed = [Float](repeating: 0, count: panelCount * d * width)
        base.values.withUnsafeBufferPointer { source in
            packed.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let into = target.baseAddress else { return }
                for r in 0..<base.rows {
                    let out = (r / width) * d * width + r % width
                    let row = from + r * d
                    if normalizes {
                        VectorMatrix.normalize(row, into: into + out, count: d, stride: width)
                    } else {
                        for k in 0..<d { target[out + k * width] = row[k] }
                    }
                }
            }
        }
        panels = packed
        var terms = [Float](repeating: .infinity, count: panelCount * width)
        switch metric {
        case .l2:
            for (r, norm) in base.squaredNorms().enumerated() { terms[r] = norm }
        case .cosine:
            for r in 0..<base.rows { terms[r] = 1 }
        case .dot:
            for r in 0..<base.rows { terms[r] = 0 }
        }
        rowTerms = terms
    }

    /// Throws the error for the first base row too long for float32 l2 or dot distances, if there is one
    /// (found once, when the base was packed).
    func refuseTooLongRow() throws(VectorSearchError) {
        guard let tooLong else { return }
        throw VectorMatrix.tooLongError(
            row: tooLong.row, squaredLength: tooLong.squaredLength, of: "base", metric: metric, dimensions: dimensions)
    }

    /// The `k` nearest rows of every query.
    /// - Parameters:
    ///   - queries: vectors with the base's dimensions.
    ///   - k: neighbours per query, at least 1.
    ///   - filter: rows for which it returns false are never returned.
    ///   - workers: threads to use (default: every core; 1 runs on the calling thread).
    /// - Throws: `VectorSearchError` if the dimensions differ, `k` is below 1, or a base row or query
    ///   is too long for float32 l2 or dot distances (``VectorMatrix/largestSquaredLength``).
    public func search(
        _ queries: VectorMatrix, k: Int, filter: (@Sendable (Int) -> Bool)? = nil,
        workers: Int? = nil
    ) throws(VectorSearchError) -> VectorSearchResult {
        guard queries.dimensions == dimensions else {
            throw VectorSearchError("the queries have \(queries.dimensions) dimensions; the base has \(dimensions)")
        }
        guard k >= 1 else { throw VectorSearchError("k must be at least 1 (got \(k))") }
        try refuseTooLongRow()
        try queries.checkMagnitudes(for: metric, what: "queries")
        let prepared = metric.normalizes ? queries.normalized() : queries
        let total = prepared.rows * k
        var indices = [Int32](repeating: -1, count: total)
        var distances = [Float](repeating: .infinity, count: total)
        guard rows > 0, prepared.rows > 0 else {
            return VectorSearchResult(queries: prepared.rows, k: k, indices: indices, distances: distances)
        }
        let queryTerms = metric == .l2 ? prepared.squaredNorms() : [Float](repeating: 0, count: prepared.rows)
        let chunks = VectorParallel.chunkCount(prepared.rows, size: Self.queryChunk)
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            distances.withUnsafeMutableBufferPointer { distanceBuffer in
                guard let indexBase = indexBuffer.baseAddress, let distanceBase = distanceBuffer.baseAddress else { return }
                let outIndices = SharedPointer(base: indexBase)
                let outDistances = SharedPointer(base: distanceBase)
                VectorParallel.run(chunks: chunks, workers: VectorParallel.workers(workers)) { chunk, _ in
                    let start = chunk * Self.queryChunk
                    let end = min(prepared.rows, start + Self.queryChunk)
                    let heaps = scan(prepared, queryTerms, start..<end, k: k, filter: filter)
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

    /// The top-k heaps of the queries in `range`, walking the panels once.
    private func scan(
        _ queries: VectorMatrix, _ queryTerms: [Float], _ range: Range<Int>, k: Int, filter: (@Sendable (Int) -> Bool)?
    ) -> [NeighborHeap] {
        var heaps = (0..<range.count).map { _ in NeighborHeap(capacity: k) }
        // Each query's current k-th distance (+∞ until its heap is full): a row must beat it.
        var limits = [Float](repeating: .infinity, count: range.count)
        let d = dimensions
        let width = Self.panelRows
        let factor: Float = metric == .l2 ? 2 : 1
        let clamps = metric == .l2
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: Self.tileQueries * width)
        defer { tile.deallocate() }
        panels.withUnsafeBufferPointer { panelBuffer in
            rowTerms.withUnsafeBufferPointer { termBuffer in
                queries.values.withUnsafeBufferPointer { queryBuffer in
                    guard let panelBase = panelBuffer.baseAddress, let terms = termBuffer.baseAddress,
                        let qs = queryBuffer.baseAddress
                    else { return }
                    for p in 0..<(rows + width - 1) / width {
                        let first = p * width
                        var allowed: UInt32 = 0xFFFF
                        if let filter {
                            allowed = 0
                            for lane in 0..<min(width, rows - first) where filter(first + lane) { allowed |= 1 << lane }
                            if allowed == 0 { continue }
                        }
                        let panel = panelBase + p * d * width
                        let terms0 = Self.load(terms + first)
                        let terms1 = Self.load(terms + first + 8)
                        var q = 0
                        while q < range.count {
                            let group = min(Self.tileQueries, range.count - q)
                            let q0 = qs + (range.lowerBound + q) * d
                            // A short group repeats its last query; the repeats' results are not read.
                            Self.tile6(
                                q0, q0 + min(1, group - 1) * d, q0 + min(2, group - 1) * d, q0 + min(3, group - 1) * d,
                                q0 + min(4, group - 1) * d, q0 + min(5, group - 1) * d, panel: panel, dimensions: d, into: tile)
                            for j in 0..<group {
                                let h = q + j
                                let queryTerm = SIMD8<Float>(repeating: queryTerms[range.lowerBound + h])
                                var near0 = (terms0 + queryTerm) - factor * Self.load(tile + j * width)
                                var near1 = (terms1 + queryTerm) - factor * Self.load(tile + j * width + 8)
                                if clamps {
                                    near0 = near0.replacing(with: 0, where: near0 .< 0)
                                    near1 = near1.replacing(with: 0, where: near1 .< 0)
                                }
                                let limit = SIMD8<Float>(repeating: limits[h])
                                guard any(near0 .< limit) || any(near1 .< limit) else { continue }
                                // Lanes in row order: a later row at an equal distance never displaces an earlier one.
                                for lane in 0..<width where allowed & (1 << lane) != 0 {
                                    let distance = lane < 8 ? near0[lane] : near1[lane - 8]
                                    guard distance < limits[h] else { continue }
                                    heaps[h].offer(distance, Int32(truncatingIfNeeded: first + lane), capacity: k)
                                    if heaps[h].count == k { limits[h] = heaps[h].topDistance }
                                }
                            }
                            q += group
                        }
                    }
                }
            }
        }
        return heaps
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// The inner products of six queries with a panel's 16 rows, written query by query to `out`
    /// (6 × 16 floats): each summed over the dimensions in increasing order with fused multiply-adds.
    @inline(__always)
    private static func tile6(
        _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>, _ a3: UnsafePointer<Float>,
        _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>, panel: UnsafePointer<Float>, dimensions: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var c00 = SIMD8<Float>()
        var c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>()
        var c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>()
        var c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>()
        var c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>()
        var c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>()
        var c51 = SIMD8<Float>()
        var w = panel
        for k in 0..<dimensions {
            let b0 = load(w)
            let b1 = load(w + 8)
            w += panelRows
            var x = SIMD8<Float>(repeating: a0[k])
            c00 = c00.addingProduct(x, b0)
            c01 = c01.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a1[k])
            c10 = c10.addingProduct(x, b0)
            c11 = c11.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a2[k])
            c20 = c20.addingProduct(x, b0)
            c21 = c21.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a3[k])
            c30 = c30.addingProduct(x, b0)
            c31 = c31.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a4[k])
            c40 = c40.addingProduct(x, b0)
            c41 = c41.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a5[k])
            c50 = c50.addingProduct(x, b0)
            c51 = c51.addingProduct(x, b1)
        }
        let raw = UnsafeMutableRawPointer(out)
        raw.storeBytes(of: c00, toByteOffset: 0, as: SIMD8<Float>.self)
        raw.storeBytes(of: c01, toByteOffset: 32, as: SIMD8<Float>.self)
        raw.storeBytes(of: c10, toByteOffset: 64, as: SIMD8<Float>.self)
        raw.storeBytes(of: c11, toByteOffset: 96, as: SIMD8<Float>.self)
        raw.storeBytes(of: c20, toByteOffset: 128, as: SIMD8<Float>.self)
        raw.storeBytes(of: c21, toByteOffset: 160, as: SIMD8<Float>.self)
        raw.storeBytes(of: c30, toByteOffset: 192, as: SIMD8<Float>.self)
        raw.storeBytes(of: c31, toByteOffset: 224, as: SIMD8<Float>.self)
        raw.storeBytes(of: c40, toByteOffset: 256, as: SIMD8<Float>.self)
        raw.storeBytes(of: c41, toByteOffset: 288, as: SIMD8<Float>.self)
        raw.storeBytes(of: c50, toByteOffset: 320, as: SIMD8<Float>.self)
        raw.storeBytes(of: c51, toByteOffset: 352, as: SIMD8<Float>.self)
    }
}

extension HNSWIndex {
    /// Queries per parallel work item (fixed, independent of the core count).
    static let queryChunk = 16
    /// Rows sampled to estimate a filter's selectivity.
    static let selectivitySample = 1000
    /// The candidates kept on each level above 0 on the way down to level 0, where the search starts
    /// from all of them. A purely greedy descent (a width of 1, as in the HNSW paper and hnswlib) can
    /// stop in a local minimum far from the query, and the level-0 search then never leaves that
    /// region; queries near one another share the trap. On the scale-1 note embeddings inserted in
    /// sorted order, a width of 4 raised recall@10 at ef 10 by 0.02 to 0.14 (three seeds); in their
    /// own order, from 0.987 to 0.992, for about 13% fewer queries a second (docs/vectors.md). The
    /// build still descends greedily above a new row's level: from there on it searches with
    /// `efConstruction` candidates, which leave such minima.
    static let descentWidth = 4

    /// The approximate `k` nearest rows of every query.
    /// - Parameters:
    ///   - queries: vectors with the index's dimensions.
    ///   - k: neighbours per query, at least 1.
    ///   - ef: the candidate list's size (default ``HNSWParameters/ef``; raised to `k` when smaller).
    ///   - filter: rows for which it returns false are traversed but never returned. When fewer than
    ///     ``exactFallbackSelectivity`` of a sample of up to 1,000 evenly spaced rows pass, the search
    ///     is exact instead.
    ///   - workers: threads to use (default: every core; 1 runs on the calling thread).
    /// - Throws: `VectorSearchError` if the dimensions differ, `k` or `ef` is below 1, or a query is
    ///   too long for float32 l2 or dot distances (``VectorMatrix/largestSquaredLength``).
    public func search(
        _ queries: VectorMatrix, k: Int, ef: Int? = nil, filter: (@Sendable (Int) -> Bool)? = nil,
        workers: Int? = nil
    ) throws(VectorSearchError) -> VectorSearchResult {
        try search(queries, k: k, ef: ef, filter: filter, workers: workers, descentWidth: Self.descentWidth)
    }

    /// As the public search, with the candidates kept on each level above 0 given (1 descends
    /// greedily, as the HNSW paper does; tests compare the two).
    func search(
        _ queries: VectorMatrix, k: Int, ef: Int?, filter: (@Sendable (Int) -> Bool)?, workers: Int?, descentWidth: Int
    ) throws(VectorSearchError) -> VectorSearchResult {
        precondition(descentWidth >= 1, "the descent keeps at least one candidate")
        guard queries.dimensions == dimensions else {
            throw VectorSearchError("the queries have \(queries.dimensions) dimensions; the index has \(dimensions)")
        }
        guard k >= 1 else { throw VectorSearchError("k must be at least 1 (got \(k))") }
        try queries.checkMagnitudes(for: metric, what: "queries")
        let efSearch = max(ef ?? parameters.ef, k)
        guard efSearch >= 1 else { throw VectorSearchError("ef must be at least 1") }
        if let filter, selectivity(of: filter) < Self.exactFallbackSelectivity {
            return try ExactSearch(base: vectors, metric: metric).search(queries, k: k, filter: filter, workers: workers)
        }
        let prepared = metric.normalizes ? queries.normalized() : queries
        let total = prepared.rows * k
        var indices = [Int32](repeating: -1, count: total)
        var distances = [Float](repeating: .infinity, count: total)
        guard count > 0, prepared.rows > 0 else {
            return VectorSearchResult(queries: prepared.rows, k: k, indices: indices, distances: distances)
        }
        let threads = VectorParallel.workers(workers)
        let scratch = HNSWScratch.pool(workers: threads, nodes: count, listCapacity: m0)
        let entry = entryPoint
        let top = maxLevel
        let d = dimensions
        withGraph { graph in
            prepared.values.withUnsafeBufferPointer { queryBuffer in
                indices.withUnsafeMutableBufferPointer { indexBuffer in
                    distances.withUnsafeMutableBufferPointer { distanceBuffer in
                        guard let qs = queryBuffer.baseAddress, let indexBase = indexBuffer.baseAddress,
                            let distanceBase = distanceBuffer.baseAddress
                        else { return }
                        let queryPointer = SharedPointer(base: UnsafeMutablePointer(mutating: qs))
                        let outIndices = SharedPointer(base: indexBase)
                        let outDistances = SharedPointer(base: distanceBase)
                        let chunks = VectorParallel.chunkCount(prepared.rows, size: Self.queryChunk)
                        VectorParallel.run(chunks: chunks, workers: threads) { chunk, worker in
                            let start = chunk * Self.queryChunk
                            let local = scratch[worker]
                            for q in start..<min(prepared.rows, start + Self.queryChunk) {
                                let query = UnsafePointer(queryPointer.base + q * d)
                                var entries = [(distance: graph.distance(query, Int(entry)), id: entry)]
                                var level = top
                                while level > 0 {
                                    graph.searchLayer(
                                        query, entries: entries, ef: descentWidth, level: level, scratch: local, accept: nil)
                                    entries = local.results.drainAscending()
                                    level -= 1
                                }
                                graph.searchLayer(
                                    query, entries: entries, ef: efSearch, level: 0, scratch: local, accept: filter)
                                for (rank, pair) in local.results.drainAscending().prefix(k).enumerated() {
                                    outIndices.base[q * k + rank] = pair.id
                                    outDistances.base[q * k + rank] = pair.distance
                                }
                            }
                        }
                    }
                }
            }
        }
        return VectorSearchResult(queries: prepared.rows, k: k, indices: indices, distances: distances)
    }

    /// The share of up to ``selectivitySample`` evenly spaced rows that `filter` accepts.
    func selectivity(of filter: (Int) -> Bool) -> Double {
        guard count > 0 else { return 1 }
        let step = max(1, count / Self.selectivitySample)
        var sampled = 0
        var accepted = 0
        for row in stride(from: 0, to: count, by: step) {
            sampled += 1
            if filter(row) { accepted += 1 }
        }
        return Double(accepted) / Double(sampled)
    }
}

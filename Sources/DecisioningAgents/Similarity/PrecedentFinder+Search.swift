import DecisioningVectors

extension PrecedentFinder {
    /// The `k` completed projects nearest to `query` that pass `filter`: (row, squared distance), nearest
    /// first, ties to the lower row (exact search).
    func nearest(_ query: [Float], k: Int, filter: @escaping @Sendable (Int) -> Bool) -> [(index: Int, distance: Float)] {
        guard let search, let queries = try? VectorMatrix(rows: 1, dimensions: query.count, values: query),
            let result = try? search.search(queries, k: k, filter: filter, workers: 1)
        else { return [] }
        return zip(result.neighbors(ofQuery: 0), result.distances(ofQuery: 0)).map { (index: $0, distance: max(0, $1)) }
    }
}

/// The search a caller should use for a base: exact below ``exactThreshold`` rows (or when asked),
/// an HNSW graph above it.
///
/// ```swift
/// let index = try VectorIndex(base: base, metric: .l2)
/// let result = try index.search(queries, k: 10)
/// ```
public enum VectorIndex: Sendable {
    /// Below this many rows a scan is fast enough and exact, so no graph is built: 20,000.
    public static let exactThreshold = 20_000

    /// A scan of every row.
    case exact(ExactSearch)
    /// An HNSW graph.
    case hnsw(HNSWIndex)

    /// Exact search if `exact` is true or `base` has fewer than ``exactThreshold`` rows, else an HNSW
    /// index built with `parameters`.
    /// - Throws: `VectorSearchError` if the HNSW parameters are out of range or a row is too long for
    ///   float32 l2 or dot distances (``VectorMatrix/largestSquaredLength``).
    public init(
        base: VectorMatrix, metric: VectorMetric, exact: Bool = false, parameters: HNSWParameters = .init(), workers: Int? = nil
    ) throws(VectorSearchError) {
        if exact || base.rows < Self.exactThreshold {
            // The scan finds a too-long row while packing the base; refused here, before any search.
            let scan = ExactSearch(base: base, metric: metric)
            try scan.refuseTooLongRow()
            self = .exact(scan)
        } else {
            self = .hnsw(try HNSWIndex(base: base, metric: metric, parameters: parameters, workers: workers))
        }
    }

    /// The `k` nearest rows of every query (see ``ExactSearch/search(_:k:filter:workers:)`` and
    /// ``HNSWIndex/search(_:k:ef:filter:workers:)``; `ef` applies to HNSW only).
    /// - Throws: `VectorSearchError` if the dimensions differ or `k` is below 1.
    public func search(
        _ queries: VectorMatrix, k: Int, ef: Int? = nil, filter: (@Sendable (Int) -> Bool)? = nil, workers: Int? = nil
    ) throws(VectorSearchError) -> VectorSearchResult {
        switch self {
        case .exact(let search): try search.search(queries, k: k, filter: filter, workers: workers)
        case .hnsw(let index): try index.search(queries, k: k, ef: ef, filter: filter, workers: workers)
        }
    }
}

/// The k nearest rows of each query, nearest first (ties by lower row index). A query with fewer than
/// k eligible rows (a filter, or k above the row count) has its remaining slots set to row −1 and
/// distance +∞.
public struct VectorSearchResult: Sendable, Equatable {
    /// The number of queries.
    public let queries: Int
    /// The neighbours asked for per query.
    public let k: Int
    /// `queries × k` row indices, query after query.
    public let indices: [Int32]
    /// `queries × k` distances matching `indices` ("smaller is nearer" for every metric).
    public let distances: [Float]

    /// The rows found for `query`, nearest first, without the empty slots.
    public func neighbors(ofQuery query: Int) -> [Int] {
        indices[query * k..<(query + 1) * k].compactMap { $0 < 0 ? nil : Int($0) }
    }

    /// The distances found for `query`, matching `neighbors(ofQuery:)`.
    public func distances(ofQuery query: Int) -> [Float] {
        Array(distances[query * k..<(query + 1) * k].prefix { $0.isFinite })
    }
}

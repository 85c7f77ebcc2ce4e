import Testing

@testable import DecisioningVectors

/// Values far from 1 in either direction: float32 l2 and dot distances of rows longer than
/// `VectorMatrix.largestSquaredLength` would overflow to infinity and rank nothing, so such rows are
/// refused with their row and the limit; cosine normalises in double precision, so the same rows
/// scaled by 10³⁰ or 10⁻³⁰ find what the unscaled ones find.
@Suite struct VectorMagnitudeTests {
    static let base = VectorTestData.clustered(rows: 600, dimensions: 64, clusters: 6, seed: 31)
    static let queries = VectorTestData.clustered(rows: 12, dimensions: 64, clusters: 6, seed: 32)

    static func scaled(_ matrix: VectorMatrix, by factor: Float, rows: Set<Int>? = nil) throws -> VectorMatrix {
        var values = matrix.values
        for r in 0..<matrix.rows where rows?.contains(r) ?? true {
            for c in 0..<matrix.dimensions { values[r * matrix.dimensions + c] *= factor }
        }
        return try VectorMatrix(rows: matrix.rows, dimensions: matrix.dimensions, values: values)
    }

    @Test(arguments: [VectorMetric.l2, .dot])
    func rowsTooLongForFloatDistancesAreRefusedWithTheirRow(metric: VectorMetric) throws {
        let base = try Self.scaled(Self.base, by: 1e30, rows: [7, 300])
        let expected = "row 7 of the base has a squared length of"
        #expect {
            _ = try VectorIndex(base: base, metric: metric, exact: true)
        } throws: { error in
            (error as? VectorSearchError)?.message.hasPrefix(expected) == true
                && (error as? VectorSearchError)?.message.contains("scale the vectors down, or use the cosine metric") == true
        }
        #expect { _ = try HNSWIndex(base: base, metric: metric) } throws: {
            ($0 as? VectorSearchError)?.message.hasPrefix(expected) == true
        }
        #expect { _ = try ExactSearch(base: base, metric: metric).search(Self.queries, k: 3) } throws: {
            ($0 as? VectorSearchError)?.message.hasPrefix(expected) == true
        }
        let queries = try Self.scaled(Self.queries, by: 1e30, rows: [2])
        let graph = try HNSWIndex(base: Self.base, metric: metric)
        for search in [{ try graph.search(queries, k: 3) }, { try ExactSearch(base: Self.base, metric: metric).search(queries, k: 3) }] {
            #expect { _ = try search() } throws: { ($0 as? VectorSearchError)?.message.hasPrefix("row 2 of the queries") == true }
        }
        // The limit itself: rows just inside it are searched, and every distance is finite.
        let largest = Float((VectorMatrix.largestSquaredLength / 64).squareRoot()) * 0.99
        let edge = try VectorMatrix(
            rows: 2, dimensions: 64, values: [Float](repeating: largest, count: 64) + [Float](repeating: -largest, count: 64))
        let result = try ExactSearch(base: edge, metric: metric).search(edge, k: 2)
        let finite = result.distances(ofQuery: 0).allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test(arguments: [Float(1e30), 1e-30])
    func cosineFindsTheSameRowsWhateverTheScale(factor: Float) throws {
        let reference = try ExactSearch(base: Self.base, metric: .cosine).search(Self.queries, k: 5)
        let base = try Self.scaled(Self.base, by: factor)
        let queries = try Self.scaled(Self.queries, by: factor)
        let exact = try ExactSearch(base: base, metric: .cosine).search(queries, k: 5)
        let graph = try HNSWIndex(base: base, metric: .cosine).search(queries, k: 5, ef: 200)
        for q in 0..<Self.queries.rows {
            #expect(exact.neighbors(ofQuery: q) == reference.neighbors(ofQuery: q))
            #expect(graph.neighbors(ofQuery: q) == reference.neighbors(ofQuery: q))
            for (a, b) in zip(exact.distances(ofQuery: q), reference.distances(ofQuery: q)) { #expect(abs(a - b) < 1e-5) }
        }
    }
}

import DecisioningVectors
import Testing

@Suite struct ExactSearchTests {
    @Test(arguments: VectorMetric.allCases)
    func matchesBruteForce(metric: VectorMetric) throws {
        // 37 dimensions exercise the 32-, 16- and 8-lane steps and the scalar tail.
        let base = VectorTestData.uniform(rows: 700, dimensions: 37, seed: 1)
        let queries = VectorTestData.uniform(rows: 9, dimensions: 37, seed: 2)
        let k = 10
        for workers in [1, 3] {
            let result = try ExactSearch(base: base, metric: metric).search(queries, k: k, workers: workers)
            for q in 0..<queries.rows {
                let reference = VectorTestData.bruteForce(base: base, query: queries.row(q), metric: metric, k: k)
                let found = result.neighbors(ofQuery: q)
                #expect(found.count == k)
                // Rows may swap only where the reference distances are within float rounding.
                for (rank, row) in found.enumerated() where row != reference[rank].row {
                    #expect(abs(reference.first { $0.row == row }?.distance ?? .infinity - reference[rank].distance) < 1e-4)
                }
                let distances = result.distances(ofQuery: q)
                for (rank, d) in distances.enumerated() { #expect(abs(Double(d) - reference[rank].distance) < 1e-3) }
            }
        }
    }

    /// The scan packs rows in panels of 16 and queries in tiles of 6 inside chunks of 96: none of that may change a
    /// query's answer, to the bit, whether it is searched alone, in a short tile, in a long batch or on more threads.
    @Test(arguments: VectorMetric.allCases)
    func aQuerysAnswerDoesNotDependOnItsBatch(metric: VectorMetric) throws {
        let base = VectorTestData.clustered(rows: 1_000, dimensions: 19, clusters: 12, seed: 11)
        let queries = VectorTestData.clustered(rows: 101, dimensions: 19, clusters: 12, seed: 12)
        let search = ExactSearch(base: base, metric: metric)
        let batch = try search.search(queries, k: 7, workers: 3)
        for q in [0, 5, 6, 95, 96, 100] {
            let alone = try search.search(queries.rows([q]), k: 7, workers: 1)
            #expect(alone.neighbors(ofQuery: 0) == batch.neighbors(ofQuery: q))
            #expect(alone.distances(ofQuery: 0).map(\.bitPattern) == batch.distances(ofQuery: q).map(\.bitPattern))
        }
        let tail = try search.search(queries.rows(Array(96...100)), k: 7, workers: 1)
        for q in 0..<5 { #expect(tail.neighbors(ofQuery: q) == batch.neighbors(ofQuery: 96 + q)) }
    }

    /// Cosine rows are normalised as they are packed, not copied first: the answers are those of the
    /// same search over rows normalised beforehand (which the packing normalises again, to within a
    /// rounding), a row of zeros included, whatever the rows' lengths.
    @Test func cosineNormalisesRowsAsItPacksThem() throws {
        var values = VectorTestData.clustered(rows: 300, dimensions: 24, clusters: 5, seed: 21).values.map { $0 * 7 }
        for i in 24..<48 { values[i] = 0 }
        let raw = try VectorMatrix(rows: 300, dimensions: 24, values: values)
        let queries = VectorTestData.clustered(rows: 20, dimensions: 24, clusters: 5, seed: 22)
        let packed = try ExactSearch(base: raw, metric: .cosine).search(queries, k: 8)
        let unit = try ExactSearch(base: raw.normalized(), metric: .cosine).search(queries, k: 8)
        for q in 0..<queries.rows {
            let distances = packed.distances(ofQuery: q)
            let expected = unit.distances(ofQuery: q)
            for (d, e) in zip(distances, expected) { #expect(abs(d - e) < 1e-5) }
            // Rows may swap only where their distances are within a rounding of each other.
            let separated = zip(expected, expected.dropFirst()).allSatisfy { $1 - $0 > 1e-5 }
            if separated { #expect(packed.neighbors(ofQuery: q) == unit.neighbors(ofQuery: q)) }
        }
        // The zero row is at distance 1 from every query (1 − 0), never nearer.
        let all = try ExactSearch(base: raw, metric: .cosine).search(queries, k: 300)
        for q in 0..<queries.rows {
            let rank = all.neighbors(ofQuery: q).firstIndex(of: 1)
            #expect(rank.map { all.distances(ofQuery: q)[$0] } == 1)
        }
    }

    @Test func kernelsHandleEveryLength() throws {
        for dimensions in [1, 7, 8, 15, 16, 17, 31, 32, 33, 100] {
            let base = VectorTestData.uniform(rows: 50, dimensions: dimensions, seed: UInt64(dimensions))
            let queries = VectorTestData.uniform(rows: 5, dimensions: dimensions, seed: 99)
            let result = try ExactSearch(base: base, metric: .l2).search(queries, k: 1)
            for q in 0..<5 {
                let reference = VectorTestData.bruteForce(base: base, query: queries.row(q), metric: .l2, k: 1)
                #expect(abs(Double(result.distances(ofQuery: q)[0]) - reference[0].distance) < 1e-4)
            }
        }
    }

    @Test func filteredRowsNeverReturned() throws {
        let base = VectorTestData.uniform(rows: 3000, dimensions: 16, seed: 3)
        let queries = VectorTestData.uniform(rows: 70, dimensions: 16, seed: 4)
        let result = try ExactSearch(base: base, metric: .l2).search(queries, k: 5, filter: { $0 % 7 == 3 })
        for q in 0..<queries.rows {
            let found = result.neighbors(ofQuery: q)
            #expect(found.count == 5)
            #expect(found.allSatisfy { $0 % 7 == 3 })
            let reference = VectorTestData.bruteForce(base: base, query: queries.row(q), metric: .l2, k: 5) { $0 % 7 == 3 }
            #expect(found == reference.map(\.row))
        }
    }

    @Test func tiesGoToTheLowerRow() throws {
        let row: [Float] = [1, 2, 3]
        let base = try VectorMatrix([[9, 9, 9], row, [5, 5, 5], row, row])
        let result = try ExactSearch(base: base, metric: .l2).search(try VectorMatrix([row]), k: 3)
        #expect(result.neighbors(ofQuery: 0) == [1, 3, 4])
    }

    @Test func fewerRowsThanKLeavesEmptySlots() throws {
        let base = try VectorMatrix([[0, 0], [1, 1]])
        let result = try ExactSearch(base: base, metric: .dot).search(try VectorMatrix([[1, 0]]), k: 4)
        #expect(result.indices == [0, 1, -1, -1].map { Int32($0) } || result.indices == [1, 0, -1, -1].map { Int32($0) })
        #expect(result.neighbors(ofQuery: 0).count == 2)
    }

    @Test func refusesMismatchedDimensions() {
        let base = VectorTestData.uniform(rows: 10, dimensions: 4, seed: 5)
        #expect(throws: VectorSearchError.self) {
            try ExactSearch(base: base, metric: .l2).search(VectorTestData.uniform(rows: 1, dimensions: 3, seed: 6), k: 1)
        }
        #expect(throws: VectorSearchError.self) { try ExactSearch(base: base, metric: .l2).search(base, k: 0) }
    }
}

import DecisioningCore
import DecisioningVectors

/// Seeded test vectors.
enum VectorTestData {
    /// `rows` vectors around `clusters` Gaussian centres.
    static func clustered(rows: Int, dimensions: Int, clusters: Int, seed: UInt64) -> VectorMatrix {
        var random = SeededRandom(seed: seed)
        let centres = (0..<clusters * dimensions).map { _ in Float(random.normal(sd: 1)) }
        var values: [Float] = []
        values.reserveCapacity(rows * dimensions)
        for _ in 0..<rows {
            let c = random.int(0...(clusters - 1))
            for j in 0..<dimensions { values.append(centres[c * dimensions + j] + Float(random.normal(sd: 0.3))) }
        }
        return try! VectorMatrix(rows: rows, dimensions: dimensions, values: values)
    }

    /// Uniform vectors in [-1, 1).
    static func uniform(rows: Int, dimensions: Int, seed: UInt64) -> VectorMatrix {
        var random = SeededRandom(seed: seed)
        let values = (0..<rows * dimensions).map { _ in Float(random.uniform(-1, 1)) }
        return try! VectorMatrix(rows: rows, dimensions: dimensions, values: values)
    }

    /// The reference: every distance computed in Double, sorted by (distance, row).
    static func bruteForce(
        base: VectorMatrix, query: [Float], metric: VectorMetric, k: Int, filter: (Int) -> Bool = { _ in true }
    ) -> [(row: Int, distance: Double)] {
        func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        let qn = norm(query)
        var all: [(row: Int, distance: Double)] = []
        for r in 0..<base.rows where filter(r) {
            let row = base.row(r)
            var dot = 0.0
            var l2 = 0.0
            for j in 0..<row.count {
                dot += Double(row[j]) * Double(query[j])
                l2 += (Double(row[j]) - Double(query[j])) * (Double(row[j]) - Double(query[j]))
            }
            let distance: Double
            switch metric {
            case .l2: distance = l2
            case .dot: distance = -dot
            case .cosine: distance = 1 - dot / max(norm(row) * qn, 1e-30)
            }
            all.append((r, distance))
        }
        all.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
        return Array(all.prefix(k))
    }

    /// The share of `truth`'s rows found in `found`, query by query.
    static func recall(_ found: VectorSearchResult, _ truth: VectorSearchResult) -> Double {
        var hits = 0
        for q in 0..<truth.queries {
            let expected = Set(truth.neighbors(ofQuery: q))
            hits += found.neighbors(ofQuery: q).filter { expected.contains($0) }.count
        }
        return Double(hits) / Double(truth.queries * truth.k)
    }
}

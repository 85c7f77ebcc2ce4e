import DecisioningCore
import DecisioningLearning
import Foundation
import Testing

/// A Gaussian cloud around the origin plus, optionally, a few far points; seeded.
func anomalyGaussianRows(_ n: Int, width: Int, seed: UInt64) -> [[Double]] {
    var rng = SeededRandom(seed: seed)
    return (0..<n).map { _ in (0..<width).map { _ in rng.normal() } }
}

func anomalyBits(_ xs: [Double]) -> [UInt64] { xs.map(\.bitPattern) }

@Suite struct IsolationForestTests {
    static let projects = AnomalyProjects.shared

    @Test func findsThePlantedProjectAnomalies() throws {
        let data = Self.projects
        let positives = data.labels.filter { $0 }.count
        #expect(positives >= 20, "planted anomalies among the scored projects: \(positives)")
        #expect(data.rows.count > 10 * positives)
        // Every planted anomaly is a running project with cost, so all of them are scored.
        #expect(Set(data.truth.anomalousProjects).isSubset(of: Set(data.ids)))
        let forest = try IsolationForest.fit(data.rows, seed: 42)
        #expect(forest.treeCount == 100)
        #expect(forest.sampleSize == 256)
        #expect(forest.featureCount == 3)
        let scores = forest.scores(data.rows)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
        let auc = try #require(Metrics.rocAUC(scores: scores, labels: data.labels))
        #expect(auc >= 0.95, "isolation forest ROC-AUC \(auc)")
        // The top of the ranking is mostly planted anomalies.
        let top = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(positives)
        let hits = top.filter { data.labels[$0] }.count
        #expect(Double(hits) >= 0.7 * Double(positives), "precision at \(positives): \(hits)")
    }

    @Test func sameSeedSameTreesDifferentSeedDifferentTrees() throws {
        let data = Self.projects
        let a = try IsolationForest.fit(data.rows, seed: 7)
        let b = try IsolationForest.fit(data.rows, seed: 7)
        let c = try IsolationForest.fit(data.rows, seed: 8)
        #expect(a == b)
        #expect(anomalyBits(a.scores(data.rows)) == anomalyBits(b.scores(data.rows)))
        #expect(a != c)
        let scoresC = c.scores(data.rows)
        #expect(anomalyBits(scoresC) != anomalyBits(a.scores(data.rows)))
        let auc = try #require(Metrics.rocAUC(scores: scoresC, labels: data.labels))
        #expect(auc >= 0.95, "ROC-AUC with another seed \(auc)")
    }

    @Test func batchScoresEqualSingleScoresBitForBit() throws {
        let rows = anomalyGaussianRows(5_000, width: 4, seed: 1)  // several parallel chunks
        let forest = try IsolationForest.fit(rows, trees: 50, seed: 3)
        let batch = forest.scores(rows)
        #expect(batch.count == rows.count)
        #expect(anomalyBits(batch) == anomalyBits(rows.map(forest.score)))
        #expect(forest.scores([]).isEmpty)
        // score is 2^(−E[h]/c(ψ)).
        let row = rows[17]
        #expect(forest.score(row) == exp2(-forest.pathLength(row) / IsolationForest.averagePathLength(forest.sampleSize)))
    }

    @Test func codableRoundTripGivesBitIdenticalScores() throws {
        let data = Self.projects
        let forest = try IsolationForest.fit(data.rows, trees: 30, seed: 11)
        let json = try JSONEncoder().encode(forest)
        let decoded = try JSONDecoder().decode(IsolationForest.self, from: json)
        #expect(decoded == forest)
        #expect(anomalyBits(decoded.scores(data.rows)) == anomalyBits(forest.scores(data.rows)))
        // A damaged model is refused instead of being read out of bounds.
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["child"] = (object["child"] as! [Int]).map { $0 < 0 ? $0 : $0 + 1_000_000 }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(IsolationForest.self, from: JSONSerialization.data(withJSONObject: object))
        }
        let plist = try PropertyListEncoder().encode(forest)
        let fromPlist = try PropertyListDecoder().decode(IsolationForest.self, from: plist)
        #expect(anomalyBits(fromPlist.scores(data.rows)) == anomalyBits(forest.scores(data.rows)))
    }

    @Test func obviousOutliersScoreHighAndInliersBelowOneHalf() throws {
        var rows = anomalyGaussianRows(2_000, width: 2, seed: 9)
        rows.append([8, 8])
        rows.append([-9, 0])
        let forest = try IsolationForest.fit(rows, seed: 1)
        #expect(forest.score([8, 8]) > 0.65)
        #expect(forest.score([-9, 0]) > 0.65)
        #expect(forest.score([0, 0]) < 0.5)
        // Every split lies inside the training range, so a value far beyond it scores like the extreme.
        #expect(forest.score([1_000, 0]) == forest.score([8, 0]))
        #expect(forest.score([1_000, 0]) > forest.score([0, 0]) + 0.1)
        let median = forest.scores(Array(rows.prefix(2_000))).sorted()[1_000]
        #expect(median < 0.5)
    }

    @Test func averagePathLengthFollowsTheUsualFormula() {
        #expect(IsolationForest.averagePathLength(0) == 0)
        #expect(IsolationForest.averagePathLength(1) == 0)
        #expect(IsolationForest.averagePathLength(2) == 1)
        let c256 = 2 * (log(255.0) + 0.5772156649015329) - 2 * 255.0 / 256.0
        #expect(abs(IsolationForest.averagePathLength(256) - c256) < 1e-12)
        #expect(abs(IsolationForest.averagePathLength(256) - 10.2448) < 1e-3)
    }

    @Test func sampleSizeIsCappedByTheRowCountAndTreesAreShallow() throws {
        let rows = anomalyGaussianRows(40, width: 3, seed: 2)
        let forest = try IsolationForest.fit(rows, trees: 10, sampleSize: 256, seed: 5)
        #expect(forest.sampleSize == 40)
        // Height limit ceil(log2 40) = 6: at most 2^7 − 1 nodes per tree.
        #expect(forest.nodeCount <= 10 * 127)
        // Every path is at most the height limit plus c(size of the leaf) ≤ 6 + c(40).
        for row in rows { #expect(forest.pathLength(row) <= 6 + IsolationForest.averagePathLength(40)) }
        let small = try IsolationForest.fit(rows, trees: 10, sampleSize: 2, seed: 5)
        #expect(small.sampleSize == 2)
        #expect(small.nodeCount <= 10 * 3)
        #expect(small.scores(rows).allSatisfy { $0 > 0 && $0 <= 1 })
    }

    @Test func constantFeaturesAreNeverSplitOn() throws {
        var rng = SeededRandom(seed: 4)
        let rows = (0..<500).map { _ in [3.0, rng.normal(), 7.0] }
        let forest = try IsolationForest.fit(rows, trees: 40, seed: 2)
        // Only feature 1 varies, so the constant features cannot change any path.
        for row in rows.prefix(50) {
            #expect(forest.score(row) == forest.score([-100, row[1], 1e6]))
        }
        // Nothing varies: every tree is one leaf of the whole sample, so E[h] = c(ψ) and the score is 0.5.
        let flat = try IsolationForest.fit([[Double]](repeating: [1, 2], count: 300), trees: 20, seed: 2)
        #expect(flat.nodeCount == 20)
        #expect(flat.score([1, 2]) == 0.5)
        #expect(flat.score([50, -50]) == 0.5)
    }

    @Test func missingValuesFollowTheMorePopulatedSide() throws {
        var rows = anomalyGaussianRows(1_000, width: 2, seed: 6)
        for i in stride(from: 0, to: rows.count, by: 10) { rows[i][1] = .nan }
        let forest = try IsolationForest.fit(rows, trees: 50, seed: 3)
        let scores = forest.scores(rows)
        #expect(scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        // A missing value never makes a row look more anomalous than typical values do.
        let missing = forest.score([0, .nan])
        #expect(missing < 0.5)
        #expect(forest.score([9, .nan]) > missing + 0.15)
        // A row missing everything follows the most populated path everywhere: a typical row.
        #expect(forest.score([.nan, .nan]) < 0.5)
        // A feature never observed is never split on.
        let blind = try IsolationForest.fit(rows.map { [$0[0], .nan] }, trees: 20, seed: 3)
        #expect(blind.score([1, .nan]) == blind.score([1, 123]))
    }

    @Test func clearErrorsForBadInput() {
        #expect(throws: AnomalyError.emptyInput) { try IsolationForest.fit([], seed: 1) }
        #expect(throws: AnomalyError.noFeatures) { try IsolationForest.fit([[], []], seed: 1) }
        #expect(throws: AnomalyError.raggedRows(row: 2, width: 1, expected: 2)) {
            try IsolationForest.fit([[1, 2], [3, 4], [5]], seed: 1)
        }
        #expect(throws: AnomalyError.invalidSampleSize(1)) { try IsolationForest.fit([[1], [2]], sampleSize: 1, seed: 1) }
        #expect(throws: AnomalyError.invalidTreeCount(0)) { try IsolationForest.fit([[1], [2]], trees: 0, seed: 1) }
        #expect(throws: AnomalyError.nonFiniteValue(row: 1, column: 0)) { try IsolationForest.fit([[1], [.infinity]], seed: 1) }
        #expect(AnomalyError.raggedRows(row: 2, width: 1, expected: 2).description.contains("row 2 has 1 values"))
        #expect(AnomalyError.invalidSampleSize(1).description.contains("at least 2"))
    }
}

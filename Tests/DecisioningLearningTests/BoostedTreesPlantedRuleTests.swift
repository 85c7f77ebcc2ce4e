import DecisioningCore
import Foundation
import Testing

@testable import DecisioningLearning

/// The boosted trees on a seeded synthetic problem whose rule is known: an interaction of two features,
/// a missing-value effect and label noise, with a noise feature and a constant one beside them.
@Suite struct BoostedTreesPlantedRuleTests {
    /// 1 when x0 > 0.6 and x1 < 0.5, or when x3 is missing and x0 > 0.3; 10% of labels flipped.
    static func planted(rows count: Int, seed: UInt64) throws -> Dataset {
        var rng = SeededRandom(seed: seed)
        var rows: [[Double]] = []
        var labels: [Double] = []
        for _ in 0..<count {
            let x0 = rng.uniform(0, 1)
            let x1 = rng.uniform(0, 1)
            let noise = rng.normal(sd: 1)
            let missing = rng.chance(0.2)
            let x3 = missing ? Double.nan : rng.uniform(0, 1)
            var label = (x0 > 0.6 && x1 < 0.5) || (missing && x0 > 0.3)
            if rng.chance(0.1) { label.toggle() }
            rows.append([x0, x1, noise, x3, 5])
            labels.append(label ? 1 : 0)
        }
        return try Dataset(featureNames: ["x0", "x1", "noise", "x3", "constant"], rows: rows, labels: labels)
    }

    static let data = try! planted(rows: 6000, seed: 11)

    func split() throws -> (train: Dataset, test: Dataset) {
        let folds = try Self.data.folds(4, seed: 5)
        return (Self.data.subset(folds[0].train), Self.data.subset(folds[0].test))
    }

    @Test func learnsThePlantedRuleOnHeldOutRows() throws {
        let (train, test) = try split()
        let model = try GradientBoostedTrees.fit(train, objective: .binaryLogistic)
        let auc = try #require(Metrics.rocAUC(scores: test.rows.map(model.predict), labels: test.labels.map { $0 == 1 }))
        // The rule alone, with 10% of labels flipped, scores about 0.9 on held-out rows; a model that misses
        // the interaction or the missing-value effect does not get there.
        #expect(auc > 0.87, "held-out AUC \(auc)")
        #expect(model.rounds >= 5 && model.rounds < 300, "early stopping kept \(model.rounds) rounds")
        #expect(model.importance[4] == 0, "a constant feature is never split on")
        #expect(model.importance[0] > model.importance[2] && model.importance[1] > model.importance[2], "\(model.importance)")
        #expect(model.importance[3] > model.importance[2], "the missing-value effect outweighs noise: \(model.importance)")
        // The rule's corners, and the missing-value branch.
        #expect(model.predict([0.9, 0.1, 0, 0.5, 5]) > 0.7)
        #expect(model.predict([0.2, 0.1, 0, 0.5, 5]) < 0.3)
        #expect(model.predict([0.9, 0.9, 0, 0.5, 5]) < 0.3)
        #expect(model.predict([0.5, 0.9, 0, .nan, 5]) > 0.7)
    }

    @Test func theSameSeedGivesTheSameTreesAndAnotherSeedAnotherValidationSplit() throws {
        let (train, test) = try split()
        let parameters = GradientBoostedTrees.Parameters(iterations: 80, maxDepth: 5, seed: 7)
        let a = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: parameters)
        let b = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: parameters)
        #expect(a.rounds == b.rounds)
        #expect(a.importance == b.importance)
        for row in test.rows { #expect(a.rawScore(row).bitPattern == b.rawScore(row).bitPattern) }
        var other = parameters
        other.seed = 8
        let c = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: other)
        #expect(test.rows.contains { a.rawScore($0) != c.rawScore($0) }, "the seed picks the early-stopping rows")
    }

    @Test func rowsWalkTheSamePathOnTheirBinsAsOnTheirValues() throws {
        // The first 4,500 rows train; all 6,000 are binned.
        let trained = 4500
        let bins = FeatureBins(Self.data, maxBins: 32)
        let builder = TreeBuilder(bins, train: Array(0..<trained), parameters: .init(maxDepth: 6, minSamplesLeaf: 5))
        for i in 0..<trained {
            builder.gh[i] = SIMD2((i % 7 == 0 ? -1 : 0.5) + Self.data.labels[i] - Self.data.rows[i][0], 0.25)
        }
        let tree = builder.build()
        #expect(tree.nodes.count > 15, "a tree of \(tree.nodes.count) nodes")
        // Every training row lies in exactly one leaf's range, and the leaves hold the rows the tree sends there.
        var covered = 0
        for leaf in builder.leaves {
            covered += leaf.end - leaf.start
            for k in leaf.start..<leaf.end {
                #expect(GradientBoostedTrees.evaluate(tree, Self.data.rows[Int(builder.index[k])]) == leaf.value)
            }
        }
        #expect(covered == trained)
        // Every row, missing values and rows the tree never saw included, takes the same path either way.
        for (i, row) in Self.data.rows.enumerated() { #expect(builder.evaluateBinned(i) == GradientBoostedTrees.evaluate(tree, row)) }
    }
}

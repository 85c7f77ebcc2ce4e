import DecisioningLearning
import Foundation
import Testing

@Suite struct AnomalyRobustScoreTests {
    @Test func findsThePlantedProjectAnomalies() throws {
        let data = AnomalyProjects.shared
        let model = try RobustScore.fit(data.rows)
        let scores = model.scores(data.rows)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
        let auc = try #require(Metrics.rocAUC(scores: scores, labels: data.labels))
        #expect(auc >= 0.95, "median/MAD ROC-AUC \(auc)")
        #expect(anomalyBits(try RobustScore.scores(data.rows)) == anomalyBits(scores))
    }

    @Test func robustZScoresFollowMedianAndMAD() throws {
        let model = try RobustScore.fit([[1, 10], [2, 10], [3, 10], [4, 10], [100, 50]])
        #expect(model.medians == [3, 10])
        // Feature 0: MAD = median(2, 1, 0, 1, 97) = 1. Feature 1: MAD = 0, mean absolute deviation = 8.
        #expect(model.scales[0] == 1.4826)
        #expect(abs(model.scales[1] - 1.253314 * 8) < 1e-12)
        let z = model.zScores([100, 10])
        #expect(abs(z[0] - 97 / 1.4826) < 1e-12)
        #expect(z[1] == 0)
        #expect(model.zScores([3, 10]) == [0, 0])
        // The combined score is the logistic of the largest |z| centred on 3.
        #expect(RobustScore.combine(maxAbsZ: 3) == 0.5)
        #expect(abs(model.score([3, 10]) - 1 / (1 + exp(3.0))) < 1e-15)
        #expect(model.score([3 - 5 * 1.4826, 10]) == RobustScore.combine(maxAbsZ: 5))  // two-sided
        #expect(model.score([100, 10]) > 0.999)
        #expect(model.score([2, 10]) < 0.1)
    }

    @Test func constantAndMissingFeatures() throws {
        let model = try RobustScore.fit([[2, .nan, 1], [2, .nan, 2], [2, .nan, 3]])
        #expect(model.scales[0] == 0)
        #expect(model.medians[1].isNaN)
        #expect(model.zScores([2, 5, 2]) == [0, 0, 0])
        #expect(model.zScores([3, 5, 2])[0] == .infinity)
        #expect(model.score([3, 5, 2]) == 1)
        // Missing values at scoring time contribute nothing.
        #expect(model.zScores([.nan, .nan, .nan]) == [0, 0, 0])
        #expect(model.score([2, .nan, .nan]) == RobustScore.combine(maxAbsZ: 0))
        // NaN is ignored when fitting: the median of feature 2 below is the median of 1, 2, 3.
        let withGaps = try RobustScore.fit([[1], [.nan], [2], [3], [.nan]])
        #expect(withGaps.medians == [2])
    }

    @Test func codableRoundTripAndBatchScores() throws {
        let rows = anomalyGaussianRows(5_000, width: 3, seed: 12)
        let model = try RobustScore.fit(rows)
        let decoded = try JSONDecoder().decode(RobustScore.Model.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        #expect(anomalyBits(decoded.scores(rows)) == anomalyBits(model.scores(rows)))
        #expect(anomalyBits(model.scores(rows)) == anomalyBits(rows.map(model.score)))
    }

    @Test func clearErrorsForBadInput() {
        #expect(throws: AnomalyError.emptyInput) { try RobustScore.fit([]) }
        #expect(throws: AnomalyError.noFeatures) { try RobustScore.fit([[]]) }
        #expect(throws: AnomalyError.raggedRows(row: 1, width: 3, expected: 2)) { try RobustScore.fit([[1, 2], [1, 2, 3]]) }
        #expect(throws: AnomalyError.nonFiniteValue(row: 0, column: 1)) { try RobustScore.fit([[1, -.infinity]]) }
    }
}

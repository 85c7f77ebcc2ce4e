/// Model-quality metrics shared by every learner and benchmark.
public enum Metrics {
    /// Area under the ROC curve from scores and binary labels (rank formulation; tied scores share ranks).
    /// Returns nil when one of the classes is absent.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "scores and labels must have the same length")
        let ranks = averageRanks(scores)
        let positives = Double(labels.filter { $0 }.count)
        let negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return nil }
        let rankSum = zip(ranks, labels).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Each score's rank, 1 for the smallest; tied scores share the average of their ranks.
    public static func averageRanks(_ scores: [Double]) -> [Double] {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Symmetric mean absolute percentage error in [0, 2]: mean of |f − a| / ((|a| + |f|) / 2), terms with a = f = 0 counted as 0.
    public static func sMAPE(actual: [Double], forecast: [Double]) -> Double {
        precondition(actual.count == forecast.count && !actual.isEmpty, "sMAPE needs two series of the same, non-zero length")
        var total = 0.0
        for (a, f) in zip(actual, forecast) {
            let denominator = (abs(a) + abs(f)) / 2
            if denominator > 0 { total += abs(f - a) / denominator }
        }
        return total / Double(actual.count)
    }

    public static func rmse(actual: [Double], predicted: [Double]) -> Double {
        precondition(actual.count == predicted.count && !actual.isEmpty, "RMSE needs two series of the same, non-zero length")
        let sum = zip(actual, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (sum / Double(actual.count)).squareRoot()
    }
}

import DecisioningCore
import Foundation

/// How `ask` did on a golden set: the share read exactly as expected, the share answered correctly (figures equal
/// to the oracle's SQL on SQLite, or the right refusal), and the latency of each question once the data is loaded.
public struct QuestionEvaluation: Sendable {
    public struct Failure: Sendable {
        public var question: String
        public var problem: String
    }

    public var total: Int
    public var interpretedExactly: Int
    public var answeredCorrectly: Int
    /// Seconds per `ask`, every question of every pass.
    public var latencies: [Double]
    public var failures: [Failure]

    public var interpretedShare: Double { total == 0 ? 0 : Double(interpretedExactly) / Double(total) }
    public var correctShare: Double { total == 0 ? 0 : Double(answeredCorrectly) / Double(total) }

    public func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

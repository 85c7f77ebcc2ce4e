public import DecisioningCore

/// Whether similar cases help: on one seeded split of the completed projects, the held-out ROC AUC of
/// the k nearest training projects' overrun rate, of the boosted trees trained on the overrun model's
/// features, and of their average.
public struct SimilarityEvaluation: Sendable, Codable {
    public var asOf: Day
    public var k: Int
    public var seed: UInt64
    public var trainProjects: Int
    public var testProjects: Int
    /// Share of the test projects that overran.
    public var testOverrunRate: Double
    public var nearestNeighboursAUC: Double
    public var boostedTreesAUC: Double
    /// The average of the two scores, ranked.
    public var blendAUC: Double
    public var nearestNeighboursSeconds: Double
    public var boostedTreesSeconds: Double
}

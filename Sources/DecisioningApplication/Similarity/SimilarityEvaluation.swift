public import DecisioningCore

/// Whether similar cases help: on one seeded split of the completed projects, the held-out ROC AUC of
/// the k nearest training projects' overrun rate, of the boosted trees trained on the overrun model's
/// features, and of their average; and the k-NN rate again with the held-out projects seen at
/// `progressShare` of their schedule, compared on their burn rate then.
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
    /// The share of the schedule the held-out projects are seen at for `progressAUC`.
    public var progressShare: Double
    /// The k-NN overrun rate with the burn rate at `progressShare` in the vectors.
    public var progressAUC: Double
    /// That rate and the boosted trees, ranked and averaged.
    public var progressBlendAUC: Double
    public var progressSeconds: Double
}

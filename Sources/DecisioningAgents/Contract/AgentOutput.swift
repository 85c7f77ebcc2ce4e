/// What an agent's code hands back; the orchestrator adds status, timing and attempts.
public struct AgentOutput<Output: Sendable>: Sendable {
    public var data: Output
    public var insights: [Insight]
    public var recommendations: [Recommendation]
    public var confidence: Double
    /// Set when a fallback was used: the result is then `degraded`.
    public var fallback: String?

    public init(
        data: Output, insights: [Insight] = [], recommendations: [Recommendation] = [], confidence: Double, fallback: String? = nil
    ) {
        self.data = data
        self.insights = insights
        self.recommendations = recommendations
        self.confidence = confidence
        self.fallback = fallback
    }

    /// The same output with its data transformed (the orchestrator erases it into an `AgentPayload`).
    func map<T: Sendable>(_ transform: (Output) -> T) -> AgentOutput<T> {
        AgentOutput<T>(
            data: transform(data), insights: insights, recommendations: recommendations, confidence: confidence, fallback: fallback)
    }
}

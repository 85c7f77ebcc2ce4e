import DecisioningCore

/// Executive: the summary a manager reads first.
public struct ExecutiveAgent: Agent {
    public static let key = AgentKey<ExecutiveData>("executive_agent")
    public var key: AgentKey<ExecutiveData> { Self.key }
    public let uses: [any AgentDependency] = [
        DiscoveryAgent.key, IntelligenceAgent.key, StrategyAgent.key, DecisionAgent.key, VisualizationAgent.key,
    ]
    public init() {}

    public func run(_ context: AgentContext) throws -> AgentOutput<ExecutiveData> {
        let decisions = context.input(DecisionAgent.key)
        let narrative = ExecutiveNarrative(
            discovery: context.input(DiscoveryAgent.key), intelligence: context.input(IntelligenceAgent.key),
            strategy: context.input(StrategyAgent.key), decisions: decisions)
        guard let headline = narrative.headline else { throw AgentError("no agent produced anything to summarise") }
        // The main risks: high alerts about the business as a whole (not one project) and the margin drop, then Strategy's risks.
        var risks = (decisions?.alerts ?? []).filter { $0.severity >= .high && $0.entityId == nil || $0.rule == "margin_drop" }.map(
            \.message)
        risks += (context.input(StrategyAgent.key)?.risks ?? []).map(\.title)
        var seen = Set<String>()
        risks = risks.filter { seen.insert($0).inserted }
        let data = ExecutiveData(
            headline: headline, keyNumbers: narrative.keyNumbers, topDecisions: narrative.topDecisions, risks: Array(risks.prefix(6)),
            nextSteps: narrative.nextSteps)
        return AgentOutput(
            data: data, insights: [Insight(title: data.headline, detail: data.topDecisions.joined(separator: " · "), evidence: [])],
            confidence: decisions == nil ? 0.4 : 0.9)
    }
}

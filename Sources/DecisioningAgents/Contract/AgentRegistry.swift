public import DecisioningCore

/// The agents a flow runs, in the order of the flow, one per name. The configuration is validated
/// against it (`agents.<name>` must name a registered agent; its thresholds are the agent's own),
/// and results read back from results.json decode each registered agent's output into its type.
///
/// A new agent needs no change to the library: `AgentRegistry.standard.registering(MyAgent())`.
public struct AgentRegistry: Sendable {
    public private(set) var agents: [any Agent] = []

    /// The agents in this order; an agent named like an earlier one takes its place.
    public init(_ agents: [any Agent]) {
        for agent in agents { register(agent) }
    }

    /// The six agents of the flow.
    public static let standard = AgentRegistry([
        DiscoveryAgent(), IntelligenceAgent(), StrategyAgent(), DecisionAgent(), VisualizationAgent(), ExecutiveAgent(),
    ])

    /// The agents' names, in the order of the flow.
    public var names: [String] { agents.map(\.name) }

    /// Adds `agent` at the end, or in the place of the registered agent of the same name.
    public mutating func register(_ agent: any Agent) {
        if let index = agents.firstIndex(where: { $0.name == agent.name }) {
            agents[index] = agent
        } else {
            agents.append(agent)
        }
    }

    /// This registry with `agent` added, or standing in for the registered agent of the same name.
    public func registering(_ agent: any Agent) -> AgentRegistry {
        var copy = self
        copy.register(agent)
        return copy
    }

    /// The registered agent named `name`.
    public func agent(named name: String) -> (any Agent)? { agents.first { $0.name == name } }

    /// What the configuration accepts under `agents`.
    public var configurationSchemas: [Configuration.AgentSchema] { agents.map(\.configurationSchema) }

    /// The agent whose output results.json carries under `dataKey` (as written, or as a decoder's
    /// snake-case strategy turned it into camel case).
    func agent(dataKey: String) -> (any Agent)? {
        agents.first { $0.dataKey == dataKey || Self.camelCased($0.dataKey) == dataKey }
    }

    static func camelCased(_ snake: String) -> String {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: false)
        guard let first = parts.first else { return snake }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The `JSONDecoder.userInfo` key under which `RunResults.decoder(registry:)` puts the registry.
    static let userInfoKey = CodingUserInfoKey(rawValue: "decisioning.agentRegistry")
}

/// Something that names an agent another agent can depend on: an `AgentKey` of any output type, so
/// that `requires` and `uses` list typed keys (`[DiscoveryAgent.key, StrategyAgent.key]`), never strings.
public protocol AgentDependency: Sendable {
    /// The agent's name: its configuration key and result name, e.g. `discovery_agent`.
    var name: String { get }
}

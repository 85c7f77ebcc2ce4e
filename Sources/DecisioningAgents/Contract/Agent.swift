public import DecisioningCore

/// One analysis agent. It declares its output type and the key its results are reached by, what it
/// `requires` (if one of those fails, it is skipped) and what it `uses` (if one fails, it runs
/// `degraded`), and the thresholds it reads from `agents.<name>.thresholds`.
///
/// `run` is synchronous: it is called on a thread of its own, so it may block on the database; the
/// orchestrator enforces its timeout whether or not it cooperates.
public protocol Agent: Sendable {
    /// What the agent computes; results.json carries it under `data.<key.dataKey>`.
    associatedtype Output: Codable & Sendable

    /// The agent's name and output type, e.g. `AgentKey<DiscoveryData>("discovery_agent")`.
    var key: AgentKey<Output> { get }
    /// Agents whose results this one needs; if one of them fails, this one is skipped.
    var requires: [any AgentDependency] { get }
    /// Agents whose results this one uses when present; if one fails, this one runs degraded.
    var uses: [any AgentDependency] { get }
    /// The thresholds the configuration accepts under `agents.<name>.thresholds`, with their ranges.
    var thresholds: [String: Configuration.Threshold] { get }

    func run(_ context: AgentContext) throws -> AgentOutput<Output>
}

extension Agent {
    /// The configuration key and result name, e.g. `discovery_agent`.
    public var name: String { key.name }
    /// The member of the result's `data` in results.json, e.g. `discovery`.
    public var dataKey: String { key.dataKey }
    public var requires: [any AgentDependency] { [] }
    public var uses: [any AgentDependency] { [] }
    public var thresholds: [String: Configuration.Threshold] { [:] }

    /// What `agents.<name>` may hold for this agent.
    public var configurationSchema: Configuration.AgentSchema { Configuration.AgentSchema(name: name, thresholds: thresholds) }

    /// Decodes this agent's output, for results read back from results.json.
    func decodeOutput(from decoder: any Decoder) throws -> any Codable & Sendable { try Output(from: decoder) }
}

/// A typed handle on one agent's result: its name (the configuration key `agents.<name>` and the
/// result's `agent`) and the type of its output. A dependent agent reads
/// `context.input(IntelligenceAgent.key)` and gets an `IntelligenceData?`; a report reads
/// `results.output(DiscoveryAgent.key)`.
public struct AgentKey<Output: Codable & Sendable>: AgentDependency, Hashable {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    /// The member of the result's `data` in results.json: the name without its `_agent` suffix
    /// (`discovery_agent` → `discovery`).
    public var dataKey: String {
        name.hasSuffix("_agent") && name.count > "_agent".count ? String(name.dropLast("_agent".count)) : name
    }
}

public import DecisioningCore

extension Configuration {
    /// The standard agents' names, asked of the agent registry (Core no longer knows them). New code
    /// asks `AgentRegistry.standard.names`; this stays for callers written before the registry.
    public static var agentNames: [String] { AgentRegistry.standard.names }
}

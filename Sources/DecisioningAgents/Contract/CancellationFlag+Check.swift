public import DecisioningStore

extension CancellationFlag {
    /// Throws when the agent's time is up, for agents' long loops.
    public func check() throws {
        if isCancelled { throw AgentError("cancelled: the agent's time is up") }
    }
}

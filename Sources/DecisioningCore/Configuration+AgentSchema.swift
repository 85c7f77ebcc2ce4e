extension Configuration {
    /// What the configuration accepts under `agents.<name>` for one agent: its name and the
    /// thresholds it reads. The agents declare them; the agent registry hands them to `parse`.
    public struct AgentSchema: Sendable, Equatable {
        public var name: String
        public var thresholds: [String: Threshold]

        public init(name: String, thresholds: [String: Threshold] = [:]) {
            self.name = name
            self.thresholds = thresholds
        }
    }
}

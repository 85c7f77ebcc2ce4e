public import DecisioningAnalytics
public import DecisioningCore
public import DecisioningStore

/// What an agent can read: the Warehouse (every figure comes through plans), the Store, the
/// configuration, the as-of date, and the results of the agents it depends on, through their keys.
public struct AgentContext: Sendable {
    public var warehouse: Warehouse
    public var store: any Store
    public var configuration: Configuration
    public var asOf: Day
    public var seed: UInt64
    public var runId: String
    /// Results of the agents this one depends on that finished (succeeded or degraded), by name;
    /// agents read them through `input(_:)` and `result(_:)`.
    public var inputs: [String: AgentResult]
    /// Set by the orchestrator when the agent's time is up; long loops should check it.
    public var cancellation: CancellationFlag
    /// What the run's agents compute once and share (one per run).
    public var memo: RunMemo

    public init(
        warehouse: Warehouse, store: any Store, configuration: Configuration, asOf: Day, seed: UInt64, runId: String,
        inputs: [String: AgentResult], cancellation: CancellationFlag, memo: RunMemo = RunMemo()
    ) {
        self.warehouse = warehouse
        self.store = store
        self.configuration = configuration
        self.asOf = asOf
        self.seed = seed
        self.runId = runId
        self.inputs = inputs
        self.cancellation = cancellation
        self.memo = memo
    }

    /// The output of the agent `key` names, when it finished (succeeded or degraded).
    public func input<Output>(_ key: AgentKey<Output>) -> Output? { inputs[key.name]?.output(key) }

    /// The whole result (confidence, insights) of the agent `key` names, when it finished.
    public func result<Output>(_ key: AgentKey<Output>) -> AgentResult? { inputs[key.name] }

    /// A threshold from `agents.<agent>.thresholds`, or the default.
    public func threshold<Output>(_ agent: AgentKey<Output>, _ name: String, default value: Double) -> Double {
        configuration.agent(agent.name).thresholds[name] ?? value
    }
}

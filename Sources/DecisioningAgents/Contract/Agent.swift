public import DecisioningAnalytics
public import DecisioningCore
public import DecisioningStore

/// What an agent can read: the Warehouse (every figure comes through plans), the Store, the
/// configuration, the as-of date, and the results of the agents it depends on.
public struct AgentContext: Sendable {
    public var warehouse: Warehouse
    public var store: any Store
    public var configuration: Configuration
    public var asOf: Day
    public var seed: UInt64
    public var runId: String
    /// Results of the agents this one depends on that finished (succeeded or degraded).
    public var inputs: [String: AgentResult]
    /// Set by the orchestrator when the agent's time is up; long loops should check it.
    public var cancellation: CancellationFlag

    public init(
        warehouse: Warehouse, store: any Store, configuration: Configuration, asOf: Day, seed: UInt64, runId: String,
        inputs: [String: AgentResult], cancellation: CancellationFlag
    ) {
        self.warehouse = warehouse
        self.store = store
        self.configuration = configuration
        self.asOf = asOf
        self.seed = seed
        self.runId = runId
        self.inputs = inputs
        self.cancellation = cancellation
    }

    /// A threshold from `agents.<agent>.thresholds`, or the default.
    public func threshold(_ agent: String, _ name: String, default value: Double) -> Double {
        configuration.agent(agent).thresholds[name] ?? value
    }
}

/// One analysis agent. `run` is synchronous: it is called on a thread of its own, so it may block
/// on the database; the orchestrator enforces its timeout whether or not it cooperates.
public protocol Agent: Sendable {
    /// The configuration key and result name, e.g. `discovery_agent`.
    var name: String { get }
    /// Agents whose results this one needs; if one of them fails, this one is skipped.
    var requires: [String] { get }
    /// Agents whose results this one uses when present; if one fails, this one runs degraded.
    var uses: [String] { get }
    func run(_ context: AgentContext) throws -> AgentOutput
}

/// An error an agent reports; `retryable` errors (a busy database, a lost connection) are retried with backoff.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var retryable: Bool
    public init(_ message: String, retryable: Bool = false) {
        self.message = message
        self.retryable = retryable
    }
    public var description: String { message }
}

extension CancellationFlag {
    /// Throws when the agent's time is up, for agents' long loops.
    public func check() throws {
        if isCancelled { throw AgentError("cancelled: the agent's time is up") }
    }
}

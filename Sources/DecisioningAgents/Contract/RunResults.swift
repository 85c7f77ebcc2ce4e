public import DecisioningCore
public import Foundation

/// Everything a run produced: the content of `results.json` (schema: docs/results-schema.md and
/// docs/results.schema.json). Two runs over the same data, configuration and as-of date give the
/// same document apart from `run.run_id`, `run.started_at`, `run.finished_at` and the `duration_ms` fields.
public struct RunResults: Sendable, Codable {
    public struct RunInfo: Sendable, Codable {
        public var runId: String
        public var analysis: String
        public var asOf: Day
        /// `succeeded` when every agent succeeded, `degraded` when some degraded, failed or were skipped
        /// but the run finished, `failed` when no decision could be made.
        public var status: RunStatus
        public var seed: UInt64
        public var configDigest: String
        public var database: String
        public var startedAt: Timestamp
        public var finishedAt: Timestamp
        public var durationMs: Double
        /// The inputs read as they are today because the tables keep no history of them.
        public var currentNotAsOf: [String] = RunInfo.inputsWithoutHistory

        /// What a run as of a past date cannot reconstruct from the tables.
        public static let inputsWithoutHistory = [
            "customer_analytics: risk scores, credit ratings, payment terms and payment behaviour are today's values (one row per customer, no history)",
            "projects: the status and actual_cost of running projects are today's values; projects completed after the as-of date count as running on it",
            "data-quality findings on customer_analytics describe today's rows",
        ]

        public init(
            runId: String, analysis: String, asOf: Day, status: RunStatus, seed: UInt64, configDigest: String, database: String,
            startedAt: Timestamp, finishedAt: Timestamp, durationMs: Double
        ) {
            self.runId = runId
            self.analysis = analysis
            self.asOf = asOf
            self.status = status
            self.seed = seed
            self.configDigest = configDigest
            self.database = database
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.durationMs = durationMs
        }
    }

    public var schemaVersion = 1
    public var run: RunInfo
    /// One result per agent, in the order of the flow.
    public var agents: [AgentResult]
    public var decisions: [Decision]
    public var alerts: [Alert]
    public var executive: ExecutiveData?

    public init(run: RunInfo, agents: [AgentResult], decisions: [Decision], alerts: [Alert], executive: ExecutiveData?) {
        self.run = run
        self.agents = agents
        self.decisions = decisions
        self.alerts = alerts
        self.executive = executive
    }

    /// The result of the agent named `name`.
    public func agent(_ name: String) -> AgentResult? { agents.first { $0.agent == name } }

    /// The result of the agent `key` names.
    public func result<Output>(_ key: AgentKey<Output>) -> AgentResult? { agent(key.name) }

    /// The output of the agent `key` names, when it produced one.
    public func output<Output>(_ key: AgentKey<Output>) -> Output? { result(key)?.output(key) }

    public var discovery: DiscoveryData? { output(DiscoveryAgent.key) }
    public var intelligence: IntelligenceData? { output(IntelligenceAgent.key) }
    public var strategy: StrategyData? { output(StrategyAgent.key) }
    public var visualization: VisualizationData? { output(VisualizationAgent.key) }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// A decoder for results.json; the outputs of the agents in `registry` decode into their types.
    public static func decoder(registry: AgentRegistry = .standard) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        if let key = AgentRegistry.userInfoKey { decoder.userInfo[key] = registry }
        return decoder
    }

    public func encoded() throws -> Data { try RunResults.encoder().encode(self) }
}

public import DecisioningCore

/// One finished run as the run history shows it: when and as of what date it ran, how it ended,
/// the business health score and the total expected impact of its decisions.
public struct RunHistoryPoint: Sendable, Equatable {
    public var runId: String
    public var asOf: Day
    public var startedAt: Timestamp
    public var status: RunStatus
    /// The Intelligence agent's 0–100 health score; nil when the agent produced no data.
    public var healthScore: Double?
    /// The sum of the expected impact of the run's decisions.
    public var totalImpact: Money
    public var decisions: Int
    public var alerts: Int

    public init(
        runId: String, asOf: Day, startedAt: Timestamp, status: RunStatus, healthScore: Double?, totalImpact: Money, decisions: Int,
        alerts: Int
    ) {
        self.runId = runId
        self.asOf = asOf
        self.startedAt = startedAt
        self.status = status
        self.healthScore = healthScore
        self.totalImpact = totalImpact
        self.decisions = decisions
        self.alerts = alerts
    }

    /// The point of a run's results.
    public init(_ results: RunResults) {
        let score = results.intelligence?.health.score
        self.init(
            runId: results.run.runId, asOf: results.run.asOf, startedAt: results.run.startedAt, status: results.run.status,
            healthScore: score.flatMap { $0.isFinite ? $0 : nil },
            totalImpact: results.decisions.reduce(Money.zero) { $0 + $1.expectedImpact }, decisions: results.decisions.count,
            alerts: results.alerts.count)
    }
}

public import DecisioningAgents
public import DecisioningCore
public import DecisioningStore

/// The `run.finished` webhook event: how a run ended, with its headline figures and where its
/// results are. Sent only to the webhooks that name `run.finished` in their `events` (an empty
/// list means every alert event, not this one), whatever their `min_severity`: a team that wants to
/// hear of every run, or only of failed ones, filters on `data.run.status`.
public enum RunFinishedEvent {
    public static let type = "run.finished"

    /// The webhooks that hear of finished runs.
    public static func receivers(among webhooks: [Configuration.Webhook]) -> [Configuration.Webhook] {
        webhooks.filter { $0.events.contains(type) }
    }

    /// The event's `data`: `run` with id, analysis, as-of, status, times, the health score, the
    /// number of decisions and alerts, the total expected impact (a decimal string, like money in
    /// results.json), each agent's status, and `links` to the run's resources in the API.
    public static func data(_ results: RunResults) -> JSONValue {
        let point = RunHistoryPoint(results)
        let run = results.run
        var agents: [String: JSONValue] = [:]
        for agent in results.agents { agents[agent.agent] = .string(agent.status.rawValue) }
        return .object([
            "run": .object([
                "id": .string(run.runId), "analysis": .string(run.analysis), "as_of": .string(run.asOf.iso),
                "status": .string(run.status.rawValue), "started_at": .string(run.startedAt.rfc3339),
                "finished_at": .string(run.finishedAt.rfc3339), "duration_ms": .number(run.durationMs.rounded()),
                "health_score": point.healthScore.map(JSONValue.number) ?? .null, "decisions": .number(Double(point.decisions)),
                "alerts": .number(Double(point.alerts)), "total_expected_impact": .string(point.totalImpact.description),
                "agents": .object(agents),
            ]),
            "links": .object([
                "run": .string("/api/v1/runs/\(run.runId)"), "results": .string("/api/v1/runs/\(run.runId)/results"),
                "report": .string("/api/v1/runs/\(run.runId)/report.html"),
            ]),
        ])
    }

    /// Queues the event for its receivers inside `writer`'s batch (the batch that stores the run),
    /// due at once.
    /// - Returns: the delivery ids.
    @discardableResult
    public static func enqueue(_ results: RunResults, webhooks: [Configuration.Webhook], writer: any BatchWriter) throws -> [String] {
        let receivers = receivers(among: webhooks)
        guard !receivers.isEmpty else { return [] }
        let time = results.run.finishedAt
        return try WebhookOutbox.enqueue(
            eventType: type, payload: WebhookOutbox.payload(type: type, at: time, data: data(results)), to: receivers, writer: writer,
            at: time)
    }
}

import DecisioningAgents
public import DecisioningCore
import Foundation

/// One step of a run as a service reports it: numbered from 1 within the run (`seq`, the server-sent
/// event id), with its kind, the agent it concerns and a JSON object of details.
///
/// Kinds: `run.started`, `agent.started`, `agent.retry`, `agent.timeout`, `agent.finished` and, last,
/// `run.finished` (its data has the run's final `status`).
public struct RunEvent: Sendable, Equatable {
    public var runId: String
    public var seq: Int
    public var kind: String
    public var agent: String?
    public var happenedAt: Timestamp
    /// A JSON object, as text.
    public var data: String

    public init(runId: String, seq: Int, kind: String, agent: String?, happenedAt: Timestamp, data: String) {
        self.runId = runId
        self.seq = seq
        self.kind = kind
        self.agent = agent
        self.happenedAt = happenedAt
        self.data = data
    }

    /// Whether this is the last event of its run.
    public var isFinal: Bool { kind == Self.runFinished }

    public static let runStarted = "run.started"
    public static let runFinished = "run.finished"
}

extension RunEvent {
    /// The event for one of the orchestrator's progress reports.
    static func from(_ progress: ProgressEvent, runId: String, seq: Int, at time: Timestamp) -> RunEvent {
        switch progress {
        case .started(let agent, let attempt):
            return RunEvent(
                runId: runId, seq: seq, kind: "agent.started", agent: agent, happenedAt: time,
                data: object(["run_id": .string(runId), "agent": .string(agent), "attempt": .number(Double(attempt))]))
        case .retrying(let agent, let attempt, let delay, let error):
            return RunEvent(
                runId: runId, seq: seq, kind: "agent.retry", agent: agent, happenedAt: time,
                data: object([
                    "run_id": .string(runId), "agent": .string(agent), "attempt": .number(Double(attempt)), "delay_seconds": .number(delay),
                    "error": .string(error),
                ]))
        case .timedOut(let agent, let attempt, let seconds):
            return RunEvent(
                runId: runId, seq: seq, kind: "agent.timeout", agent: agent, happenedAt: time,
                data: object([
                    "run_id": .string(runId), "agent": .string(agent), "attempt": .number(Double(attempt)),
                    "timeout_seconds": .number(seconds),
                ]))
        case .finished(let result):
            var fields: [String: JSONValue] = [
                "run_id": .string(runId), "agent": .string(result.agent), "status": .string(result.status.rawValue),
                "duration_ms": .number(result.durationMs.rounded()), "attempts": .number(Double(result.attempts)),
                "confidence": .number(result.confidence),
            ]
            if let error = result.error { fields["error"] = .string(error) }
            if let fallback = result.fallback { fields["fallback"] = .string(fallback) }
            return RunEvent(runId: runId, seq: seq, kind: "agent.finished", agent: result.agent, happenedAt: time, data: object(fields))
        }
    }

    static func started(runId: String, analysis: String, asOf: Day, trigger: String, at time: Timestamp) -> RunEvent {
        RunEvent(
            runId: runId, seq: 1, kind: runStarted, agent: nil, happenedAt: time,
            data: object([
                "run_id": .string(runId), "analysis": .string(analysis), "as_of": .string(asOf.iso), "trigger": .string(trigger),
            ]))
    }

    static func finished(
        runId: String, seq: Int, status: RunStatus, decisions: Int, alerts: Int, reason: String?, at time: Timestamp
    ) -> RunEvent {
        var fields: [String: JSONValue] = [
            "run_id": .string(runId), "status": .string(status.rawValue), "decisions": .number(Double(decisions)),
            "alerts": .number(Double(alerts)),
        ]
        if let reason { fields["reason"] = .string(reason) }
        return RunEvent(runId: runId, seq: seq, kind: runFinished, agent: nil, happenedAt: time, data: object(fields))
    }

    static func object(_ fields: [String: JSONValue]) -> String { JSONValue.object(fields).canonicalText }
}

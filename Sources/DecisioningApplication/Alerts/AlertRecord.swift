public import DecisioningAgents
public import DecisioningCore

/// One alert as `alert_states` keeps it: a fingerprint (rule + entity) with its state, its latest
/// figures, when it was first and last seen, and what was last notified about it.
public struct AlertRecord: Sendable, Equatable {
    /// The fingerprint: the alert's id in the API.
    public var id: String
    public var rule: String
    public var entityType: String?
    public var entityId: String?
    /// The highest severity seen since it (re)opened.
    public var severity: Severity
    public var state: AlertState
    /// The latest run's message.
    public var message: String
    public var observed: Double?
    public var threshold: Double?
    public var firstRunId: String
    public var lastRunId: String
    /// When it opened, or reopened last.
    public var openedAt: Timestamp
    public var lastSeenAt: Timestamp
    public var acknowledgedAt: Timestamp?
    public var resolvedAt: Timestamp?
    /// How it was resolved: `auto` (a run no longer raised it) or `user`.
    public var resolution: String?
    /// How many runs raised it.
    public var occurrences: Int
    /// The severity of the last notification sent about it, and when.
    public var notifiedSeverity: Severity?
    public var notifiedAt: Timestamp?

    /// The columns of `alert_states`, in the order `values` gives them and `init(row:)` reads them.
    static let columns = [
        "fingerprint", "rule", "entity_type", "entity_id", "severity", "state", "message", "observed", "threshold", "first_run_id",
        "last_run_id", "opened_at", "last_seen_at", "acknowledged_at", "resolved_at", "resolution", "occurrences", "notified_severity",
        "notified_at",
    ]

    static let columnTypes: [ColumnType] = [
        .text(maxLength: 64), .text(maxLength: 100), .text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 20),
        .text(maxLength: 20), .longText, .double, .double, .text(maxLength: 50), .text(maxLength: 50), .timestamp, .timestamp,
        .timestamp, .timestamp, .text(maxLength: 20), .integer, .text(maxLength: 20), .timestamp,
    ]

    static var selectColumns: String { columns.joined(separator: ", ") }

    /// A new alert, opened by `runId` at `time`.
    init(opening alert: Alert, fingerprint: String, runId: String, at time: Timestamp) {
        self.init(
            id: fingerprint, rule: alert.rule, entityType: alert.entityType, entityId: alert.entityId, severity: alert.severity,
            state: .open, message: alert.message, observed: alert.observed, threshold: alert.threshold, firstRunId: runId,
            lastRunId: runId, openedAt: time, lastSeenAt: time, acknowledgedAt: nil, resolvedAt: nil, resolution: nil, occurrences: 1,
            notifiedSeverity: nil, notifiedAt: nil)
    }

    public init(
        id: String, rule: String, entityType: String?, entityId: String?, severity: Severity, state: AlertState, message: String,
        observed: Double?, threshold: Double?, firstRunId: String, lastRunId: String, openedAt: Timestamp, lastSeenAt: Timestamp,
        acknowledgedAt: Timestamp?, resolvedAt: Timestamp?, resolution: String?, occurrences: Int, notifiedSeverity: Severity?,
        notifiedAt: Timestamp?
    ) {
        self.id = id
        self.rule = rule
        self.entityType = entityType
        self.entityId = entityId
        self.severity = severity
        self.state = state
        self.message = message
        self.observed = observed
        self.threshold = threshold
        self.firstRunId = firstRunId
        self.lastRunId = lastRunId
        self.openedAt = openedAt
        self.lastSeenAt = lastSeenAt
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.occurrences = occurrences
        self.notifiedSeverity = notifiedSeverity
        self.notifiedAt = notifiedAt
    }

    init(row: [Value]) {
        self.init(
            id: row[0].textValue ?? "", rule: row[1].textValue ?? "", entityType: row[2].textValue, entityId: row[3].textValue,
            severity: row[4].textValue.flatMap(Severity.init(rawValue:)) ?? .info,
            state: row[5].textValue.flatMap(AlertState.init(rawValue:)) ?? .open, message: row[6].textValue ?? "",
            observed: row[7].doubleOrNil, threshold: row[8].doubleOrNil, firstRunId: row[9].textValue ?? "",
            lastRunId: row[10].textValue ?? "", openedAt: row[11].timestampValue ?? Timestamp(seconds: 0),
            lastSeenAt: row[12].timestampValue ?? Timestamp(seconds: 0), acknowledgedAt: row[13].timestampValue,
            resolvedAt: row[14].timestampValue, resolution: row[15].textValue, occurrences: Int(row[16].integerValue),
            notifiedSeverity: row[17].textValue.flatMap(Severity.init(rawValue:)), notifiedAt: row[18].timestampValue)
    }

    var values: [Value] {
        [
            .text(id), .text(rule), entityType.map(Value.text) ?? .null, entityId.map(Value.text) ?? .null, .text(severity.rawValue),
            .text(state.rawValue), .text(message), observed.map(Value.double) ?? .null, threshold.map(Value.double) ?? .null,
            .text(firstRunId), .text(lastRunId), .timestamp(openedAt), .timestamp(lastSeenAt),
            acknowledgedAt.map(Value.timestamp) ?? .null, resolvedAt.map(Value.timestamp) ?? .null,
            resolution.map(Value.text) ?? .null, .integer(Int64(occurrences)), notifiedSeverity.map { Value.text($0.rawValue) } ?? .null,
            notifiedAt.map(Value.timestamp) ?? .null,
        ]
    }

    /// The alert as the API and the webhooks show it (snake_case keys, times in RFC 3339).
    public var json: JSONValue {
        func time(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return .object([
            "id": .string(id), "rule": .string(rule), "entity_type": entityType.map(JSONValue.string) ?? .null,
            "entity_id": entityId.map(JSONValue.string) ?? .null, "severity": .string(severity.rawValue), "state": .string(state.rawValue),
            "message": .string(message), "observed": observed.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null,
            "threshold": threshold.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null, "first_run_id": .string(firstRunId),
            "last_run_id": .string(lastRunId), "opened_at": time(openedAt), "last_seen_at": time(lastSeenAt),
            "acknowledged_at": time(acknowledgedAt), "resolved_at": time(resolvedAt),
            "resolution": resolution.map(JSONValue.string) ?? .null, "occurrences": .number(Double(occurrences)),
        ])
    }
}

extension Value {
    var doubleOrNil: Double? {
        switch self {
        case .double(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
}

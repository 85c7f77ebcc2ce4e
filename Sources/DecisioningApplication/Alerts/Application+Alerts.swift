public import DecisioningAgents
public import DecisioningCore
public import DecisioningStore
import Foundation

/// Which alerts to list: states and severities (empty: all), a page size and where the page starts.
public struct AlertQuery: Sendable, Equatable {
    public var states: [AlertState]
    public var severities: [Severity]
    public var limit: Int
    /// The last alert of the previous page (`AlertPage.next`), nil for the first page.
    public var after: AlertCursor?

    public init(states: [AlertState] = [], severities: [Severity] = [], limit: Int = 50, after: AlertCursor? = nil) {
        self.states = states
        self.severities = severities
        self.limit = limit
        self.after = after
    }
}

/// Where a page of alerts ended: alerts are listed by last sighting, newest first, then by id.
public struct AlertCursor: Sendable, Equatable {
    public var lastSeenAt: Timestamp
    public var id: String

    public init(lastSeenAt: Timestamp, id: String) {
        self.lastSeenAt = lastSeenAt
        self.id = id
    }
}

/// A page of alerts and, when there are more, the cursor of the next page.
public struct AlertPage: Sendable, Equatable {
    public var alerts: [AlertRecord]
    public var next: AlertCursor?
}

extension Application {
    /// The lifecycle under this application's configuration (`alerts.cooldown_seconds`).
    public var alertLifecycle: AlertLifecycle { AlertLifecycle(cooldownSeconds: configuration.alerts.cooldownSeconds) }

    /// Applies a run's alerts to the stored ones inside `writer`'s batch (the batch that stores the
    /// run), and queues the notifications for the configured webhooks in the same batch.
    /// - Returns: the changes made.
    @discardableResult
    public static func recordRunAlerts(
        runId: String, status: RunStatus, alerts: [Alert], at time: Timestamp, configuration: Configuration, writer: any BatchWriter
    ) throws -> [AlertLifecycle.Change] {
        guard status == .succeeded || status == .degraded else { return [] }
        let lifecycle = AlertLifecycle(cooldownSeconds: configuration.alerts.cooldownSeconds)
        let raised = Set(alerts.map { AlertFingerprint.of(rule: $0.rule, entityType: $0.entityType, entityId: $0.entityId) })
        var stored: [String: AlertRecord] = [:]
        for row in try writer.query(
            "SELECT \(AlertRecord.selectColumns) FROM alert_states WHERE state IN ('open', 'acknowledged')", arguments: [],
            columnTypes: AlertRecord.columnTypes)
        {
            let record = AlertRecord(row: row)
            stored[record.id] = record
        }
        // Resolved alerts raised again, read in groups (a run raises tens of alerts, not thousands).
        let missing = raised.subtracting(stored.keys).sorted()
        for start in stride(from: 0, to: missing.count, by: 200) {
            let group = Array(missing[start..<min(start + 200, missing.count)])
            let marks = Array(repeating: "?", count: group.count).joined(separator: ", ")
            for row in try writer.query(
                "SELECT \(AlertRecord.selectColumns) FROM alert_states WHERE fingerprint IN (\(marks))", arguments: group.map(Value.text),
                columnTypes: AlertRecord.columnTypes)
            {
                let record = AlertRecord(row: row)
                stored[record.id] = record
            }
        }
        let changes = lifecycle.changes(stored: stored, raised: alerts, runId: runId, status: status, at: time)
        try storeChanges(changes, writer: writer, configuration: configuration, at: time, runId: runId, actor: nil)
        return changes
    }

    /// Applies the alerts of run `runId` in a batch of their own (a run stored earlier, or tests).
    @discardableResult
    public func recordAlerts(runId: String, status: RunStatus, alerts: [Alert], at time: Timestamp) throws -> [AlertLifecycle.Change] {
        let configuration = self.configuration
        let changes = try store.writeBatch { writer in
            try Self.recordRunAlerts(runId: runId, status: status, alerts: alerts, at: time, configuration: configuration, writer: writer)
        }
        AlertMetrics.record(changes)
        return changes
    }

    /// The alert `id` (a fingerprint), or nil.
    public func alert(id: String) throws -> AlertRecord? {
        guard AlertFingerprint.isWellFormed(id) else { return nil }
        return try store.query(
            "SELECT \(AlertRecord.selectColumns) FROM alert_states WHERE fingerprint = ?", arguments: [.text(id)],
            columnTypes: AlertRecord.columnTypes
        ).first.map(AlertRecord.init(row:))
    }

    /// A page of alerts matching `query`, by last sighting (newest first), then id.
    public func listAlerts(_ query: AlertQuery) throws -> AlertPage {
        var conditions: [String] = []
        var arguments: [Value] = []
        if !query.states.isEmpty {
            conditions.append("state IN (" + query.states.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += query.states.map { .text($0.rawValue) }
        }
        if !query.severities.isEmpty {
            conditions.append("severity IN (" + query.severities.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += query.severities.map { .text($0.rawValue) }
        }
        if let after = query.after {
            conditions.append("(last_seen_at < ? OR (last_seen_at = ? AND fingerprint > ?))")
            arguments += [.timestamp(after.lastSeenAt), .timestamp(after.lastSeenAt), .text(after.id)]
        }
        let limit = max(1, min(query.limit, 500))
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try store.query(
            "SELECT \(AlertRecord.selectColumns) FROM alert_states\(filter) ORDER BY last_seen_at DESC, fingerprint LIMIT \(limit + 1)",
            arguments: arguments, columnTypes: AlertRecord.columnTypes)
        let alerts = rows.prefix(limit).map(AlertRecord.init(row:))
        let next = rows.count > limit ? alerts.last.map { AlertCursor(lastSeenAt: $0.lastSeenAt, id: $0.id) } : nil
        return AlertPage(alerts: Array(alerts), next: next)
    }

    /// Acknowledges open alert `id` at `time` on behalf of `actor` (a key's name).
    /// - Throws: `AlertError.notFound`, or `.illegalTransition` unless it is open.
    public func acknowledgeAlert(id: String, by actor: String, at time: Timestamp) throws -> AlertRecord {
        try transition(id: id, action: "acknowledge", from: [.open]) { record in
            record.state = .acknowledged
            record.acknowledgedAt = time
            return nil
        }
    }

    /// Resolves open or acknowledged alert `id` at `time` on behalf of `actor` (`resolution` "user");
    /// the webhooks hear `alert.resolved`. A later run that raises it again reopens it.
    /// - Throws: `AlertError.notFound`, or `.illegalTransition` when it is resolved already.
    public func resolveAlert(id: String, by actor: String, at time: Timestamp) throws -> AlertRecord {
        let lifecycle = alertLifecycle
        return try transition(id: id, action: "resolve", from: [.open, .acknowledged]) { record in
            record = lifecycle.resolved(record, resolution: "user", at: time)
            return AlertLifecycle.Change(record: record, event: .resolved, previousSeverity: nil, suppressed: false)
        } notify: { changes, writer in
            try Self.storeChanges(
                changes, writer: writer, configuration: self.configuration, at: time, runId: nil, actor: actor, updateRecords: false)
        }
    }

    /// Reads alert `id` in a batch, checks its state is one of `from`, applies `change` and stores it.
    private func transition(
        id: String, action: String, from: Set<AlertState>, _ change: (inout AlertRecord) -> AlertLifecycle.Change?,
        notify: (([AlertLifecycle.Change], any BatchWriter) throws -> Void)? = nil
    ) throws -> AlertRecord {
        guard AlertFingerprint.isWellFormed(id) else { throw AlertError.notFound(id: id) }
        let record = try store.writeBatch { writer -> AlertRecord in
            let rows = try writer.query(
                "SELECT \(AlertRecord.selectColumns) FROM alert_states WHERE fingerprint = ?", arguments: [.text(id)],
                columnTypes: AlertRecord.columnTypes)
            guard var record = rows.first.map(AlertRecord.init(row:)) else { throw AlertError.notFound(id: id) }
            guard from.contains(record.state) else { throw AlertError.illegalTransition(id: id, state: record.state, action: action) }
            let made = change(&record)
            try Self.update(record, writer: writer)
            if let made, let notify { try notify([made], writer) }
            return record
        }
        AlertMetrics.transitioned(record)
        return record
    }

    /// Stores `changes` and queues their notifications. `updateRecords` false: the records are stored already.
    static func storeChanges(
        _ changes: [AlertLifecycle.Change], writer: any BatchWriter, configuration: Configuration, at time: Timestamp, runId: String?,
        actor: String?, updateRecords: Bool = true
    ) throws {
        guard !changes.isEmpty else { return }
        if updateRecords {
            let upsert = try writer.inserter(for: Catalog.alertStates, columns: AlertRecord.columns, onConflict: .replace)
            for change in changes { _ = try upsert.insert(change.record.values) }
        }
        let webhooks = configuration.alerts.webhooks
        for change in changes {
            guard let event = change.event else { continue }
            let receivers = WebhookOutbox.receivers(of: event.rawValue, severity: change.record.severity, among: webhooks)
            guard !receivers.isEmpty else { continue }
            var data: [String: JSONValue] = ["alert": change.record.json]
            if let previous = change.previousSeverity { data["previous_severity"] = .string(previous.rawValue) }
            if let runId { data["run_id"] = .string(runId) }
            if let actor { data["resolved_by"] = .string(actor) }
            let payload = WebhookOutbox.payload(type: event.rawValue, at: time, data: .object(data))
            try WebhookOutbox.enqueue(eventType: event.rawValue, payload: payload, to: receivers, writer: writer, at: time)
        }
    }

    static func update(_ record: AlertRecord, writer: any BatchWriter) throws {
        let upsert = try writer.inserter(for: Catalog.alertStates, columns: AlertRecord.columns, onConflict: .replace)
        _ = try upsert.insert(record.values)
    }

    /// How many alerts there are per state and severity (for the gauges).
    public func alertCounts() throws -> [(state: String, severity: String, count: Int)] {
        try store.query(
            "SELECT state, severity, COUNT(*) FROM alert_states GROUP BY state, severity", arguments: [],
            columnTypes: [.text(maxLength: 20), .text(maxLength: 20), .integer]
        ).map { ($0[0].textValue ?? "", $0[1].textValue ?? "", Int($0[2].integerValue)) }
    }
}

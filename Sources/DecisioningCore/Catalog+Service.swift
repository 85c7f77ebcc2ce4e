/// The tables the service keeps (migration 0004): run events for live progress and replay, API keys,
/// leases that keep runs from overlapping, the schedule's last occurrences, the alerts' lifecycle and the
/// webhook outbox.
extension Catalog {
    /// One row per progress event of a run, numbered from 1 in the order they happened: what a
    /// server-sent event stream replays and resumes from (`Last-Event-ID` is `seq`).
    public static let runEvents = TableSchema(
        name: "run_events",
        columns: [
            ColumnSchema("run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("seq", .integer, nullable: false),
            ColumnSchema("kind", .text(maxLength: 40), nullable: false),
            ColumnSchema("agent", .text(maxLength: 50)),
            ColumnSchema("happened_at", .timestamp, nullable: false),
            ColumnSchema("data", .json, nullable: false),
        ],
        primaryKey: ["run_id", "seq"])

    /// API keys: only the SHA-256 of a key is kept, with its name, role and times.
    public static let apiKeys = TableSchema(
        name: "api_keys",
        columns: [
            ColumnSchema("name", .text(maxLength: 100), nullable: false),
            ColumnSchema("key_hash", .text(maxLength: 64), nullable: false),
            ColumnSchema("role", .text(maxLength: 20), nullable: false),
            ColumnSchema("created_at", .timestamp, nullable: false),
            ColumnSchema("last_used_at", .timestamp),
            ColumnSchema("revoked_at", .timestamp),
        ],
        primaryKey: ["name"])

    /// A lease per named resource (`run:<database>`): who holds it, for which run, until when. Two
    /// servers on one database never run at once: a holder takes the lease only when it is free or expired.
    public static let serviceLeases = TableSchema(
        name: "service_leases",
        columns: [
            ColumnSchema("name", .text(maxLength: 100), nullable: false),
            ColumnSchema("holder", .text(maxLength: 100), nullable: false),
            ColumnSchema("run_id", .text(maxLength: 50)),
            ColumnSchema("expires_at", .timestamp, nullable: false),
        ],
        primaryKey: ["name"])

    /// Per schedule, the last occurrence that was run (or given up), so a restart knows what it missed.
    public static let scheduleState = TableSchema(
        name: "schedule_state",
        columns: [
            ColumnSchema("schedule", .text(maxLength: 100), nullable: false),
            ColumnSchema("last_occurrence", .timestamp, nullable: false),
            ColumnSchema("last_run_id", .text(maxLength: 50)),
        ],
        primaryKey: ["schedule"])

    /// One row per alert fingerprint (rule + entity): its state (open, acknowledged, resolved), when it
    /// was first and last seen, and what was last notified.
    public static let alertStates = TableSchema(
        name: "alert_states",
        columns: [
            ColumnSchema("fingerprint", .text(maxLength: 64), nullable: false),
            ColumnSchema("rule", .text(maxLength: 100), nullable: false),
            ColumnSchema("entity_type", .text(maxLength: 50)),
            ColumnSchema("entity_id", .text(maxLength: 50)),
            ColumnSchema("severity", .text(maxLength: 20), nullable: false),
            ColumnSchema("state", .text(maxLength: 20), nullable: false),
            ColumnSchema("message", .longText, nullable: false),
            ColumnSchema("observed", .double),
            ColumnSchema("threshold", .double),
            ColumnSchema("first_run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("last_run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("opened_at", .timestamp, nullable: false),
            ColumnSchema("last_seen_at", .timestamp, nullable: false),
            ColumnSchema("acknowledged_at", .timestamp),
            ColumnSchema("resolved_at", .timestamp),
            ColumnSchema("resolution", .text(maxLength: 20)),
            ColumnSchema("occurrences", .integer, nullable: false),
            ColumnSchema("notified_severity", .text(maxLength: 20)),
            ColumnSchema("notified_at", .timestamp),
        ],
        primaryKey: ["fingerprint"])

    /// The webhook outbox: one row per delivery of one event to one webhook, written in the transaction
    /// that changed the alerts, then sent (and retried) by the dispatcher.
    public static let webhookDeliveries = TableSchema(
        name: "webhook_deliveries",
        columns: [
            ColumnSchema("delivery_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("webhook", .text(maxLength: 100), nullable: false),
            ColumnSchema("event_type", .text(maxLength: 50), nullable: false),
            ColumnSchema("payload", .json, nullable: false),
            ColumnSchema("state", .text(maxLength: 20), nullable: false),
            ColumnSchema("attempts", .integer, nullable: false),
            ColumnSchema("next_attempt_at", .timestamp, nullable: false),
            ColumnSchema("last_status", .integer),
            ColumnSchema("last_error", .longText),
            ColumnSchema("created_at", .timestamp, nullable: false),
            ColumnSchema("delivered_at", .timestamp),
        ],
        primaryKey: ["delivery_id"])

    public static let serviceTables: [TableSchema] = [runEvents, apiKeys, serviceLeases, scheduleState, alertStates, webhookDeliveries]
}

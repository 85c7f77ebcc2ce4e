public import DecisioningCore

/// One row of the outbox, `webhook_deliveries`: one event for one webhook, with its attempts.
public struct WebhookDelivery: Sendable, Equatable {
    /// The `webhook-id` header: the same on every attempt.
    public var id: String
    /// The webhook's name in the configuration (`alerts.webhooks[i].name`).
    public var webhook: String
    public var eventType: String
    /// The body sent, exactly (JSON text).
    public var payload: String
    public var state: WebhookDeliveryState
    public var attempts: Int
    public var nextAttemptAt: Timestamp
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Timestamp
    public var deliveredAt: Timestamp?

    public init(
        id: String, webhook: String, eventType: String, payload: String, state: WebhookDeliveryState, attempts: Int,
        nextAttemptAt: Timestamp, lastStatus: Int?, lastError: String?, createdAt: Timestamp, deliveredAt: Timestamp?
    ) {
        self.id = id
        self.webhook = webhook
        self.eventType = eventType
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    static let columns = [
        "delivery_id", "webhook", "event_type", "payload", "state", "attempts", "next_attempt_at", "last_status", "last_error",
        "created_at", "delivered_at",
    ]

    static let columnTypes: [ColumnType] = [
        .text(maxLength: 50), .text(maxLength: 100), .text(maxLength: 50), .json, .text(maxLength: 20), .integer, .timestamp, .integer,
        .longText, .timestamp, .timestamp,
    ]

    static var selectColumns: String { columns.joined(separator: ", ") }

    init(row: [Value]) {
        self.init(
            id: row[0].textValue ?? "", webhook: row[1].textValue ?? "", eventType: row[2].textValue ?? "",
            payload: row[3].textValue ?? "{}",
            state: row[4].textValue.flatMap(WebhookDeliveryState.init(rawValue:)) ?? .pending, attempts: Int(row[5].integerValue),
            nextAttemptAt: row[6].timestampValue ?? Timestamp(seconds: 0), lastStatus: row[7].isNull ? nil : Int(row[7].integerValue),
            lastError: row[8].textValue, createdAt: row[9].timestampValue ?? Timestamp(seconds: 0), deliveredAt: row[10].timestampValue)
    }

    /// The delivery as the API shows it (the payload as JSON, times in RFC 3339).
    public var json: JSONValue {
        func time(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return .object([
            "id": .string(id), "webhook": .string(webhook), "event_type": .string(eventType),
            "payload": (try? StrictJSON.parse(Array(payload.utf8))) ?? .string(payload), "state": .string(state.rawValue),
            "attempts": .number(Double(attempts)), "next_attempt_at": state == .pending ? time(nextAttemptAt) : .null,
            "last_status": lastStatus.map { .number(Double($0)) } ?? .null, "last_error": lastError.map(JSONValue.string) ?? .null,
            "created_at": time(createdAt), "delivered_at": time(deliveredAt),
        ])
    }
}

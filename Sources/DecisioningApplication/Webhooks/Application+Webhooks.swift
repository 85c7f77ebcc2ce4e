public import DecisioningCore
import DecisioningStore
import Foundation

/// One attempt ready to send: where, the signed headers and the body.
public struct SignedWebhookRequest: Sendable {
    public var deliveryId: String
    public var webhook: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeoutSeconds: Double
}

extension Application {
    /// Takes up to `limit` pending deliveries due at `now`, oldest first, and pushes their next
    /// attempt `leaseSeconds` ahead, in one batch: another dispatcher (or this one's next poll)
    /// does not take them while they are being sent, and if this process dies they are due again
    /// once the lease is over. `excluding`: ids this process is sending already.
    public func claimDueDeliveries(now: Timestamp, limit: Int, leaseSeconds: Int64, excluding: Set<String> = []) throws
        -> [WebhookDelivery]
    {
        guard limit > 0 else { return [] }
        // A read first: an idle outbox costs a read per poll, not a write transaction.
        let due = try store.query(
            "SELECT delivery_id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? LIMIT \(excluding.count + 1)",
            arguments: [.timestamp(now)], columnTypes: [.text(maxLength: 50)])
        guard due.contains(where: { !excluding.contains($0[0].textValue ?? "") }) else { return [] }
        // MySQL: lock the rows taken, skipping those another server has locked; SQLite's batch holds the write lock.
        var lock = ""
        if case .mysql = url { lock = " FOR UPDATE SKIP LOCKED" }
        return try store.writeBatch { writer -> [WebhookDelivery] in
            let rows = try writer.query(
                "SELECT \(WebhookDelivery.selectColumns) FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at, delivery_id LIMIT \(limit + excluding.count)\(lock)",
                arguments: [.timestamp(now)], columnTypes: WebhookDelivery.columnTypes)
            let due = rows.map(WebhookDelivery.init(row:)).filter { !excluding.contains($0.id) }.prefix(limit)
            let until = Timestamp(seconds: now.seconds + max(1, leaseSeconds))
            for delivery in due {
                try writer.execute(
                    "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE delivery_id = ? AND state = 'pending'",
                    arguments: [.timestamp(until), .text(delivery.id)])
            }
            return Array(due)
        }
    }

    /// The signed request of an attempt at `delivery` at `time`, for the configured webhook it names.
    /// - Returns: the request, or the reason it cannot be made (`WebhookAttempt.notSent`): the webhook
    ///   is no longer configured, or its secret is missing or malformed (the message names the variable).
    public func signedRequest(for delivery: WebhookDelivery, at time: Timestamp, environment: [String: String]) -> Result<
        SignedWebhookRequest, WebhookNotSent
    > {
        guard let hook = configuration.alerts.webhooks.first(where: { $0.name == delivery.webhook }) else {
            return .failure(
                WebhookNotSent(
                    reason:
                        "the webhook '\(TerminalText.quoted(delivery.webhook))' is no longer in alerts.webhooks; add it back to send this delivery",
                    final: true))
        }
        return Self.signedRequest(id: delivery.id, payload: delivery.payload, hook: hook, at: time, environment: environment)
    }

    /// A signed request of `payload` as delivery `id` to `hook` at `time`.
    public static func signedRequest(
        id: String, payload: String, hook: Configuration.Webhook, at time: Timestamp, environment: [String: String]
    ) -> Result<SignedWebhookRequest, WebhookNotSent> {
        guard let secret = environment[hook.secretEnvironmentVariable] else {
            return .failure(
                WebhookNotSent(reason: WebhookSecretError.missing(variable: hook.secretEnvironmentVariable, webhook: hook.name).description)
            )
        }
        let signer: WebhookSigner
        do {
            signer = try WebhookSigner(secret: secret, variable: hook.secretEnvironmentVariable)
        } catch {
            return .failure(WebhookNotSent(reason: error.description))
        }
        let body = Array(payload.utf8)
        var headers = signer.headers(id: id, timestamp: time.seconds, body: body)
        headers.append(("content-type", "application/json"))
        headers.append(("user-agent", "decisioning-webhooks/1"))
        return .success(
            SignedWebhookRequest(
                deliveryId: id, webhook: hook.name, url: hook.url, headers: headers, body: body, timeoutSeconds: hook.timeoutSeconds))
    }

    /// Records attempt `attempt` at `delivery` made at `time`: a 2xx marks it delivered; anything else
    /// counts an attempt and schedules the next after `backoff`, or marks it `dead` when it was the
    /// webhook's `max_attempts`-th (at once when `final`).
    /// - Returns: the delivery as stored now.
    @discardableResult
    public func recordDeliveryAttempt(
        _ delivery: WebhookDelivery, attempt: WebhookAttempt, at time: Timestamp, backoff: WebhookBackoff, final: Bool = false
    ) throws -> WebhookDelivery {
        var updated = delivery
        updated.attempts += 1
        updated.lastStatus = attempt.status
        updated.lastError = attempt.failure
        let maxAttempts = configuration.alerts.webhooks.first(where: { $0.name == delivery.webhook })?.maxAttempts ?? 1
        if attempt.isSuccess {
            updated.state = .delivered
            updated.deliveredAt = time
        } else if final || updated.attempts >= maxAttempts {
            updated.state = .dead
        } else {
            updated.state = .pending
            updated.nextAttemptAt = Timestamp(seconds: time.seconds + backoff.delay(attempt: updated.attempts, deliveryId: delivery.id))
        }
        let row = updated
        try store.writeBatch { writer in
            // Only a pending row changes: a delivery recorded already (by another server) stays as it is.
            try writer.execute(
                "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE delivery_id = ? AND state = 'pending'",
                arguments: [
                    .text(row.state.rawValue), .integer(Int64(row.attempts)), .timestamp(row.nextAttemptAt),
                    row.lastStatus.map { .integer(Int64($0)) } ?? .null, row.lastError.map(Value.text) ?? .null,
                    row.deliveredAt.map(Value.timestamp) ?? .null, .text(row.id),
                ])
        }
        return updated
    }

    /// Deliveries in `states` (empty: all), newest first, `limit` of them after `after` (a delivery id of the previous page).
    public func listDeliveries(states: [WebhookDeliveryState] = [], limit: Int = 50, after: String? = nil) throws -> [WebhookDelivery] {
        var conditions: [String] = []
        var arguments: [Value] = []
        if !states.isEmpty {
            conditions.append("state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += states.map { .text($0.rawValue) }
        }
        if let after, let cursor = try delivery(id: after) {
            conditions.append("(created_at < ? OR (created_at = ? AND delivery_id > ?))")
            arguments += [.timestamp(cursor.createdAt), .timestamp(cursor.createdAt), .text(cursor.id)]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try store.query(
            "SELECT \(WebhookDelivery.selectColumns) FROM webhook_deliveries\(filter) ORDER BY created_at DESC, delivery_id LIMIT \(max(1, min(limit, 501)))",
            arguments: arguments, columnTypes: WebhookDelivery.columnTypes
        ).map(WebhookDelivery.init(row:))
    }

    /// The delivery `id`, or nil.
    public func delivery(id: String) throws -> WebhookDelivery? {
        try store.query(
            "SELECT \(WebhookDelivery.selectColumns) FROM webhook_deliveries WHERE delivery_id = ?", arguments: [.text(id)],
            columnTypes: WebhookDelivery.columnTypes
        ).first.map(WebhookDelivery.init(row:))
    }
}

public import DecisioningAgents
public import DecisioningCore
public import DecisioningStore
import Foundation

/// Writes deliveries into the outbox (`webhook_deliveries`) inside the caller's batch, so that an
/// event is queued if and only if the change it tells of is stored.
public enum WebhookOutbox {
    /// The webhooks of `webhooks` that hear of `eventType` at `severity`: their `events` name it
    /// (or are empty) and their `min_severity` is at most `severity`.
    public static func receivers(of eventType: String, severity: Severity?, among webhooks: [Configuration.Webhook])
        -> [Configuration.Webhook]
    {
        webhooks.filter { hook in
            guard hook.events.isEmpty || hook.events.contains(eventType) else { return false }
            guard let severity else { return true }
            return severity >= (Severity(rawValue: hook.minSeverity) ?? .high)
        }
    }

    /// The body of an event, as Standard Webhooks lays it out: `type`, `timestamp` and `data`.
    public static func payload(type: String, at time: Timestamp, data: JSONValue) -> String {
        JSONValue.object(["type": .string(type), "timestamp": .string(time.rfc3339), "data": data]).canonicalText
    }

    /// A new delivery id, `msg_` and 32 random hex digits: the `webhook-id` of every attempt.
    public static func newDeliveryId() -> String {
        "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Queues `payload` (an event of `eventType`) for each of `webhooks`, due at once.
    /// - Returns: the delivery ids, one per webhook.
    @discardableResult
    public static func enqueue(
        eventType: String, payload: String, to webhooks: [Configuration.Webhook], writer: any BatchWriter, at time: Timestamp
    )
        throws -> [String]
    {
        guard !webhooks.isEmpty else { return [] }
        let insert = try writer.inserter(
            for: Catalog.webhookDeliveries,
            columns: ["delivery_id", "webhook", "event_type", "payload", "state", "attempts", "next_attempt_at", "created_at"],
            onConflict: .fail)
        var ids: [String] = []
        for hook in webhooks {
            let id = newDeliveryId()
            _ = try insert.insert([
                .text(id), .text(hook.name), .text(eventType), .json(payload), .text(WebhookDeliveryState.pending.rawValue), .integer(0),
                .timestamp(time), .timestamp(time),
            ])
            ids.append(id)
        }
        return ids
    }
}

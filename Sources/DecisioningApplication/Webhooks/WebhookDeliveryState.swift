/// Where a delivery is: waiting for its (next) attempt, delivered (a receiver answered 2xx), or
/// given up after its webhook's `max_attempts` (`dead`).
public enum WebhookDeliveryState: String, Sendable, Hashable, CaseIterable {
    case pending, delivered, dead
}

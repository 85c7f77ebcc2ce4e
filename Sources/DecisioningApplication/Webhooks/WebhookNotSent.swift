/// Why an attempt could not be made at all. `final`: trying again cannot help (the webhook is gone),
/// so the delivery is dead at once; otherwise it counts as a failed attempt and is retried.
public struct WebhookNotSent: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var final = false

    public init(reason: String, final: Bool = false) {
        self.reason = reason
        self.final = final
    }

    public var description: String { reason }
}

public import DecisioningApplication

/// Sends one signed webhook attempt and says what came of it. The dispatcher and the test route
/// send through it; tests give their own.
public protocol WebhookTransport: Sendable {
    /// Sends `request` within its `timeoutSeconds`; never throws: every outcome is a `WebhookAttempt`.
    func send(_ request: SignedWebhookRequest) async -> WebhookAttempt
}

public import DecisioningApplication
public import DecisioningCore
import DecisioningStore
public import Foundation
public import Logging
import Metrics
public import ServiceLifecycle

/// Sends the outbox (`webhook_deliveries`): every `pollInterval` it takes the due deliveries (up to
/// `concurrency`), sends them at once, records each outcome, and goes on; a 2xx delivers, anything
/// else is retried with backoff until the webhook's `max_attempts`, then the delivery is `dead`.
///
/// At least once: a delivery is marked delivered only after a 2xx. Taking a delivery pushes its next
/// attempt ahead by its timeout and a margin (a lease), so a process killed while sending leaves it
/// pending, and it is sent again, with the same `webhook-id`, once the lease is over. On graceful
/// shutdown the dispatcher takes no more deliveries and lets those being sent finish.
public struct WebhookDispatcher: Service {
    public struct Settings: Sendable {
        public var pollInterval: Duration
        public var concurrency: Int
        public var backoff: WebhookBackoff
        /// Where secrets are read from (`secret_env` names a variable of it).
        public var environment: [String: String]
        /// The clock of attempts and records (tests pass their own).
        public var now: @Sendable () -> Timestamp

        public init(
            pollInterval: Duration = .seconds(1), concurrency: Int = 4, backoff: WebhookBackoff = WebhookBackoff(),
            environment: [String: String] = ProcessInfo.processInfo.environment,
            now: @escaping @Sendable () -> Timestamp = RunCoordinator.wallClock
        ) {
            self.pollInterval = pollInterval
            self.concurrency = concurrency
            self.backoff = backoff
            self.environment = environment
            self.now = now
        }
    }

    let application: DecisioningApplication.Application
    let transport: any WebhookTransport
    let settings: Settings
    let logger: Logger

    public init(application: DecisioningApplication.Application, transport: any WebhookTransport, settings: Settings, logger: Logger) {
        self.application = application
        self.transport = transport
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await dispatchDue()
            } catch {
                logger.error("webhook dispatch failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
        }
    }

    /// Takes the deliveries due now (up to `concurrency`), sends them concurrently and records each outcome.
    /// - Returns: the deliveries as recorded (none were due: empty).
    public func dispatchDue() async throws -> [WebhookDelivery] {
        let (application, now, limit) = (self.application, settings.now(), settings.concurrency)
        let due = try await BlockingPool.shared.run("take due webhook deliveries") { _ in
            try application.claimDueDeliveries(now: now, limit: limit, leaseSeconds: Self.leaseSeconds(application))
        }
        guard !due.isEmpty else { return [] }
        return await withTaskGroup(of: WebhookDelivery?.self) { group in
            for delivery in due { group.addTask { await self.attempt(delivery) } }
            var recorded: [WebhookDelivery] = []
            for await delivery in group { if let delivery { recorded.append(delivery) } }
            return recorded
        }
    }

    /// Sends one delivery and records the outcome; nil when the task was cancelled before it could
    /// record it (the delivery stays pending and is sent again).
    func attempt(_ delivery: WebhookDelivery) async -> WebhookDelivery? {
        let time = settings.now()
        let attempt: WebhookAttempt
        var final = false
        switch application.signedRequest(for: delivery, at: time, environment: settings.environment) {
        case .success(let request):
            attempt = await transport.send(request)
        case .failure(let notSent):
            attempt = .notSent(notSent.reason)
            final = notSent.final
        }
        if Task.isCancelled { return nil }
        let (application, backoff, finished, giveUp) = (self.application, settings.backoff, settings.now(), final)
        do {
            let recorded = try await BlockingPool.shared.run("record a webhook attempt") { _ in
                try application.recordDeliveryAttempt(delivery, attempt: attempt, at: finished, backoff: backoff, final: giveUp)
            }
            Self.count(recorded, attempt)
            var metadata: Logger.Metadata = [
                "webhook": "\(delivery.webhook)", "webhook.id": "\(delivery.id)", "event": "\(delivery.eventType)",
                "attempt": "\(recorded.attempts)", "state": "\(recorded.state.rawValue)",
            ]
            if let failure = attempt.failure {
                metadata["error"] = "\(failure)"
                logger.warning("webhook attempt failed", metadata: metadata)
            } else {
                logger.info("webhook delivered", metadata: metadata)
            }
            return recorded
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["webhook.id": "\(delivery.id)", "error": "\(error)"])
            return nil
        }
    }

    /// How far taking a delivery pushes its next attempt: the longest timeout of a webhook and 5 s.
    static func leaseSeconds(_ application: DecisioningApplication.Application) -> Int64 {
        let longest = application.configuration.alerts.webhooks.map(\.timeoutSeconds).max() ?? 10
        return Int64(longest.rounded(.up)) + 5
    }

    /// `decisioning_webhook_deliveries_total{webhook, outcome, result}`: outcome delivered, retrying
    /// or dead; result the attempt's (2xx, 3xx, 4xx, 5xx, timeout, refused, error, not_sent).
    static func count(_ delivery: WebhookDelivery, _ attempt: WebhookAttempt) {
        let outcome = delivery.state == .pending ? "retrying" : delivery.state.rawValue
        Counter(
            label: "decisioning_webhook_deliveries_total",
            dimensions: [("webhook", delivery.webhook), ("outcome", outcome), ("result", attempt.label)]
        ).increment()
    }
}

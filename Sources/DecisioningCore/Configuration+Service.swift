extension Configuration {
    /// How `decisioning serve` listens and what it allows (`service` in the configuration).
    public struct Service: Sendable, Equatable {
        /// `HOST:PORT` to listen on (`service.listen`); `--listen` overrides it.
        public var listen = "127.0.0.1:8080"
        /// How long a shutdown lets a running flow finish before cancelling it (`service.shutdown_grace_seconds`).
        public var shutdownGraceSeconds: Double = 30
        /// The largest ingest body accepted, in bytes (`service.max_ingest_bytes`); larger ones get 413.
        public var maxIngestBytes = 1 << 30
        /// Requests per minute per key to the expensive routes: runs, ingest, analyses (`service.rate_limit_per_minute`).
        public var rateLimitPerMinute = 120
        /// Whether `GET /metrics` needs a key (`service.metrics_require_key`).
        public var metricsRequireKey = false
        /// How long a run's lease lasts without renewal (`service.lease_seconds`): another server may
        /// take over a database whose holder stopped renewing for that long.
        public var leaseSeconds: Double = 60
        /// How long an analysis's answer is fresh (`service.analysis_fresh_seconds`); until ten times
        /// that it is still served while one background computation replaces it. An ingest through
        /// the server forgets answers at once; another process's writes show within this long.
        public var analysisFreshSeconds: Double = 30

        public init() {}
    }

    /// The alerts' lifecycle and their webhooks (`alerts` in the configuration).
    public struct Alerts: Sendable, Equatable {
        /// A reopened or still-open alert is notified again only after this long (`alerts.cooldown_seconds`).
        public var cooldownSeconds: Double = 3_600
        public var webhooks: [Webhook] = []

        public init() {}
    }

    /// One receiver of alert events (`alerts.webhooks[i]`). The secret is read from the environment
    /// variable `secretEnvironmentVariable` names; it is never in the configuration.
    public struct Webhook: Sendable, Equatable {
        public var name: String
        public var url: String
        public var secretEnvironmentVariable: String
        /// The least severity sent (`min_severity`: info, low, medium, high or critical).
        public var minSeverity = "high"
        /// The event types sent (`events`); empty: all of `Webhook.eventTypes`.
        public var events: [String] = []
        /// The most attempts before a delivery is `dead` (`max_attempts`).
        public var maxAttempts = 8
        /// Seconds an attempt may take (`timeout_seconds`).
        public var timeoutSeconds: Double = 10

        public init(name: String, url: String, secretEnvironmentVariable: String) {
            self.name = name
            self.url = url
            self.secretEnvironmentVariable = secretEnvironmentVariable
        }

        /// What a webhook may hear of.
        public static let eventTypes = ["alert.opened", "alert.escalated", "alert.reopened", "alert.resolved", "run.finished", "test"]
        public static let severities = ["info", "low", "medium", "high", "critical"]
    }
}

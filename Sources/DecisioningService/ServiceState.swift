import DecisioningAgents
public import DecisioningApplication
public import DecisioningCore
public import DecisioningEmbedding
public import Foundation
import Synchronization

/// What every route shares: the application, the run coordinator, the key cache, the rate limiter
/// and the caches of finished runs' results and of analyses.
public final class ServiceState: Sendable {
    public let application: DecisioningApplication.Application
    public let coordinator: RunCoordinator
    let keys: KeyCache
    let limiter: RateLimiter
    let runs: RunCache
    let analyses: AnalysisCache
    /// The vectors of the event notes and project descriptions, and the text model, for `GET /api/v1/search`.
    let notes: NoteSearch
    /// The id of the latest run with decisions, for one second (another server's run shows after that).
    let latestRun = Remembered<String>(lifetime: .seconds(1))
    /// How webhooks are sent (the dispatcher and `POST /api/v1/webhooks/test`), and the dispatcher's settings.
    public let webhookTransport: any WebhookTransport
    public let webhookSettings: WebhookDispatcher.Settings
    /// The optional language model that reads questions first (`questions.llm`); nil: the deterministic interpreter alone.
    public let questionReader: LanguageModelReader?
    /// The clock of alert transitions made through the API (the dispatcher's own clock by default).
    public let now: @Sendable () -> Timestamp
    private let stopping = Mutex(false)

    public init(
        application: DecisioningApplication.Application, coordinator: RunCoordinator,
        webhookTransport: any WebhookTransport = HTTPWebhookTransport(), webhookSettings: WebhookDispatcher.Settings = .init(),
        chatTransport: any ChatCompletionTransport = HTTPChatTransport(),
        modelDirectory: URL = SentenceEmbedder.defaultModelDirectory()
    ) {
        self.application = application
        self.coordinator = coordinator
        self.webhookTransport = webhookTransport
        self.webhookSettings = webhookSettings
        self.now = webhookSettings.now
        self.questionReader = LanguageModelReader.configured(application.configuration, transport: chatTransport)
        self.keys = KeyCache(application: application)
        self.limiter = RateLimiter(perMinute: application.configuration.service.rateLimitPerMinute)
        let runs = RunCache()
        self.runs = runs
        let fresh = application.configuration.service.analysisFreshSeconds
        self.analyses = AnalysisCache(lifetime: .milliseconds(Int64(fresh * 1000)), staleLimit: .milliseconds(Int64(fresh * 10_000)))
        self.notes = NoteSearch(application: application, modelDirectory: modelDirectory, freshness: .milliseconds(Int64(fresh * 1000)))
        let latest = latestRun
        // A run this server finishes is read, decoded and its decisions rendered before it can be
        // "latest": otherwise every request arriving as it ends waits on that first read.
        coordinator.whenRunStored { [application] results in
            let bodies: [String: @Sendable (RunCache.Entry) throws -> String] = [
                DecisionRoutes.listName: { try DecisionRoutes.listBody($0.results) }
            ]
            do {
                try await runs.warm(results, application: application, bodies: bodies)
            } catch {
                application.logger.warning(
                    "a finished run could not be kept ready", metadata: ["run.id": "\(results.run.runId)", "error": "\(error)"])
                return
            }
            if results.run.status == .succeeded || results.run.status == .degraded {
                latest.expire()
                latest.remember(results.run.runId)
            }
        }
    }

    /// Whether the server is shutting down (`/readyz` then answers 503).
    public var isStopping: Bool { stopping.withLock { $0 } }
    public func markStopping() { stopping.withLock { $0 = true } }
}

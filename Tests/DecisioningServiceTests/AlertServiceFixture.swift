import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A clock the test moves by hand, starting at the wall clock's second (receivers check freshness).
final class TestClock: Sendable {
    private let seconds = Mutex(Int64(Date().timeIntervalSince1970))
    var now: Timestamp { Timestamp(seconds: seconds.withLock { $0 }) }
    func advance(_ by: Int64) { seconds.withLock { $0 += by } }
}

/// A transport that records what it was asked to send and answers with a fixed attempt.
final class RecordingTransport: WebhookTransport {
    private let sent = Mutex<[SignedWebhookRequest]>([])
    let answer: WebhookAttempt

    init(answer: WebhookAttempt) { self.answer = answer }

    var requests: [SignedWebhookRequest] { sent.withLock { $0 } }

    func send(_ request: SignedWebhookRequest) async -> WebhookAttempt {
        sent.withLock { $0.append(request) }
        return answer
    }
}

/// An application on a scratch SQLite database with webhooks configured, its keys and a service state.
struct AlertServiceFixture {
    let directory: URL
    let application: DecisioningApplication.Application
    let state: ServiceState
    let clock: TestClock
    var keys: [APIRole: String] = [:]

    init(
        webhooks: [Configuration.Webhook] = AlertServiceFixture.webhooks(url: "http://127.0.0.1:9/hook"),
        environment: [String: String] = [:],
        transport: any WebhookTransport = HTTPWebhookTransport(), backoff: WebhookBackoff = WebhookBackoff(baseSeconds: 10, seed: 5)
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.alerts.webhooks = webhooks
        application = try DecisioningApplication.Application.open(
            .sqlite(path: directory.appendingPathComponent("s.sqlite").path), configuration: configuration)
        let clock = TestClock()
        self.clock = clock
        state = ServiceState(
            application: application, coordinator: RunCoordinator(application: application, output: nil),
            webhookTransport: transport,
            webhookSettings: WebhookDispatcher.Settings(
                pollInterval: .milliseconds(100), concurrency: 4, backoff: backoff, environment: environment, now: { clock.now }))
        for role in APIRole.allCases {
            keys[role] = try application.createAPIKey(name: "key-\(role.rawValue)", role: role, now: clock.now)
        }
    }

    static func webhooks(url: String, maxAttempts: Int = 5, timeout: Double = 5) -> [Configuration.Webhook] {
        var hook = Configuration.Webhook(name: "ops", url: url, secretEnvironmentVariable: "OPS_WEBHOOK_SECRET")
        hook.minSeverity = "info"
        hook.maxAttempts = maxAttempts
        hook.timeoutSeconds = timeout
        return [hook]
    }

    func dispatcher() -> WebhookDispatcher {
        WebhookDispatcher(
            application: application, transport: state.webhookTransport, settings: state.webhookSettings, logger: application.logger)
    }

    /// Plants alerts of run `runId`: one per entity, rule `overrun`, at the fixture's clock.
    @discardableResult
    func plant(_ entities: [String], severity: Severity = .high, runId: String = "r1") throws -> [AlertLifecycle.Change] {
        try application.recordAlerts(
            runId: runId, status: .succeeded,
            alerts: entities.map {
                Alert(id: "A-\($0)", severity: severity, rule: "overrun", message: "\($0) overruns", entityType: "project", entityId: $0)
            }, at: clock.now)
    }

    static func id(_ entity: String) -> String { AlertFingerprint.of(rule: "overrun", entityType: "project", entityId: entity) }

    func headers(_ role: APIRole?) -> HTTPFields {
        guard let role, let key = keys[role] else { return [:] }
        return [.authorization: "Bearer \(key)"]
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func app() -> some ApplicationProtocol { Hummingbird.Application(router: APIRouter.build(state: state)) }
}

extension TestResponse {
    /// The body as JSON (records an issue, and gives null, when it is not).
    var json: JSONValue {
        do {
            return try StrictJSON.parse(Array(body.readableBytesView))
        } catch {
            Issue.record("the body is not JSON: \(error): \(String(decoding: body.readableBytesView, as: UTF8.self))")
            return .null
        }
    }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var number: Double? { if case .number(let n) = self { return n } else { return nil } }
}

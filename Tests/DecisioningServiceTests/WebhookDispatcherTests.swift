import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import Testing

/// The dispatcher against a receiver in another process (Python, verifying signatures with its own
/// HMAC code), on a clock the test moves: retries, dead deliveries, and every kind of failure.
@Suite(.serialized) struct WebhookDispatcherTests {
    static let secret = "whsec_" + Data("a shared secret for the tests".utf8).base64EncodedString()
    static let environment = ["OPS_WEBHOOK_SECRET": secret]

    /// The service group logs its services at start and stop: the dispatcher's description must not
    /// carry the environment it reads webhook secrets from (before, it printed every variable).
    @Test func theDispatcherNeverDescribesTheEnvironmentItReadsSecretsFrom() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("describe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("d.sqlite").path
        let application = try DecisioningApplication.Application.open(.sqlite(path: path), configuration: Configuration())
        let settings = WebhookDispatcher.Settings(environment: ["OPS_WEBHOOK_SECRET": "whsec_c2VudGluZWwtc2VjcmV0"])
        let dispatcher = WebhookDispatcher(
            application: application, transport: RecordingTransport(answer: .response(status: 204, location: nil)), settings: settings,
            logger: application.logger)
        for text in ["\(dispatcher)", String(reflecting: dispatcher), "\(settings)", "\([dispatcher])", "\((dispatcher, 1))"] {
            #expect(!text.contains("c2VudGluZWwtc2VjcmV0") && !text.contains("OPS_WEBHOOK_SECRET"), "\(text)")
        }
        #expect("\(application)" == "Application(sqlite:\(path))", "an application is described by its database alone")
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameIdUntilA2xx() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret, mode: "fail-first:1")
        defer { receiver.stop() }
        let fixture = try AlertServiceFixture(webhooks: AlertServiceFixture.webhooks(url: receiver.url), environment: Self.environment)
        defer { fixture.remove() }
        try fixture.plant(["P1", "P2"])
        let dispatcher = fixture.dispatcher()

        let first = try await dispatcher.dispatchDue()
        #expect(first.count == 2 && first.allSatisfy { $0.state == .pending && $0.attempts == 1 && $0.lastStatus == 500 })
        // Not due again before its backoff is over.
        #expect(try await dispatcher.dispatchDue().isEmpty)
        fixture.clock.advance(11)
        let second = try await dispatcher.dispatchDue()
        #expect(second.count == 2 && second.allSatisfy { $0.state == .delivered && $0.attempts == 2 && $0.lastStatus == 200 })

        let received = receiver.received
        #expect(received.count == 4)
        #expect(received.allSatisfy { $0.verified && $0.fresh && $0.type == "alert.opened" })
        let ids = Set(try fixture.application.listDeliveries().map(\.id))
        #expect(Set(received.map(\.id)) == ids)
        for id in ids { #expect(received.filter { $0.id == id }.map(\.status) == [500, 200]) }
        #expect(try fixture.application.listDeliveries(states: [.delivered]).count == 2)
    }

    @Test func aReceiverThatAlwaysFailsMakesTheDeliveryDead() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret, mode: "always:500")
        defer { receiver.stop() }
        let fixture = try AlertServiceFixture(
            webhooks: AlertServiceFixture.webhooks(url: receiver.url, maxAttempts: 3), environment: Self.environment)
        defer { fixture.remove() }
        try fixture.plant(["P1"])
        let dispatcher = fixture.dispatcher()
        var states: [WebhookDeliveryState] = []
        for _ in 0..<3 {
            states += try await dispatcher.dispatchDue().map(\.state)
            fixture.clock.advance(60)
        }
        #expect(states == [.pending, .pending, .dead])
        #expect(try await dispatcher.dispatchDue().isEmpty)
        let dead = try #require(try fixture.application.listDeliveries(states: [.dead]).first)
        #expect(dead.attempts == 3 && dead.lastStatus == 500 && dead.lastError?.contains("500") == true)
        #expect(receiver.received.map(\.id) == [dead.id, dead.id, dead.id])
        #expect(receiver.received.allSatisfy { $0.verified })
    }

    @Test func timeoutsRedirectsRefusalsAndMissingSecretsAreRecorded() async throws {
        // A redirect is an answer, not followed.
        let redirecting = try WebhookReceiver(secret: Self.secret, mode: "redirect")
        defer { redirecting.stop() }
        let fixture = try AlertServiceFixture(webhooks: AlertServiceFixture.webhooks(url: redirecting.url), environment: Self.environment)
        defer { fixture.remove() }
        try fixture.plant(["P1"])
        let redirected = try #require(try await fixture.dispatcher().dispatchDue().first)
        #expect(redirected.state == .pending && redirected.lastStatus == 302 && redirected.lastError?.contains("/elsewhere") == true)
        #expect(redirecting.received.count == 1)

        // A receiver slower than the timeout.
        let slow = try WebhookReceiver(secret: Self.secret, mode: "slow:3")
        defer { slow.stop() }
        let slowFixture = try AlertServiceFixture(
            webhooks: AlertServiceFixture.webhooks(url: slow.url, timeout: 1), environment: Self.environment)
        defer { slowFixture.remove() }
        try slowFixture.plant(["P1"])
        let timedOut = try #require(try await slowFixture.dispatcher().dispatchDue().first)
        #expect(timedOut.state == .pending && timedOut.lastStatus == nil && timedOut.lastError?.contains("no answer within 1 s") == true)

        // Nothing listening (port 1 needs root to listen on): the connection is refused.
        let refusedFixture = try AlertServiceFixture(
            webhooks: AlertServiceFixture.webhooks(url: "http://127.0.0.1:1/hook"), environment: Self.environment)
        defer { refusedFixture.remove() }
        try refusedFixture.plant(["P1"])
        let refused = try #require(try await refusedFixture.dispatcher().dispatchDue().first)
        #expect(refused.state == .pending && refused.lastStatus == nil && refused.lastError?.contains("refused") == true)

        // No secret in the environment: not sent, and the message names the variable.
        let unsignedFixture = try AlertServiceFixture(webhooks: AlertServiceFixture.webhooks(url: slow.url), environment: [:])
        defer { unsignedFixture.remove() }
        try unsignedFixture.plant(["P1"])
        let unsigned = try #require(try await unsignedFixture.dispatcher().dispatchDue().first)
        #expect(unsigned.state == .pending && unsigned.lastError?.contains("OPS_WEBHOOK_SECRET") == true)
    }
}

import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// A graceful shutdown of the dispatcher: what it is sending finishes and is recorded, nothing more is taken.
@Suite(.serialized) struct WebhookShutdownTests {
    @Test(.timeLimit(.minutes(2))) func aGracefulShutdownFinishesWhatIsInFlightAndTakesNothingMore() async throws {
        let secret = WebhookDispatcherTests.secret
        let receiver = try WebhookReceiver(secret: secret, mode: "slow:1.5")
        defer { receiver.stop() }
        let fixture = try AlertServiceFixture(
            webhooks: AlertServiceFixture.webhooks(url: receiver.url, timeout: 10), environment: WebhookDispatcherTests.environment)
        defer { fixture.remove() }
        // Six deliveries, four taken at a time: the shutdown comes while the first four are in flight.
        try fixture.plant(["P1", "P2", "P3", "P4", "P5", "P6"])
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: fixture.dispatcher())], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        let inFlight = await Self.wait(seconds: 30) {
            (try? fixture.application.listDeliveries(states: [.pending]).filter { $0.nextAttemptAt.seconds > fixture.clock.now.seconds })?
                .count == 4
        }
        try #require(inFlight, "the dispatcher did not take four deliveries")
        await group.triggerGracefulShutdown()
        try await running.value
        let deliveries = try fixture.application.listDeliveries()
        #expect(deliveries.filter { $0.state == .delivered }.count == 4)
        #expect(deliveries.filter { $0.state == .pending && $0.attempts == 0 }.count == 2)
        #expect(receiver.received.count == 4)
    }

    static func wait(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}

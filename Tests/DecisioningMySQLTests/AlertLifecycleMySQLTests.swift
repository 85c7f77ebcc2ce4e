import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// The alerts' lifecycle and the webhook outbox on MariaDB: the reads inside the run's batch, the
/// upserts, and taking due deliveries with `FOR UPDATE SKIP LOCKED`.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct AlertLifecycleMySQLTests {
    static func alert(_ entity: String, _ severity: Severity) -> Alert {
        Alert(
            id: "A-\(entity)", severity: severity, rule: "overrun", message: "\(entity) overruns", entityType: "project", entityId: entity)
    }

    @Test func threeRunsAndTheOutboxOnMariaDB() throws {
        let db = try TestServer.main().scratchDatabase("alerts")
        defer { db.drop() }
        try db.store.migrate()
        var configuration = Configuration()
        var hook = Configuration.Webhook(name: "ops", url: "http://127.0.0.1:9/", secretEnvironmentVariable: "OPS")
        hook.minSeverity = "info"
        hook.maxAttempts = 2
        configuration.alerts.webhooks = [hook]
        let app = Application(store: db.store, url: db.url, configuration: configuration)
        let id = { (entity: String) in AlertFingerprint.of(rule: "overrun", entityType: "project", entityId: entity) }

        try app.recordAlerts(
            runId: "r1", status: .succeeded, alerts: [Self.alert("P1", .high), Self.alert("P2", .low)], at: Timestamp(seconds: 1_000))
        try app.recordAlerts(runId: "r2", status: .succeeded, alerts: [Self.alert("P1", .critical)], at: Timestamp(seconds: 2_000))
        try app.recordAlerts(
            runId: "r3", status: .succeeded, alerts: [Self.alert("P1", .critical), Self.alert("P2", .low)], at: Timestamp(seconds: 9_000))
        #expect(try db.store.rowCount("alert_states") == 2)
        let p1 = try #require(try app.alert(id: id("P1")))
        #expect(p1.state == .open && p1.severity == .critical && p1.occurrences == 3 && p1.firstRunId == "r1" && p1.lastRunId == "r3")
        let p2 = try #require(try app.alert(id: id("P2")))
        #expect(p2.state == .open && p2.occurrences == 2 && p2.openedAt == Timestamp(seconds: 9_000))
        // opened ×2, escalated P1, resolved P2, reopened P2 (after the cooldown).
        #expect(
            try app.listDeliveries(limit: 100).map(\.eventType).sorted()
                == ["alert.escalated", "alert.opened", "alert.opened", "alert.reopened", "alert.resolved"])

        let acknowledged = try app.acknowledgeAlert(id: id("P1"), by: "alice", at: Timestamp(seconds: 9_100))
        #expect(acknowledged.state == .acknowledged)
        #expect(throws: AlertError.illegalTransition(id: id("P1"), state: .acknowledged, action: "acknowledge")) {
            try app.acknowledgeAlert(id: id("P1"), by: "alice", at: Timestamp(seconds: 9_101))
        }

        let due = try app.claimDueDeliveries(now: Timestamp(seconds: 9_500), limit: 10, leaseSeconds: 20)
        #expect(due.count == 5)
        #expect(try app.claimDueDeliveries(now: Timestamp(seconds: 9_510), limit: 10, leaseSeconds: 20).isEmpty)
        let backoff = WebhookBackoff(baseSeconds: 10, seed: 1)
        let delivered = try app.recordDeliveryAttempt(
            due[0], attempt: .response(status: 200, location: nil), at: Timestamp(seconds: 9_501), backoff: backoff)
        #expect(try app.delivery(id: due[0].id) == delivered)
        _ = try app.recordDeliveryAttempt(
            due[1], attempt: .response(status: 500, location: nil), at: Timestamp(seconds: 9_501), backoff: backoff)
        let again = try #require(try app.delivery(id: due[1].id))
        #expect(again.state == .pending && again.attempts == 1 && again.lastStatus == 500)
        _ = try app.recordDeliveryAttempt(again, attempt: .refused("errno 111"), at: Timestamp(seconds: 9_700), backoff: backoff)
        #expect(try app.delivery(id: due[1].id)?.state == .dead)
    }
}

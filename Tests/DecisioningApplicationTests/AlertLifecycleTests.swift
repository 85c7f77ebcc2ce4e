import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// The alerts' lifecycle over runs with planted alerts: open, update, auto-resolve, reopen,
/// escalate, the cooldown, user transitions, and the outbox rows each notified change queues.
@Suite struct AlertLifecycleTests {
    static func configuration(cooldown: Double = 3_600) -> Configuration {
        var configuration = Configuration()
        configuration.alerts.cooldownSeconds = cooldown
        var ops = Configuration.Webhook(name: "ops", url: "http://127.0.0.1:9/hook", secretEnvironmentVariable: "OPS_SECRET")
        ops.minSeverity = "info"
        var pager = Configuration.Webhook(name: "pager", url: "http://127.0.0.1:9/page", secretEnvironmentVariable: "PAGER_SECRET")
        pager.minSeverity = "critical"
        pager.events = ["alert.opened", "alert.escalated"]
        configuration.alerts.webhooks = [ops, pager]
        return configuration
    }

    static func application(_ configuration: Configuration = configuration()) throws -> (Application, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("a.sqlite").path), configuration: configuration)
        return (app, dir)
    }

    static func alert(_ rule: String, _ entity: String, _ severity: Severity, observed: Double = 1) -> Alert {
        Alert(
            id: "A-\(rule)-\(entity)", severity: severity, rule: rule, message: "\(rule) on \(entity) is \(observed)",
            entityType: "project",
            entityId: entity, observed: observed, threshold: 0.5)
    }

    static func id(_ rule: String, _ entity: String) -> String { AlertFingerprint.of(rule: rule, entityType: "project", entityId: entity) }

    /// (webhook, event type, alert id) of every queued delivery, in a stable order.
    static func outbox(_ app: Application) throws -> [String] {
        try app.listDeliveries(limit: 500).map { delivery -> String in
            let payload = try StrictJSON.parse(Array(delivery.payload.utf8))
            guard case .object(let body) = payload, case .object(let data)? = body["data"], case .object(let alert)? = data["alert"],
                case .string(let id)? = alert["id"], case .string(let type)? = body["type"]
            else { return "malformed" }
            #expect(type == delivery.eventType)
            return "\(delivery.webhook) \(type) \(id)"
        }.sorted()
    }

    static func count(_ app: Application, _ table: String) throws -> Int { try app.store.rowCount(table) }

    @Test func aFingerprintIsTheRuleAndTheEntityNotTheRun() {
        let a = AlertFingerprint.of(rule: "cost_overrun", entityType: "project", entityId: "P1")
        #expect(a == AlertFingerprint.of(rule: "cost_overrun", entityType: "project", entityId: "P1"))
        #expect(a != AlertFingerprint.of(rule: "cost_overrun", entityType: "project", entityId: "P2"))
        #expect(a != AlertFingerprint.of(rule: "cost_overrun", entityType: "customer", entityId: "P1"))
        #expect(
            AlertFingerprint.of(rule: "a", entityType: nil, entityId: "b") != AlertFingerprint.of(rule: "a", entityType: "b", entityId: nil)
        )
        #expect(AlertFingerprint.isWellFormed(a))
    }

    @Test func threeRunsOpenUpdateResolveReopenAndEscalate() throws {
        let (app, dir) = try Self.application()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (a, b, c) = (Self.id("overrun", "P1"), Self.id("margin", "P2"), Self.id("overrun", "P3"))

        // Run 1: two alerts open; ops (info and up) hears both, pager (critical) neither.
        let first = try app.recordAlerts(
            runId: "r1", status: .succeeded, alerts: [Self.alert("overrun", "P1", .high), Self.alert("margin", "P2", .medium)],
            at: Timestamp(seconds: 1_000))
        #expect(first.map(\.event) == [.opened, .opened])
        #expect(try Self.count(app, "alert_states") == 2)
        #expect(try Self.outbox(app) == ["ops alert.opened \(a)", "ops alert.opened \(b)"].sorted())

        // Run 2: P1 again (updated, not duplicated, no notification), P2 gone (auto-resolved), P3 new and critical.
        try app.recordAlerts(
            runId: "r2", status: .degraded,
            alerts: [Self.alert("overrun", "P1", .high, observed: 2), Self.alert("overrun", "P3", .critical)], at: Timestamp(seconds: 2_000)
        )
        #expect(try Self.count(app, "alert_states") == 3)
        let p1 = try #require(try app.alert(id: a))
        #expect(p1.state == .open && p1.occurrences == 2 && p1.lastRunId == "r2" && p1.firstRunId == "r1")
        #expect(p1.observed == 2 && p1.lastSeenAt == Timestamp(seconds: 2_000) && p1.openedAt == Timestamp(seconds: 1_000))
        let p2 = try #require(try app.alert(id: b))
        #expect(p2.state == .resolved && p2.resolution == "auto" && p2.resolvedAt == Timestamp(seconds: 2_000))
        #expect(
            try Self.outbox(app)
                == [
                    "ops alert.opened \(a)", "ops alert.opened \(b)", "ops alert.resolved \(b)", "ops alert.opened \(c)",
                    "pager alert.opened \(c)",
                ].sorted())

        // Run 3, within the cooldown: P2 reappears (reopened, but the cooldown keeps it quiet), P1
        // escalates to critical (notified: above what was told), P3 is gone (resolved).
        let third = try app.recordAlerts(
            runId: "r3", status: .succeeded,
            alerts: [Self.alert("overrun", "P1", .critical, observed: 3), Self.alert("margin", "P2", .medium)],
            at: Timestamp(seconds: 3_000))
        #expect(third.first { $0.record.id == b }?.suppressed == true)
        #expect(third.first { $0.record.id == a }?.event == .escalated)
        #expect(third.first { $0.record.id == a }?.previousSeverity == .high)
        let reopened = try #require(try app.alert(id: b))
        #expect(reopened.state == .open && reopened.resolvedAt == nil && reopened.resolution == nil && reopened.occurrences == 2)
        #expect(reopened.openedAt == Timestamp(seconds: 3_000) && reopened.firstRunId == "r1")
        let escalated = try #require(try app.alert(id: a))
        #expect(escalated.severity == .critical && escalated.notifiedSeverity == .critical && escalated.occurrences == 3)
        #expect(try app.alert(id: c)?.state == .resolved)
        #expect(
            try Self.outbox(app)
                == [
                    "ops alert.opened \(a)", "ops alert.opened \(b)", "ops alert.resolved \(b)", "ops alert.opened \(c)",
                    "pager alert.opened \(c)", "ops alert.escalated \(a)", "pager alert.escalated \(a)", "ops alert.resolved \(c)",
                ].sorted())
        #expect(try Self.count(app, "alert_states") == 3)

        // A failed or cancelled run changes nothing, whatever it raised.
        let before = try app.listAlerts(AlertQuery(limit: 100))
        let outboxBefore = try Self.outbox(app)
        #expect(try app.recordAlerts(runId: "r4", status: .failed, alerts: [], at: Timestamp(seconds: 3_500)).isEmpty)
        #expect(
            try app.recordAlerts(runId: "r5", status: .cancelled, alerts: [Self.alert("x", "P9", .critical)], at: Timestamp(seconds: 3_600))
                .isEmpty)
        #expect(try app.listAlerts(AlertQuery(limit: 100)) == before)
        #expect(try Self.outbox(app) == outboxBefore)

        // P2 resolves and reopens again after the cooldown (3600 s since it was last notified): notified.
        try app.recordAlerts(
            runId: "r6", status: .succeeded, alerts: [Self.alert("overrun", "P1", .critical)], at: Timestamp(seconds: 4_000))
        let sixth = try app.recordAlerts(
            runId: "r7", status: .succeeded, alerts: [Self.alert("overrun", "P1", .critical), Self.alert("margin", "P2", .medium)],
            at: Timestamp(seconds: 4_600))
        #expect(sixth.first { $0.record.id == b }?.event == .reopened)
        // opened, resolved (r2), reopened quietly (r3), resolved (r6), reopened (r7)
        #expect(try Self.outbox(app).filter { $0.hasSuffix(b) }.count == 4)
        #expect(try Self.outbox(app).filter { $0 == "ops alert.reopened \(b)" }.count == 1)
    }

    @Test func listingFiltersByStateAndSeverityAndPages() throws {
        let (app, dir) = try Self.application()
        defer { try? FileManager.default.removeItem(at: dir) }
        let alerts = (1...7).map { Self.alert("r", "P\($0)", $0 % 2 == 0 ? .high : .low) }
        try app.recordAlerts(runId: "r1", status: .succeeded, alerts: alerts, at: Timestamp(seconds: 100))
        try app.recordAlerts(runId: "r2", status: .succeeded, alerts: Array(alerts.prefix(5)), at: Timestamp(seconds: 200))
        #expect(
            try app.listAlerts(AlertQuery(states: [.resolved])).alerts.map(\.entityId)
                == ["P6", "P7"].sorted { Self.id("r", $0) < Self.id("r", $1) })
        #expect(try app.listAlerts(AlertQuery(states: [.open], severities: [.high])).alerts.count == 2)
        #expect(try app.listAlerts(AlertQuery(severities: [.low, .high])).alerts.count == 7)
        var seen: [String] = []
        var query = AlertQuery(limit: 3)
        while true {
            let page = try app.listAlerts(query)
            seen += page.alerts.map(\.id)
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen.count == 7 && Set(seen).count == 7)
        // Newest sighting first: the five seen by r2, then the two r1 saw last.
        #expect(Set(seen.prefix(5)) == Set((1...5).map { Self.id("r", "P\($0)") }))
    }

    @Test func acknowledgeAndResolveFollowTheStateMachine() throws {
        let (app, dir) = try Self.application()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = Self.id("overrun", "P1")
        try app.recordAlerts(runId: "r1", status: .succeeded, alerts: [Self.alert("overrun", "P1", .high)], at: Timestamp(seconds: 10))

        let acknowledged = try app.acknowledgeAlert(id: a, by: "alice", at: Timestamp(seconds: 20))
        #expect(acknowledged.state == .acknowledged && acknowledged.acknowledgedAt == Timestamp(seconds: 20))
        #expect(throws: AlertError.illegalTransition(id: a, state: .acknowledged, action: "acknowledge")) {
            try app.acknowledgeAlert(id: a, by: "alice", at: Timestamp(seconds: 21))
        }
        // Raised again while acknowledged: updated, still acknowledged.
        try app.recordAlerts(runId: "r2", status: .succeeded, alerts: [Self.alert("overrun", "P1", .high)], at: Timestamp(seconds: 30))
        #expect(try app.alert(id: a)?.state == .acknowledged)
        #expect(try app.alert(id: a)?.occurrences == 2)

        let resolved = try app.resolveAlert(id: a, by: "bob", at: Timestamp(seconds: 40))
        #expect(resolved.state == .resolved && resolved.resolution == "user" && resolved.resolvedAt == Timestamp(seconds: 40))
        let resolvedEvent = try #require(try app.listDeliveries().first { $0.eventType == "alert.resolved" })
        #expect(resolvedEvent.webhook == "ops" && resolvedEvent.payload.contains("\"resolved_by\":\"bob\""))
        #expect(throws: AlertError.illegalTransition(id: a, state: .resolved, action: "resolve")) {
            try app.resolveAlert(id: a, by: "bob", at: Timestamp(seconds: 41))
        }
        #expect(throws: AlertError.illegalTransition(id: a, state: .resolved, action: "acknowledge")) {
            try app.acknowledgeAlert(id: a, by: "bob", at: Timestamp(seconds: 41))
        }
        let unknown = String(repeating: "0", count: 32)
        #expect(throws: AlertError.notFound(id: unknown)) { try app.resolveAlert(id: unknown, by: "bob", at: Timestamp(seconds: 42)) }
        #expect(throws: AlertError.notFound(id: "nope")) { try app.acknowledgeAlert(id: "nope", by: "bob", at: Timestamp(seconds: 42)) }
        #expect(AlertError.illegalTransition(id: a, state: .resolved, action: "resolve").description.contains("reopens"))
        #expect(AlertError.notFound(id: "x").description.contains("GET /api/v1/alerts"))
    }
}

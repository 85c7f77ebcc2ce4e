import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// The flow stores a run's alert states and their notifications in the batch that stores the run.
@Suite struct AlertFlowTests {
    struct Refused: Error {}

    @Test func aRunStoresItsAlertStatesAndOutboxWithItself() async throws {
        let (app, dir) = try AlertLifecycleTests.application()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: ApplicationTests.asOf))
        let results = try await app.runFlow(asOf: ApplicationTests.asOf, runId: "run-alerts-1").results
        #expect(results.run.status == .succeeded || results.run.status == .degraded)
        let fingerprints = Set(results.alerts.map { AlertFingerprint.of(rule: $0.rule, entityType: $0.entityType, entityId: $0.entityId) })
        try #require(!fingerprints.isEmpty, "the generated company has planted anomalies: the run must raise alerts")
        let stored = try app.listAlerts(AlertQuery(limit: 500)).alerts
        #expect(Set(stored.map(\.id)) == fingerprints)
        #expect(stored.allSatisfy { $0.state == .open && $0.firstRunId == "run-alerts-1" && $0.openedAt == results.run.finishedAt })
        // ops hears every opening (min_severity info); pager only critical ones.
        let deliveries = try app.listDeliveries(limit: 500)
        #expect(deliveries.filter { $0.webhook == "ops" }.count == fingerprints.count)
        #expect(deliveries.filter { $0.webhook == "pager" }.count == stored.filter { $0.severity == .critical }.count)

        // The same data again: every alert is updated, none duplicated, nothing notified.
        _ = try await app.runFlow(asOf: ApplicationTests.asOf, runId: "run-alerts-2")
        let again = try app.listAlerts(AlertQuery(limit: 500)).alerts
        #expect(again.count == stored.count)
        #expect(again.allSatisfy { $0.occurrences == 2 && $0.lastRunId == "run-alerts-2" && $0.state == .open })
        #expect(try app.listDeliveries(limit: 500).count == deliveries.count)
    }

    @Test func whatIsStoredAlongsideARunCommitsWithItOrNotAtAll() async throws {
        let (app, dir) = try AlertLifecycleTests.application()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: ApplicationTests.asOf))
        let runner = FlowRunner(
            store: app.store, warehouse: app.warehouse, configuration: app.configuration,
            alongside: { writer, results in
                try Application.recordRunAlerts(
                    runId: results.run.runId, status: results.run.status, alerts: results.alerts, at: results.run.finishedAt,
                    configuration: app.configuration, writer: writer)
                throw Refused()
            })
        await #expect(throws: Refused.self) {
            _ = try await runner.run(analysis: "strategic_business_health", asOf: ApplicationTests.asOf, runId: "run-refused")
        }
        #expect(try app.runRecord(id: "run-refused") == nil)
        #expect(try app.store.rowCount("alerts") == 0)
        #expect(try app.store.rowCount("alert_states") == 0)
        #expect(try app.store.rowCount("webhook_deliveries") == 0)
    }
}

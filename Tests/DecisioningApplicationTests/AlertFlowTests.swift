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

    @Test func aRunFinishedEventGoesOnlyToTheWebhooksThatNameItWithTheRunsFigures() async throws {
        var configuration = AlertLifecycleTests.configuration()
        var runs = Configuration.Webhook(name: "runs", url: "http://127.0.0.1:9/runs", secretEnvironmentVariable: "RUNS_SECRET")
        runs.minSeverity = "critical"  // not applied to run.finished: the receiver filters on the status
        runs.events = ["run.finished"]
        configuration.alerts.webhooks.append(runs)
        let (app, dir) = try AlertLifecycleTests.application(configuration)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: ApplicationTests.asOf))
        let first = try await app.runFlow(asOf: ApplicationTests.asOf, runId: "run-finished-1").results
        _ = try await app.runFlow(asOf: ApplicationTests.asOf, runId: "run-finished-2")

        let deliveries = try app.listDeliveries(limit: 500)
        let finished = deliveries.filter { $0.eventType == "run.finished" }
        #expect(finished.count == 2, "one per run")
        #expect(finished.allSatisfy { $0.webhook == "runs" }, "ops (events empty: every alert event) and pager do not hear of runs")
        #expect(deliveries.filter { $0.webhook == "runs" }.allSatisfy { $0.eventType == "run.finished" })

        let delivery = try #require(finished.first { $0.payload.contains("run-finished-1") })
        guard case .object(let body) = try StrictJSON.parse(Array(delivery.payload.utf8)), case .object(let data)? = body["data"],
            case .object(let run)? = data["run"]
        else {
            Issue.record("not a run.finished payload: \(delivery.payload)")
            return
        }
        #expect(body["type"] == .string("run.finished"))
        #expect(run["id"] == .string("run-finished-1") && run["status"] == .string(first.run.status.rawValue))
        #expect(run["as_of"] == .string(ApplicationTests.asOf.iso))
        #expect(run["decisions"] == .number(Double(first.decisions.count)) && run["alerts"] == .number(Double(first.alerts.count)))
        let impact = first.decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
        #expect(run["total_expected_impact"] == .string(impact.description))
        #expect(run["health_score"] == first.intelligence.map { .number($0.health.score) } ?? .null)
        guard case .object(let agents)? = run["agents"] else {
            Issue.record("no agents in \(delivery.payload)")
            return
        }
        #expect(Set(agents.keys) == Set(first.agents.map(\.agent)))
    }
}

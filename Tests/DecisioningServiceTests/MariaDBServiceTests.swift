import DecisioningApplication
import DecisioningCore
import DecisioningMySQL
import DecisioningService
import DecisioningStore
import DecisioningSynth
import DecisioningTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The service's use cases on MariaDB: keys, runs recorded from their start, events, the lease that
/// keeps two servers on one database from running at once, and recovery.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct MariaDBServiceTests {
    @Test func twoServersOnOneDatabaseNeverRunAtOnce() async throws {
        let db = try TestServer.main().scratchDatabase("service")
        defer { db.drop() }
        try db.store.migrate()
        _ = try Generator(spec: GeneratorSpec(scale: 0.01, seed: 3, asOf: ServiceFixture.asOf)).generate(into: db.store)
        let application = DecisioningApplication.Application(store: db.store, url: db.url, configuration: Configuration())
        let key = try application.createAPIKey(name: "ops", role: .analyst, now: Timestamp(seconds: 1_790_000_000))
        #expect(try application.authenticateAPIKey(key)?.role == .analyst)
        #expect(try application.authenticateAPIKey(key + "x") == nil)

        let first = RunCoordinator(application: application, output: nil, holder: "host-a/1/a")
        let second = RunCoordinator(application: application, output: nil, holder: "host-b/2/b")
        let record = try await first.start(asOf: ServiceFixture.asOf)
        await #expect(throws: RunCoordinatorError.runInProgress(runId: record.runId)) {
            try await second.start(asOf: ServiceFixture.asOf)
        }
        #expect(try await second.recoverInterrupted().isEmpty)
        var kinds: [String] = []
        for await event in try await first.events(runId: record.runId) { kinds.append(event.kind) }
        #expect(kinds.first == "run.started" && kinds.last == "run.finished")
        #expect(try application.runRecord(id: record.runId)?.status?.isFinished == true)
        #expect(try application.runEvents(runId: record.runId).map(\.kind) == kinds)
        // The lease was released: the other server runs now, and the first is refused meanwhile.
        let next = try await second.start(asOf: ServiceFixture.asOf)
        await #expect(throws: RunCoordinatorError.runInProgress(runId: next.runId)) { try await first.start(asOf: ServiceFixture.asOf) }
        _ = try await second.cancel(runId: next.runId)
        for await _ in try await second.events(runId: next.runId) {}
        #expect(try application.runRecord(id: next.runId)?.status == .cancelled)
        let page = try application.listRuns(limit: 1, after: nil)
        #expect(try page + application.listRuns(limit: 5, after: page.first) == application.listRuns(limit: 5, after: nil))
    }
}

/// The API's routes over a MariaDB store: the same answers as on SQLite.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct MariaDBRoutesTests {
    @Test func theRoutesAnswerOnMariaDB() async throws {
        let db = try TestServer.main().scratchDatabase("routes")
        defer { db.drop() }
        try db.store.migrate()
        _ = try Generator(spec: GeneratorSpec(scale: 0.01, seed: 3, asOf: ServiceFixture.asOf)).generate(into: db.store)
        let application = DecisioningApplication.Application(store: db.store, url: db.url, configuration: Configuration())
        let key = try application.createAPIKey(name: "ops", role: .analyst, now: Timestamp(seconds: 1_790_000_000))
        let state = ServiceState(application: application, coordinator: RunCoordinator(application: application, output: nil))
        let app = Hummingbird.Application(router: APIRouter.build(state: state))
        try await app.test(.router) { client in
            let started = try await client.execute(
                uri: "/api/v1/runs", method: .post, headers: ServiceFixture.json(key), body: "{\"as_of\": \"2026-11-25\"}".buffer)
            #expect(started.status == .accepted)
            let id = try #require(started.object["id"] as? String)
            let events = SSEFrame.parse(
                try await client.execute(uri: "/api/v1/runs/\(id)/events", method: .get, headers: ServiceFixture.bearer(key)).text)
            #expect(events.last?.event == "run.finished")
            #expect(events.map(\.id) == Array(1...events.count))
            let run = try await client.execute(uri: "/api/v1/runs/\(id)", method: .get, headers: ServiceFixture.bearer(key))
            #expect(["succeeded", "degraded"].contains(run.object["status"] as? String))
            let decisions = try await client.execute(uri: "/api/v1/decisions?run=latest", method: .get, headers: ServiceFixture.bearer(key))
            #expect(decisions.object["run_id"] as? String == id)
            let csv = IngestRoutesTests.header + "\n" + IngestRoutesTests.rows(1...20) + "\n"
            let ingested = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: IngestRoutesTests.headers(key, "text/csv"),
                body: csv.buffer)
            #expect(ingested.object["inserted"] as? Int == 20)
            let again = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: IngestRoutesTests.headers(key, "text/csv"),
                body: csv.buffer)
            #expect(again.object["skipped"] as? Int == 20)
            let analysis = try await client.execute(
                uri: "/api/v1/analyses/industry-performance?as_of=2026-11-25", method: .get, headers: ServiceFixture.bearer(key))
            #expect(analysis.status == .ok)
            let page = try await client.execute(uri: "/api/v1/runs?limit=1", method: .get, headers: ServiceFixture.bearer(key))
            #expect((page.object["runs"] as? [[String: Any]])?.first?["id"] as? String == id)
        }
    }
}

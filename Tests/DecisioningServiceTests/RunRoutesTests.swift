import DecisioningApplication
import DecisioningCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DecisioningService

/// `/api/v1/runs` through the router: keys and roles, validation, a run from start to results,
/// conflicts, cancellation, events that resume, pages of runs.
@Suite(.serialized) struct RunRoutesTests {
    @Test func healthNeedsNoKeyAndTheAPINeedsOne() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["status"] as? String == "ready")
            }
            try await client.execute(uri: "/api/v1/runs", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect((response.object["detail"] as? String)?.contains("decisioning keys create") == true)
            }
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: ServiceFixture.bearer("dk_not-a-key")) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: [.authorization: "Basic YTpi"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: ServiceFixture.json(fixture.viewer), body: "{}".buffer) {
                response in
                #expect(response.status == .forbidden)
                #expect((response.object["detail"] as? String)?.contains("analyst") == true)
            }
            try await client.execute(uri: "/api/v1/nowhere", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func aRevokedKeyStopsWorking() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        try fixture.application.revokeAPIKey(name: "viewer", now: Timestamp(seconds: 1_790_000_100))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: ServiceFixture.bearer(fixture.analyst)) {
                #expect($0.status == .ok)
            }
        }
        let keys = try fixture.application.listAPIKeys()
        #expect(keys.first { $0.name == "viewer" }?.isRevoked == true)
        #expect(throws: APIKeyError.nameTaken("analyst")) {
            try fixture.application.createAPIKey(name: "analyst", role: .viewer, now: Timestamp(seconds: 1))
        }
        #expect(throws: APIKeyError.invalidName("a b")) {
            try fixture.application.createAPIKey(name: "a b", role: .viewer, now: Timestamp(seconds: 1))
        }
    }

    @Test func badRunRequestsAreRefusedWithWhatToFix() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let headers = ServiceFixture.json(fixture.analyst)
        try await fixture.app().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("{not json", .badRequest, "not valid JSON"),
                ("[1]", .badRequest, "JSON object"),
                ("{\"as_of\": \"2026-02-30\"}", .badRequest, "YYYY-MM-DD"),
                ("{\"as_of\": 20261125}", .badRequest, "YYYY-MM-DD"),
                ("{\"analysis\": \"astrology\"}", .badRequest, "astrology"),
                ("{\"colour\": \"red\"}", .badRequest, "unknown field 'colour'"),
            ]
            for (body, status, detail) in cases {
                try await client.execute(uri: "/api/v1/runs", method: .post, headers: headers, body: body.buffer) { response in
                    #expect(response.status == status, "\(body)")
                    #expect((response.object["detail"] as? String)?.contains(detail) == true, "\(body): \(response.text)")
                }
            }
            try await client.execute(
                uri: "/api/v1/runs", method: .post, headers: [.authorization: "Bearer \(fixture.analyst)", .contentType: "text/csv"],
                body: "a,b".buffer
            ) { #expect($0.status == .unsupportedMediaType) }
            let large = "{\"as_of\": \"" + String(repeating: "x", count: 70_000) + "\"}"
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: headers, body: large.buffer) {
                #expect($0.status == .contentTooLarge)
            }
        }
        #expect(try fixture.application.listRuns(limit: 10, after: nil).isEmpty)
    }

    @Test func aRunGoesFromStartToResultsAndASecondOneConflicts() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let asOf = ServiceFixture.asOf.iso
        try await fixture.app().test(.router) { client in
            let started = try await client.execute(
                uri: "/api/v1/runs", method: .post, headers: ServiceFixture.json(fixture.analyst), body: "{\"as_of\": \"\(asOf)\"}".buffer)
            #expect(started.status == .accepted)
            let id = try #require(started.object["id"] as? String)
            #expect(started.object["status"] as? String == "running")
            #expect(started.headers[.location] == "/api/v1/runs/\(id)")
            try await client.execute(uri: "/api/v1/runs", method: .post, headers: ServiceFixture.json(fixture.analyst), body: "{}".buffer) {
                response in
                #expect(response.status == .conflict)
                #expect(response.object["run_id"] as? String == id)
            }
            // Results are refused until the run has finished.
            try await client.execute(uri: "/api/v1/runs/\(id)/results", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                #expect($0.status == .conflict || $0.status == .ok)
            }
            // Following the events ends with run.finished.
            let events = try await client.execute(
                uri: "/api/v1/runs/\(id)/events", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(events.headers[.contentType] == "text/event-stream")
            let frames = SSEFrame.parse(events.text)
            #expect(frames.first?.event == "run.started")
            #expect(frames.last?.event == "run.finished")
            #expect(frames.map(\.id) == Array(1...frames.count))
            #expect(frames.filter { $0.event == "agent.finished" }.count == 6)
            let run = try await client.execute(uri: "/api/v1/runs/\(id)", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(run.object["status"] as? String == "succeeded")
            #expect((run.object["agents"] as? [[String: Any]])?.count == 6)
            let results = try await client.execute(
                uri: "/api/v1/runs/\(id)/results", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(results.status == .ok)
            let info = try #require(results.object["run"] as? [String: Any])
            #expect(info["run_id"] as? String == id)
            #expect(info["as_of"] as? String == asOf)
            for (name, type) in [("report.html", "text/html"), ("dashboard.html", "text/html"), ("report.md", "text/markdown")] {
                try await client.execute(uri: "/api/v1/runs/\(id)/\(name)", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(response.text.contains(asOf) || response.text.contains("2026"))
                }
            }
            // The decisions of the latest run are this run's, ranked, and one shows its evidence.
            let decisions = try await client.execute(
                uri: "/api/v1/decisions?run=latest", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(decisions.object["run_id"] as? String == id)
            let list = try #require(decisions.object["decisions"] as? [[String: Any]])
            #expect(!list.isEmpty)
            #expect(list.compactMap { $0["rank"] as? Int } == Array(1...list.count))
            let first = try #require(list.first?["id"] as? String)
            #expect(first.hasPrefix(id + ":"))
            let decision = try await client.execute(
                uri: "/api/v1/decisions/\(first)", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(decision.status == .ok)
            let evidence = try #require(decision.object["evidence"] as? [[String: Any]])
            #expect(evidence.allSatisfy { ($0["sql"] as? [String: Any]) != nil && ($0["plan"] as? String) != nil })
            try await client.execute(uri: "/api/v1/decisions/\(id):nothing", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                #expect($0.status == .notFound)
            }
            // A finished run cannot be cancelled; an unknown one is not found.
            try await client.execute(uri: "/api/v1/runs/\(id)/cancel", method: .post, headers: ServiceFixture.bearer(fixture.analyst)) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/runs/run-none/cancel", method: .post, headers: ServiceFixture.bearer(fixture.analyst)) {
                #expect($0.status == .notFound)
            }
        }
        // What the API said is what the store holds.
        #expect(try fixture.application.listRuns(limit: 5, after: nil).map(\.status) == [.succeeded])
    }

    @Test func eventsResumeAfterTheLastIdWithoutDuplicatesAndAFinishedRunReplays() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let record = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        let live = try await fixture.state.coordinator.events(runId: record.runId, after: 3)
        var seen: [Int] = []
        for await event in live { seen.append(event.seq) }
        let last = seen.last ?? 0
        #expect(seen.first == 4)
        #expect(seen == Array(4...(seen.last ?? 0)))
        try await fixture.app().test(.router) { client in
            let all = SSEFrame.parse(
                try await client.execute(
                    uri: "/api/v1/runs/\(record.runId)/events", method: .get, headers: ServiceFixture.bearer(fixture.viewer)
                )
                .text)
            #expect(all.map(\.id) == Array(1...last))
            var headers = ServiceFixture.bearer(fixture.viewer)
            headers[.init("Last-Event-ID")!] = "5"
            let resumed = SSEFrame.parse(
                try await client.execute(uri: "/api/v1/runs/\(record.runId)/events", method: .get, headers: headers).text)
            #expect(resumed.map(\.id) == Array(6...last))
            #expect(resumed.map(\.data) == all.dropFirst(5).map(\.data))
            headers[.init("Last-Event-ID")!] = "five"
            try await client.execute(uri: "/api/v1/runs/\(record.runId)/events", method: .get, headers: headers) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/runs/run-none/events", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func aCancelledRunIsStoredAsCancelled() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let record = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/api/v1/runs/\(record.runId)/cancel", method: .post, headers: ServiceFixture.bearer(fixture.viewer)
            ) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/api/v1/runs/\(record.runId)/cancel", method: .post, headers: ServiceFixture.bearer(fixture.analyst)
            ) {
                #expect($0.status == .accepted)
            }
            let frames = SSEFrame.parse(
                try await client.execute(
                    uri: "/api/v1/runs/\(record.runId)/events", method: .get, headers: ServiceFixture.bearer(fixture.viewer)
                )
                .text)
            #expect(frames.last?.event == "run.finished")
            #expect(frames.last?.data.contains("\"status\":\"cancelled\"") == true)
        }
        #expect(try fixture.application.runRecord(id: record.runId)?.status == .cancelled)
        #expect(try fixture.application.loadRun(id: record.runId).run.status == .cancelled)
        // The lease is free again: the next run starts.
        let next = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        for await _ in try await fixture.state.coordinator.events(runId: next.runId) {}
        #expect(try fixture.application.runRecord(id: next.runId)?.status == .succeeded)
    }

    @Test func shutdownCancelsARunPastTheGracePeriodAndStoresIt() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let record = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        await fixture.state.coordinator.shutdown(grace: .zero)
        #expect(try fixture.application.runRecord(id: record.runId)?.status == .cancelled)
        await #expect(throws: RunCoordinatorError.shuttingDown) { try await fixture.state.coordinator.start() }
        let events = try fixture.application.runEvents(runId: record.runId)
        #expect(events.last?.isFinal == true)
        #expect(events.map(\.seq) == Array(1...events.count))
    }

    @Test func runsArePagedNewestFirst() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        var ids: [String] = []
        for _ in 0..<3 {
            let record = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
            for await _ in try await fixture.state.coordinator.events(runId: record.runId) {}
            ids.append(record.runId)
        }
        let newestFirst = Array(ids.reversed())
        try await fixture.app().test(.router) { client in
            let first = try await client.execute(uri: "/api/v1/runs?limit=2", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            let page1 = (first.object["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            let cursor = try #require(first.object["next_cursor"] as? String)
            let second = try await client.execute(
                uri: "/api/v1/runs?limit=2&cursor=\(cursor)", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            let page2 = (second.object["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(second.object["next_cursor"] is NSNull)
            #expect(page1 + page2 == newestFirst)
            for bad in ["limit=0", "limit=101", "limit=two", "cursor=%21%21"] {
                try await client.execute(uri: "/api/v1/runs?\(bad)", method: .get, headers: ServiceFixture.bearer(fixture.viewer)) {
                    #expect($0.status == .badRequest, "\(bad)")
                }
            }
        }
    }
}

/// The cache of finished runs under many concurrent first requests.
@Suite(.serialized) struct RunCacheTests {
    @Test func concurrentFirstReadsKeepTheRunCached() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let record = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        for await _ in try await fixture.state.coordinator.events(runId: record.runId) {}
        // A cache of its own: the server's already holds the run it finished.
        let cache = RunCache()
        let application = fixture.application
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 { group.addTask { _ = try await cache.results(of: record.runId, application: application) } }
            try await group.waitForAll()
        }
        // Forty waiters of one shared read remember the run once; it stays cached.
        #expect(cache.cached(record.runId) != nil)
        #expect(cache.cached(record.runId)?.json == fixture.state.runs.cached(record.runId)?.json)
    }

    /// A run the server finishes is held, as stored, with its decisions rendered and as the latest
    /// run, before its followers hear `run.finished`: no request after that waits on a first read.
    @Test func aFinishedRunIsReadyBeforeItsEndIsAnnounced() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let state = fixture.state
        #expect(state.latestRun.value() == nil)
        let record = try await state.coordinator.start(asOf: ServiceFixture.asOf)
        var finished = false
        for await event in try await state.coordinator.events(runId: record.runId) {
            guard event.isFinal else { continue }
            finished = true
            let entry = try #require(state.runs.cached(record.runId))
            #expect(entry.json == (try fixture.application.loadRunJSON(id: record.runId)))
            #expect(entry.results.decisions.count == (try fixture.application.loadRun(id: record.runId)).decisions.count)
            #expect(state.runs.hasBody(DecisionRoutes.listName, of: record.runId))
            #expect(state.latestRun.value() == record.runId)
        }
        #expect(finished)
    }
}

import DecisioningApplication
import DecisioningCore
import DecisioningService
import DecisioningStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Analyses, the OpenAPI document against the router, rate limits, metrics and the recovery of runs
/// a stopped server left behind.
@Suite(.serialized) struct ServiceRoutesTests {
    @Test func askAnswersAsTheCommandDoesAndRefusesWhatIsMalformed() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let question = "revenue by industry in 2026"
        let expected = try fixture.application.ask(question, asOf: ServiceFixture.asOf)
        try await fixture.app().test(.router) { client in
            let body = #"{"question": "\#(question)", "as_of": "2026-11-25"}"#
            let answered = try await client.execute(
                uri: "/api/v1/ask", method: .post, headers: ServiceFixture.json(fixture.viewer), body: ByteBuffer(string: body))
            #expect(answered.status == .ok)
            #expect(answered.object["status"] as? String == "answered" && answered.object["as_of"] as? String == "2026-11-25")
            let rows = (answered.object["answer"] as? [String: Any])?["rows"] as? [[Any]]
            #expect(rows?.count == expected.rows.count && !(rows ?? []).isEmpty)
            #expect(answered.object["summary"] as? String == expected.summary)

            let unsupported = try await client.execute(
                uri: "/api/v1/ask", method: .post, headers: ServiceFixture.json(fixture.viewer),
                body: ByteBuffer(string: #"{"question": "what is the meaning of life"}"#))
            #expect(unsupported.status == .ok && ["unsupported", "ambiguous"].contains(unsupported.object["status"] as? String ?? ""))
            #expect((unsupported.object["suggestions"] as? [String])?.isEmpty == false, "what it can answer instead")
            #expect(((unsupported.object["answer"] as? [String: Any])?["rows"] as? [Any])?.isEmpty == true, "no figures for a guess")

            for (text, field) in [
                (#"{}"#, "question"), (#"{"question": ""}"#, "question"), (#"{"question": 7}"#, "question"),
                (#"{"question": "revenue", "as_of": "2026-02-30"}"#, "as_of"), (#"{"question": "revenue", "verbose": true}"#, "verbose"),
            ] {
                let refused = try await client.execute(
                    uri: "/api/v1/ask", method: .post, headers: ServiceFixture.json(fixture.viewer), body: ByteBuffer(string: text))
                #expect(refused.status == .badRequest, "\(text)")
                #expect(refused.text.contains(field), "\(text): \(refused.text)")
            }
            let anonymous = try await client.execute(uri: "/api/v1/ask", method: .post, headers: [.contentType: "application/json"])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func similarProjectsAnswerAsTheCommandDoesAndRefuseWhatIsMalformed() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let running = try fixture.application.store.query(
            "SELECT project_id FROM projects WHERE status = 'ACTIVE' AND budget_amount > 0 AND start_date <= '2026-11-25' ORDER BY project_id LIMIT 1",
            arguments: [], columnTypes: [.text(maxLength: 50)], cancellation: nil)
        guard case .text(let id)? = running.first?.first else {
            Issue.record("no running project in the fixture")
            return
        }
        let expected = try fixture.application.similarProjects(id, asOf: ServiceFixture.asOf, k: 7, scope: .sameType)
        try await fixture.app().test(.router) { client in
            let found = try await client.execute(
                uri: "/api/v1/projects/\(id)/similar?k=7&scope=same-type&as_of=2026-11-25", method: .get,
                headers: ServiceFixture.bearer(fixture.viewer))
            #expect(found.status == .ok)
            let cases = ((found.object["precedent"] as? [String: Any])?["cases"] as? [[String: Any]]) ?? []
            #expect(cases.compactMap { $0["project_id"] as? String } == expected.precedent.cases.map(\.projectId))
            #expect(cases.count == 7 && found.object["scope"] as? String == "same-type")

            for (query, field) in [("k=0", "k"), ("k=ten", "k"), ("scope=everything", "scope"), ("as_of=2026-13-01", "as_of")] {
                let refused = try await client.execute(
                    uri: "/api/v1/projects/\(id)/similar?\(query)", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.text.contains(field), "\(query): \(refused.text)")
            }
            let unknown = try await client.execute(
                uri: "/api/v1/projects/NO-SUCH-PROJECT/similar", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(unknown.status == .notFound && unknown.text.contains("NO-SUCH-PROJECT"))
            let anonymous = try await client.execute(uri: "/api/v1/projects/\(id)/similar", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func analysesAnswerAsJSONAndCSVAndRefuseWhatTheyDoNotKnow() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let expected = try fixture.application.runAnalysis("industry-performance", asOf: ServiceFixture.asOf)
        try await fixture.app().test(.router) { client in
            let list = try await client.execute(uri: "/api/v1/analyses", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(
                (list.object["analyses"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                    == DecisioningApplication.Application.analysisNames)
            let json = try await client.execute(
                uri: "/api/v1/analyses/industry-performance?as_of=2026-11-25", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(json.status == .ok)
            let part = try #require((json.object["parts"] as? [[String: Any]])?.first)
            #expect((part["rows"] as? [[String: Any]])?.count == expected.parts[0].result.rows.count)
            #expect((part["columns"] as? [String]) == expected.parts[0].result.fields.map(\.name))
            let csv = try await client.execute(
                uri: "/api/v1/analyses/industry-performance?as_of=2026-11-25&format=csv", method: .get,
                headers: ServiceFixture.bearer(fixture.viewer))
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text == ResultFormatter.csv(expected.parts[0].result, forTerminal: false))
            for (uri, status) in [
                ("/api/v1/analyses/astrology", HTTPResponse.Status.notFound), ("/api/v1/analyses/landscape?as_of=2026-13-01", .badRequest),
                ("/api/v1/analyses/landscape?as_of=yesterday", .badRequest), ("/api/v1/analyses/landscape?format=xml", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .get, headers: ServiceFixture.bearer(fixture.viewer)) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test func expensiveRoutesAreRateLimitedPerKey() async throws {
        var configuration = Configuration()
        configuration.service.rateLimitPerMinute = 2
        let fixture = try ServiceFixture(configuration: configuration)
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            for day in ["2026-11-01", "2026-11-02"] {
                try await client.execute(
                    uri: "/api/v1/analyses/landscape?as_of=\(day)", method: .get, headers: ServiceFixture.bearer(fixture.viewer)
                ) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(
                uri: "/api/v1/analyses/landscape?as_of=2026-11-03", method: .get, headers: ServiceFixture.bearer(fixture.viewer)
            ) {
                response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            }
            // Another key has its own bucket; a cached answer costs nothing.
            try await client.execute(
                uri: "/api/v1/analyses/landscape?as_of=2026-11-03", method: .get, headers: ServiceFixture.bearer(fixture.analyst)
            ) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: "/api/v1/analyses/landscape?as_of=2026-11-01", method: .get, headers: ServiceFixture.bearer(fixture.viewer)
            ) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func theOpenAPIDocumentListsEveryRouteAndNoOther() throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let router = APIRouter.build(state: fixture.state)
        let routes = Set(
            router.routes.map { route -> String in
                let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                return "\(route.method.rawValue.lowercased()) /" + path.joined(separator: "/")
            })
        let data = try Data(
            contentsOf: URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/DecisioningService/Resources/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        #expect(routes.subtracting(documented).isEmpty, "routes not documented: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
    }

    @Test func metricsCountRequestsInThePrometheusFormat() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("hb_requests{"))
            #expect(metrics.text.contains("decisioning_pool_threads"))
        }
    }

    @Test func aRunLeftRunningByADeadServerIsClosedAsCancelled() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let app = fixture.application
        let host = ProcessInfo.processInfo.hostName.prefix(60)
        // A run a killed process of this host held (pid 0x3FFFFF is beyond Linux's pid_max default).
        let started = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        try app.store.writeBatch { writer in
            try writer.execute(
                "INSERT INTO analysis_runs (run_id, analysis, as_of, status, started_at) VALUES ('run-dead', 'strategic_business_health', '2026-11-25', 'running', ?)",
                arguments: [.timestamp(started)])
            try writer.execute(
                "INSERT INTO service_leases (name, holder, run_id, expires_at) VALUES ('flow', ?, 'run-dead', ?)",
                arguments: [.text("\(host)/4194303/x"), .timestamp(Timestamp(seconds: started.seconds + 3_600))])
            try writer.execute(
                "INSERT INTO run_events (run_id, seq, kind, agent, happened_at, data) VALUES ('run-dead', 1, 'run.started', NULL, ?, '{}')",
                arguments: [.timestamp(started)])
        }
        let closed = try await fixture.state.coordinator.recoverInterrupted()
        #expect(closed == ["run-dead"])
        #expect(try app.runRecord(id: "run-dead")?.status == .cancelled)
        let events = try app.runEvents(runId: "run-dead")
        #expect(events.map(\.seq) == [1, 2])
        #expect(events.last?.data.contains("interrupted") == true)
        // The next run takes the freed lease.
        let next = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        for await _ in try await fixture.state.coordinator.events(runId: next.runId) {}
        #expect(try app.runRecord(id: next.runId)?.status == .succeeded)
    }

    @Test func aLiveLeaseOfAnotherServerKeepsItsRunAndRefusesANewOne() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let app = fixture.application
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        try app.store.writeBatch { writer in
            try writer.execute(
                "INSERT INTO analysis_runs (run_id, analysis, as_of, status, started_at) VALUES ('run-elsewhere', 'strategic_business_health', '2026-11-25', 'running', ?)",
                arguments: [.timestamp(now)])
            try writer.execute(
                "INSERT INTO service_leases (name, holder, run_id, expires_at) VALUES ('flow', 'other-host/123/y', 'run-elsewhere', ?)",
                arguments: [.timestamp(Timestamp(seconds: now.seconds + 600))])
        }
        #expect(try await fixture.state.coordinator.recoverInterrupted().isEmpty)
        await #expect(throws: RunCoordinatorError.runInProgress(runId: "run-elsewhere")) {
            try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        }
        await #expect(throws: RunCoordinatorError.runElsewhere(runId: "run-elsewhere", holder: "other-host/123/y")) {
            try await fixture.state.coordinator.cancel(runId: "run-elsewhere")
        }
        #expect(try app.runRecord(id: "run-elsewhere")?.status == .running)
        // Once the lease has expired, the run is closed and the database is free.
        try app.store.writeBatch { writer in
            try writer.execute("UPDATE service_leases SET expires_at = ?", arguments: [.timestamp(Timestamp(seconds: now.seconds - 1))])
        }
        #expect(try await fixture.state.coordinator.recoverInterrupted() == ["run-elsewhere"])
    }
}

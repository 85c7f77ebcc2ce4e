import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v1/alerts` and `/api/v1/webhooks`: roles, filters, transitions, errors as problem+json.
@Suite struct AlertRouteTests {
    @Test func alertsAreListedAndFilteredForViewersOnly() async throws {
        let fixture = try AlertServiceFixture()
        defer { fixture.remove() }
        try fixture.plant(["P1", "P2", "P3"])
        try fixture.plant(["P4"], severity: .critical, runId: "r1b")  // resolves P1–P3: r1b did not raise them
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/api/v1/alerts", method: .get, headers: fixture.headers(.viewer)) { response in
                #expect(response.status == .ok)
                #expect(response.json["alerts"]?.array?.count == 4)
            }
            try await client.execute(uri: "/api/v1/alerts?state=open", method: .get, headers: fixture.headers(.viewer)) { response in
                let alerts = response.json["alerts"]?.array ?? []
                #expect(alerts.map { $0["entity_id"]?.string } == ["P4"])
                #expect(alerts.first?["severity"]?.string == "critical" && alerts.first?["id"]?.string == AlertServiceFixture.id("P4"))
            }
            try await client.execute(uri: "/api/v1/alerts?state=resolved&severity=high", method: .get, headers: fixture.headers(.viewer)) {
                response in
                #expect(response.json["alerts"]?.array?.count == 3)
                #expect(response.json["alerts"]?.array?.allSatisfy { $0["resolution"]?.string == "auto" } == true)
            }
            try await client.execute(uri: "/api/v1/alerts?limit=2", method: .get, headers: fixture.headers(.viewer)) { response in
                let first = response.json
                #expect(first["alerts"]?.array?.count == 2)
                let cursor = try #require(first["next_cursor"]?.string)
                try await client.execute(uri: "/api/v1/alerts?limit=2&cursor=\(cursor)", method: .get, headers: fixture.headers(.viewer)) {
                    next in
                    let ids = (next.json["alerts"]?.array ?? []).compactMap { $0["id"]?.string }
                    #expect(ids.count == 2)
                    #expect(Set(ids).isDisjoint(with: (first["alerts"]?.array ?? []).compactMap { $0["id"]?.string }))
                    #expect(next.json["next_cursor"] == .null)
                }
            }
            for bad in ["state=closed", "state=", "severity=urgent", "limit=0", "cursor=zzz"] {
                try await client.execute(uri: "/api/v1/alerts?\(bad)", method: .get, headers: fixture.headers(.viewer)) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.json["detail"]?.string?.isEmpty == false)
                }
            }
            try await client.execute(uri: "/api/v1/alerts/\(AlertServiceFixture.id("P4"))", method: .get, headers: fixture.headers(.viewer))
            {
                response in
                #expect(response.status == .ok)
                #expect(response.json["state"]?.string == "open")
            }
            try await client.execute(
                uri: "/api/v1/alerts/\(String(repeating: "a", count: 32))", method: .get, headers: fixture.headers(.viewer)
            ) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func acknowledgeAndResolveNeedAnAnalystAndFollowTheStateMachine() async throws {
        let fixture = try AlertServiceFixture()
        defer { fixture.remove() }
        try fixture.plant(["P1"])
        let id = AlertServiceFixture.id("P1")
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/alerts/\(id)/acknowledge", method: .post) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/alerts/\(id)/acknowledge", method: .post, headers: fixture.headers(.viewer)) {
                response in
                #expect(response.status == .forbidden)
                #expect(response.json["detail"]?.string?.contains("analyst") == true)
            }
            try await client.execute(uri: "/api/v1/alerts/\(id)/acknowledge", method: .post, headers: fixture.headers(.analyst)) {
                response in
                #expect(response.status == .ok)
                #expect(response.json["state"]?.string == "acknowledged")
                #expect(response.json["acknowledged_at"]?.string != nil)
            }
            try await client.execute(uri: "/api/v1/alerts/\(id)/acknowledge", method: .post, headers: fixture.headers(.analyst)) {
                response in
                #expect(response.status == .conflict)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.json["state"]?.string == "acknowledged")
                #expect(response.json["detail"]?.string?.contains("already acknowledged") == true)
            }
            try await client.execute(uri: "/api/v1/alerts/\(id)/resolve", method: .post, headers: fixture.headers(.admin)) { response in
                #expect(response.status == .ok)
                #expect(response.json["state"]?.string == "resolved")
                #expect(response.json["resolution"]?.string == "user")
            }
            try await client.execute(uri: "/api/v1/alerts/\(id)/resolve", method: .post, headers: fixture.headers(.analyst)) { response in
                #expect(response.status == .conflict)
                #expect(response.json["detail"]?.string?.contains("reopens") == true)
            }
            let unknown = String(repeating: "f", count: 32)
            for action in ["acknowledge", "resolve"] {
                try await client.execute(uri: "/api/v1/alerts/\(unknown)/\(action)", method: .post, headers: fixture.headers(.analyst)) {
                    response in
                    #expect(response.status == .notFound)
                    #expect(response.json["alert_id"]?.string == unknown)
                }
            }
        }
        // The user's resolution is queued for the webhook, naming who resolved it.
        let resolved = try fixture.application.listDeliveries().filter { $0.eventType == "alert.resolved" }
        #expect(resolved.count == 1 && resolved.first?.payload.contains("key-admin") == true)
    }

    @Test func deliveriesAreListedAndTheTestEventIsSentSignedToEachWebhook() async throws {
        let transport = RecordingTransport(answer: .response(status: 204, location: nil))
        var webhooks = AlertServiceFixture.webhooks(url: "http://127.0.0.1:9/ops")
        var second = Configuration.Webhook(name: "nosecret", url: "http://127.0.0.1:9/other", secretEnvironmentVariable: "UNSET_SECRET_VAR")
        second.minSeverity = "critical"
        webhooks.append(second)
        let fixture = try AlertServiceFixture(
            webhooks: webhooks, environment: ["OPS_WEBHOOK_SECRET": "whsec_c2VjcmV0LWJ5dGVz"], transport: transport)
        defer { fixture.remove() }
        try fixture.plant(["P1", "P2"])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/webhooks/deliveries", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/webhooks/deliveries?state=pending", method: .get, headers: fixture.headers(.viewer)) {
                response in
                #expect(response.status == .ok)
                let deliveries = response.json["deliveries"]?.array ?? []
                #expect(deliveries.count == 2)
                #expect(deliveries.allSatisfy { $0["webhook"]?.string == "ops" && $0["event_type"]?.string == "alert.opened" })
                #expect(deliveries.allSatisfy { $0["payload"]?["type"]?.string == "alert.opened" })
            }
            try await client.execute(uri: "/api/v1/webhooks/deliveries?state=sent", method: .get, headers: fixture.headers(.viewer)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/webhooks/test", method: .post, headers: fixture.headers(.analyst)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/webhooks/test", method: .post, headers: fixture.headers(.admin)) { response in
                #expect(response.status == .ok)
                let results = response.json["results"]?.array ?? []
                #expect(results.map { $0["webhook"]?.string } == ["ops", "nosecret"])
                #expect(results[0]["delivered"] == .bool(true) && results[0]["status"]?.number == 204)
                #expect(results[1]["delivered"] == .bool(false) && results[1]["status"] == .null)
                let error = results[1]["error"]?.string ?? ""
                #expect(error.contains("UNSET_SECRET_VAR") && error.contains("not set"))
            }
        }
        // Sent once, to the webhook with a secret, signed; not stored in the outbox.
        let sent = transport.requests
        #expect(sent.count == 1 && sent.first?.url == "http://127.0.0.1:9/ops")
        let request = try #require(sent.first)
        let headers = Dictionary(uniqueKeysWithValues: request.headers.map { ($0.name, $0.value) })
        let signer = try WebhookSigner(secret: "whsec_c2VjcmV0LWJ5dGVz", variable: "OPS_WEBHOOK_SECRET")
        let timestamp = try #require(headers["webhook-timestamp"].flatMap { Int64($0) })
        #expect(headers["webhook-signature"] == signer.signature(id: request.deliveryId, timestamp: timestamp, body: request.body))
        #expect(String(decoding: request.body, as: UTF8.self).contains("\"type\":\"test\""))
        #expect(try fixture.application.listDeliveries().count == 2)
    }

    @Test func metricsCountAlertsByStateAndSeverity() async throws {
        let fixture = try AlertServiceFixture()
        defer { fixture.remove() }
        try fixture.plant(["P1", "P2"], severity: .high)
        try fixture.plant(["P3"], severity: .low, runId: "r2")  // resolves P1 and P2
        try await fixture.app().test(.router) { client in
            // The first scrape bootstraps the registry in a process that has not served before.
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let lines = String(decoding: response.body.readableBytesView, as: UTF8.self).split(separator: "\n")
                    .filter { $0.hasPrefix("decisioning_alerts{") }
                func value(_ state: String, _ severity: String) -> Double? {
                    lines.first { $0.contains("state=\"\(state)\"") && $0.contains("severity=\"\(severity)\"") }?
                        .split(separator: " ").last.flatMap { Double($0) }
                }
                #expect(value("resolved", "high") == 2)
                #expect(value("open", "low") == 1)
                #expect(value("open", "high") == 0)
            }
        }
    }

    @Test func theTestEventNeedsAConfiguredWebhook() async throws {
        let fixture = try AlertServiceFixture(webhooks: [])
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/api/v1/webhooks/test", method: .post, headers: fixture.headers(.admin)) { response in
                #expect(response.status == .conflict)
                #expect(response.json["detail"]?.string?.contains("alerts.webhooks") == true)
            }
        }
    }

    @Test func theOpenAPIDocumentHasTheAlertAndWebhookRoutes() async throws {
        let fixture = try AlertServiceFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let paths = response.json["paths"]
                for (path, method) in [
                    ("/api/v1/alerts", "get"), ("/api/v1/alerts/{id}", "get"), ("/api/v1/alerts/{id}/acknowledge", "post"),
                    ("/api/v1/alerts/{id}/resolve", "post"), ("/api/v1/webhooks/deliveries", "get"), ("/api/v1/webhooks/test", "post"),
                ] {
                    #expect(paths?[path]?[method] != nil, "\(method.uppercased()) \(path) is not in openapi.json")
                }
            }
        }
    }
}

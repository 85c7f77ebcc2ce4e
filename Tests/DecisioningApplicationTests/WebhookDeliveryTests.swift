import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// Signing (Standard Webhooks), backoff, and what each attempt's outcome does to a delivery.
@Suite struct WebhookDeliveryTests {
    @Test func signaturesFollowTheStandardWebhooksSpecification() throws {
        // The specification's own example (standard-webhooks, libraries' tests).
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", variable: "S")
        #expect(
            signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array("{\"test\": 2432232314}".utf8))
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        // Without the prefix, the secret's UTF-8 bytes are the key (checked with Python's hmac).
        let plain = try WebhookSigner(secret: "plain-secret", variable: "S")
        #expect(plain.signature(id: "msg_1", timestamp: 5, body: Array("{}".utf8)) == "v1,ZOA6I2ri46/9sEb20I5iRyNN2q2j84c37WjsqMYLqZ8=")
        let headers = plain.headers(id: "msg_1", timestamp: 5, body: Array("{}".utf8))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value).prefix(2) == ["msg_1", "5"])
    }

    @Test func badSecretsAreNamedByTheirVariableNeverByValue() {
        #expect(throws: WebhookSecretError.notBase64(variable: "HOOK_SECRET")) {
            try WebhookSigner(secret: "whsec_%%%not-base64%%%", variable: "HOOK_SECRET")
        }
        #expect(throws: WebhookSecretError.empty(variable: "HOOK_SECRET")) { try WebhookSigner(secret: "", variable: "HOOK_SECRET") }
        var hook = Configuration.Webhook(name: "ops", url: "http://127.0.0.1:9/", secretEnvironmentVariable: "HOOK_SECRET")
        hook.minSeverity = "info"
        let missing = Application.signedRequest(id: "msg_x", payload: "{}", hook: hook, at: Timestamp(seconds: 1), environment: [:])
        guard case .failure(let reason) = missing else {
            Issue.record("a missing secret must not sign")
            return
        }
        #expect(reason.description.contains("HOOK_SECRET") && reason.description.contains("not set"))
        let malformed = Application.signedRequest(
            id: "msg_x", payload: "{}", hook: hook, at: Timestamp(seconds: 1), environment: ["HOOK_SECRET": "whsec_s3cr3t!!"])
        guard case .failure(let bad) = malformed else {
            Issue.record("a malformed secret must not sign")
            return
        }
        #expect(bad.description.contains("HOOK_SECRET") && !bad.description.contains("s3cr3t"))
    }

    @Test func backoffGrowsExponentiallyWithSeededJitterAndACap() {
        let backoff = WebhookBackoff(baseSeconds: 10, capSeconds: 300, seed: 7)
        for attempt in 1...10 {
            let full = min(300.0, 10 * pow(2, Double(attempt - 1)))
            let delay = backoff.delay(attempt: attempt, deliveryId: "msg_a")
            #expect(Double(delay) >= full / 2 && Double(delay) <= full.rounded(.up), "attempt \(attempt): \(delay) s")
            #expect(delay == WebhookBackoff(baseSeconds: 10, capSeconds: 300, seed: 7).delay(attempt: attempt, deliveryId: "msg_a"))
        }
        // Jitter spreads deliveries that failed together, and another seed gives other delays.
        let spread = Set((0..<20).map { backoff.delay(attempt: 6, deliveryId: "msg_\($0)") })
        #expect(spread.count > 5)
        let other = WebhookBackoff(baseSeconds: 10, capSeconds: 300, seed: 8)
        #expect(
            (0..<20).contains { other.delay(attempt: 6, deliveryId: "msg_\($0)") != backoff.delay(attempt: 6, deliveryId: "msg_\($0)") })
        #expect(WebhookBackoff(baseSeconds: 0.1, capSeconds: 1, seed: 1).delay(attempt: 1, deliveryId: "m") == 1)
    }

    @Test func attemptsDeliverRetryAndDie() throws {
        var configuration = AlertLifecycleTests.configuration()
        configuration.alerts.webhooks[0].maxAttempts = 3
        let (app, dir) = try AlertLifecycleTests.application(configuration)
        defer { try? FileManager.default.removeItem(at: dir) }
        try app.recordAlerts(
            runId: "r1", status: .succeeded,
            alerts: [AlertLifecycleTests.alert("a", "P1", .high), AlertLifecycleTests.alert("b", "P2", .low)],
            at: Timestamp(seconds: 1_000))
        let backoff = WebhookBackoff(baseSeconds: 10, capSeconds: 600, seed: 3)

        // Both are due; taking them leases them: a second take finds nothing until the lease is over.
        let due = try app.claimDueDeliveries(now: Timestamp(seconds: 1_000), limit: 10, leaseSeconds: 15)
        #expect(due.count == 2 && due.allSatisfy { $0.state == .pending && $0.attempts == 0 })
        #expect(try app.claimDueDeliveries(now: Timestamp(seconds: 1_010), limit: 10, leaseSeconds: 15).isEmpty)
        #expect(try app.claimDueDeliveries(now: Timestamp(seconds: 1_015), limit: 10, leaseSeconds: 15).count == 2)
        #expect(try app.claimDueDeliveries(now: Timestamp(seconds: 1_030), limit: 1, leaseSeconds: 15).count == 1)

        let (first, second) = (due[0], due[1])
        let delivered = try app.recordDeliveryAttempt(
            first, attempt: .response(status: 204, location: nil), at: Timestamp(seconds: 1_001), backoff: backoff)
        #expect(delivered.state == .delivered && delivered.deliveredAt == Timestamp(seconds: 1_001) && delivered.lastStatus == 204)
        #expect(try app.delivery(id: first.id) == delivered)
        // Once delivered, a late record (another server's) changes nothing.
        try app.recordDeliveryAttempt(
            first, attempt: .response(status: 500, location: nil), at: Timestamp(seconds: 1_002), backoff: backoff)
        #expect(try app.delivery(id: first.id)?.state == .delivered)

        // 500, then a redirect, then a timeout: retried with backoff, then dead at the third attempt.
        let retry = try app.recordDeliveryAttempt(
            second, attempt: .response(status: 503, location: nil), at: Timestamp(seconds: 1_001), backoff: backoff)
        #expect(retry.state == .pending && retry.attempts == 1 && retry.lastStatus == 503)
        #expect(retry.nextAttemptAt == Timestamp(seconds: 1_001 + backoff.delay(attempt: 1, deliveryId: second.id)))
        #expect(try app.delivery(id: second.id) == retry)
        let redirected = try app.recordDeliveryAttempt(
            retry, attempt: .response(status: 302, location: "http://elsewhere/"), at: Timestamp(seconds: 1_100), backoff: backoff)
        #expect(redirected.state == .pending && redirected.lastStatus == 302)
        #expect(redirected.lastError?.contains("http://elsewhere/") == true && redirected.lastError?.contains("not followed") == true)
        let dead = try app.recordDeliveryAttempt(
            redirected, attempt: .timedOut(seconds: 2), at: Timestamp(seconds: 1_200), backoff: backoff)
        #expect(dead.state == .dead && dead.attempts == 3 && dead.lastStatus == nil && dead.lastError?.contains("within 2 s") == true)
        #expect(try app.claimDueDeliveries(now: Timestamp(seconds: 99_999), limit: 10, leaseSeconds: 15).isEmpty)
        #expect(try app.listDeliveries(states: [.dead]).map(\.id) == [second.id])
        #expect(try app.listDeliveries(states: [.delivered]).map(\.id) == [first.id])
    }

    @Test func eachFailureIsWordedAndLabelled() {
        #expect(WebhookAttempt.response(status: 200, location: nil).isSuccess)
        #expect(!WebhookAttempt.response(status: 301, location: nil).isSuccess)
        #expect(WebhookAttempt.response(status: 404, location: nil).label == "4xx")
        #expect(WebhookAttempt.response(status: 404, location: nil).failure?.contains("404") == true)
        #expect(WebhookAttempt.refused("errno 111").failure?.contains("refused") == true)
        #expect(WebhookAttempt.refused("errno 111").label == "refused")
        #expect(WebhookAttempt.timedOut(seconds: 1.5).failure?.contains("1.5 s") == true)
        #expect(WebhookAttempt.notSent("x").label == "not_sent")
    }
}

import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/ingest/{table}`: the command line's validation, messages, atomicity and idempotency
/// over HTTP, and the limits of the body.
@Suite(.serialized) struct IngestRoutesTests {
    static let header =
        "customer_id,customer_name,industry,annual_revenue,credit_rating,payment_terms,average_payment_days,total_projects,total_revenue,risk_score"

    static func rows(_ ids: ClosedRange<Int>) -> String {
        ids.map { "HTTP-\($0),Customer \($0),Media,1000000.00,A,30,31.5,0,0.00,0.25" }.joined(separator: "\n")
    }

    static func headers(_ key: String, _ type: String) -> HTTPFields { [.authorization: "Bearer \(key)", .contentType: type] }

    func count(_ fixture: ServiceFixture) throws -> Int {
        try fixture.application.store.query(
            "SELECT COUNT(*) FROM customer_analytics WHERE customer_id LIKE 'HTTP-%'", arguments: [], columnTypes: [.integer]
        ).first?.first.map { if case .integer(let n) = $0 { Int(n) } else { -1 } } ?? -1
    }

    @Test func rowsLoadOnceAndASecondSendIsSkipped() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let body = Self.header + "\n" + Self.rows(1...50) + "\n"
        try await fixture.app().test(.router) { client in
            let first = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: body.buffer)
            #expect(first.status == .ok)
            #expect(first.object["inserted"] as? Int == 50)
            let again = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "text/csv; charset=utf-8"),
                body: body.buffer)
            #expect(again.object["inserted"] as? Int == 0)
            #expect(again.object["skipped"] as? Int == 50)
            let jsonl = "{\"customer_id\": \"HTTP-51\", \"customer_name\": \"Line\", \"industry\": \"Retail\", \"risk_score\": 0.5}\n"
            let lines = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "application/x-ndjson"),
                body: jsonl.buffer)
            #expect(lines.object["inserted"] as? Int == 1)
        }
        #expect(try count(fixture) == 51)
    }

    @Test func aBadRowNamesItsLineAndColumnAndNothingIsWritten() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let body = Self.header + "\n" + Self.rows(1...3) + "\nHTTP-4,Bad,Media,lots,A,30,31.5,0,0.00,0.25\n" + Self.rows(5...6) + "\n"
        try await fixture.app().test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: body.buffer)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let error = try #require(refused.object["error"] as? [String: Any])
            #expect(error["line"] as? Int == 5)
            #expect(error["column"] as? String == "annual_revenue")
            #expect(error["file"] as? String == "body")
            #expect((refused.object["detail"] as? String)?.contains("body:5") == true)
            #expect(!(refused.text.contains(FileManager.default.temporaryDirectory.path)))
            // With room for one bad row, the others load.
            let tolerant = try await client.execute(
                uri: "/api/v1/ingest/customer_analytics?max_rejected=1", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: body.buffer)
            #expect(tolerant.object["inserted"] as? Int == 5)
            #expect(tolerant.object["rejected"] as? Int == 1)
        }
        #expect(try count(fixture) == 5)
    }

    @Test func theBodyMustBeSmallEnoughOfAKnownTypeForAKnownTable() async throws {
        var configuration = Configuration()
        configuration.service.maxIngestBytes = 1_000
        let fixture = try ServiceFixture(configuration: configuration)
        defer { fixture.remove() }
        let large = Self.header + "\n" + Self.rows(1...100) + "\n"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: large.buffer
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect((response.object["detail"] as? String)?.contains("service.max_ingest_bytes") == true)
            }
            try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.analyst, "application/xml"),
                body: "<a/>".buffer
            ) { #expect($0.status == .unsupportedMediaType) }
            try await client.execute(
                uri: "/api/v1/ingest/analysis_runs", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: "a\n1\n".buffer
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/api/v1/ingest/customer_analytics", method: .post, headers: Self.headers(fixture.viewer, "text/csv"),
                body: "a\n".buffer
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/api/v1/ingest/customer_analytics?max_rejected=-1", method: .post, headers: Self.headers(fixture.analyst, "text/csv"),
                body: "a\n".buffer
            ) { #expect($0.status == .badRequest) }
        }
        #expect(try count(fixture) == 0)
    }
}

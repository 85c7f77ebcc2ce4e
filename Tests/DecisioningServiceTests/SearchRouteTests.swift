import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import DecisioningService
import DecisioningStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /api/v1/search`: event notes found by meaning among the notes the server holds. A rebuild
/// embeds a few new notes itself and counts the rest as pending; a note ingested through the server
/// after the first search is found by the next one.
@Suite(.serialized) struct SearchRouteTests {
    /// As in TextSearchTests: skipped without the model on a developer machine, run (and failing) in CI.
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return FileManager.default.fileExists(atPath: SentenceEmbedder.defaultModelDirectory().appending(path: "model.safetensors").path)
            || environment["CI"].map { !$0.isEmpty } == true || environment["DECISIONING_REQUIRE_MODEL"] == "1"
    }

    static func count(_ sql: String, _ application: DecisioningApplication.Application) throws -> Int {
        let rows = try application.store.query(sql, arguments: [], columnTypes: [.integer], cancellation: nil)
        if case .integer(let n)? = rows.first?.first { return Int(n) }
        return -1
    }

    @Test(.enabled(if: SearchRouteTests.enabled)) func notesAreFoundByMeaningAndTheRestIsPending() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let notes = try Self.count("SELECT COUNT(*) FROM business_events WHERE event_data LIKE '%\"note\"%'", fixture.application)
        #expect(notes > 256, "the fixture must have more notes than a rebuild embeds")
        try await fixture.app().test(.router) { client in
            let first = try await client.execute(
                uri: "/api/v1/search?q=licence+breach", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(first.status == .ok)
            #expect(first.object["pending"] as? Int == notes && first.object["searched"] as? Int == 0)
            #expect((first.object["hits"] as? [Any])?.isEmpty == true)

            // Keep 40 notes, then ingest an event with a planted note through the API: the server reads
            // the notes again at once, and embeds the 41 (fewer than 256).
            try fixture.application.store.writeBatch(cancellation: nil) { writer in
                try writer.execute(
                    """
                    UPDATE business_events SET event_data = '{"reason":"scope"}' WHERE event_data LIKE '%"note"%' AND event_id NOT IN
                    (SELECT event_id FROM business_events WHERE event_data LIKE '%"note"%' ORDER BY event_id LIMIT 40)
                    """, arguments: [])
            }
            let plantedId = "E-PLANTED-1"
            let event =
                #"{"event_id":"E-PLANTED-1","event_type":"RISK_FLAGGED","entity_type":"PROJECT","entity_id":"P000001","#
                + #""event_data":{"reason":"scope","note":"The auditors found a licence breach in the data centre."},"#
                + #""event_timestamp":"2026-11-20 10:00:00"}"# + "\n"
            let ingested = try await client.execute(
                uri: "/api/v1/ingest/business_events", method: .post,
                headers: [.authorization: "Bearer \(fixture.analyst)", .contentType: "application/x-ndjson"],
                body: ByteBuffer(string: event))
            #expect(ingested.status == .ok, "\(ingested.text)")
            let found = try await client.execute(
                uri: "/api/v1/search?q=compliance%20problem%20with%20software%20licences&k=5", method: .get,
                headers: ServiceFixture.bearer(fixture.viewer))
            #expect(found.status == .ok)
            #expect(found.object["pending"] as? Int == 0 && found.object["searched"] as? Int == 41)
            #expect((found.object["refreshed"] as? [String: Any])?["computed"] as? Int == 41)
            let hits = found.object["hits"] as? [[String: Any]] ?? []
            #expect(hits.count == 5)
            #expect(hits.first?["event_id"] as? String == plantedId, "\(hits.map { $0["text"] ?? "" })")
            let similarities = hits.compactMap { $0["similarity"] as? Double }
            #expect(similarities == similarities.sorted(by: >) && similarities.count == 5)

            let projects = try await client.execute(
                uri: "/api/v1/search?q=schedule+slip&entity=projects&k=8", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            let projectHits = projects.object["hits"] as? [[String: Any]] ?? []
            #expect(!projectHits.isEmpty && projectHits.allSatisfy { $0["entity_type"] as? String == "PROJECT" })
            let ids = projectHits.compactMap { $0["entity_id"] as? String }
            #expect(Set(ids).count == ids.count, "one hit per project")

            for (query, field) in [
                ("", "q"), ("q=%20%20", "q"), ("q=" + String(repeating: "a", count: 2001), "q"), ("q=x&entity=people", "entity"),
                ("q=x&k=0", "k"), ("q=x&k=ten", "k"), ("q=x&k=1001", "k"),
            ] {
                let refused = try await client.execute(
                    uri: "/api/v1/search?\(query)", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
                #expect(refused.status == .badRequest, "\(query)")
                #expect(refused.object["field"] as? String == field, "\(query): \(refused.text)")
            }
            let anonymous = try await client.execute(uri: "/api/v1/search?q=x", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func aServerWithoutTheTextModelSaysHowToInstallIt() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let missing = fixture.directory.appending(path: "no-model-here")
        let state = ServiceState(
            application: fixture.application, coordinator: RunCoordinator(application: fixture.application, output: nil),
            modelDirectory: missing)
        try await Hummingbird.Application(router: APIRouter.build(state: state)).test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/search?q=delay", method: .get, headers: ServiceFixture.bearer(fixture.viewer))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.text.contains("scripts/fetch-model.sh"))
            #expect(!refused.text.contains(missing.path), "the server's folders are not told to clients")
        }
    }
}

import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import DecisioningSynth
import Foundation
import Testing

/// `search`: event notes embedded in process, kept in business_embeddings, found by meaning. The
/// generator plants each note's theme from the event (a staffing flag is an escalation, a schedule
/// flag a delay, …); a paraphrase that shares few words with the notes must find its theme.
@Suite(.serialized) struct TextSearchTests {
    static let asOf = Day(iso: "2026-11-25")!
    static let modelDirectory = SentenceEmbedder.defaultModelDirectory()

    /// Without the model the suite is skipped on a developer machine; under `make test`
    /// (DECISIONING_REQUIRE_MODEL=1) or CI it runs and fails, naming scripts/fetch-model.sh.
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return FileManager.default.fileExists(atPath: modelDirectory.appending(path: "model.safetensors").path)
            || environment["CI"].map { !$0.isEmpty } == true || environment["DECISIONING_REQUIRE_MODEL"] == "1"
    }

    static let company: Result<Application, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("text-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("t.sqlite").path), configuration: Configuration())
        _ = try app.generate(Generator(spec: GeneratorSpec(scale: 0.005, seed: 9, asOf: asOf)), keepTruth: false)
        return app
    }

    static func embedder() throws -> SentenceEmbedder {
        do {
            return try SentenceEmbedder(modelDirectory: modelDirectory)
        } catch {
            Issue.record("text search needs all-MiniLM-L6-v2 in \(modelDirectory.path): run scripts/fetch-model.sh (\(error))")
            throw error
        }
    }

    /// The theme whose wording a note uses.
    static func theme(of text: String) -> EventNotes.Theme? {
        EventNotes.Theme.allCases.first { theme in EventNotes.vocabulary(theme).contains { text.contains($0) } }
    }

    @Test(.enabled(if: TextSearchTests.enabled)) func aParaphraseFindsTheNotesOfItsPlantedTheme() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        for (query, theme) in [
            ("the customer is angry because staff keep leaving the project", EventNotes.Theme.escalation),
            ("equipment arrived weeks after the promised date", .delay),
            ("they want us to build extra features that were not in the contract", .changeRequest),
            ("we are spending more money than budgeted", .cost),
            ("the sponsor was very happy with our work", .praise),
        ] {
            let result = try app.searchText(query, k: 10, embedder: embedder)
            #expect(result.hits.count == 10)
            let themes = result.hits.map { Self.theme(of: $0.text) }
            let precision = Double(themes.filter { $0 == theme }.count) / Double(themes.count)
            #expect(precision >= 0.8, "\(query): \(result.hits.map(\.text))")
            #expect(result.hits.map(\.similarity) == result.hits.map(\.similarity).sorted(by: >))
        }
    }

    @Test(.enabled(if: TextSearchTests.enabled)) func notesAreEmbeddedOnceAndAChangedNoteAlone() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        _ = try app.refreshEventNoteEmbeddings(embedder: embedder)
        let again = try app.refreshEventNoteEmbeddings(embedder: embedder)
        #expect(again.computed == 0 && again.removed == 0 && again.unchanged > 50)
        let events = try app.store.query(
            "SELECT event_id FROM business_events WHERE event_data LIKE '%\"note\"%' ORDER BY event_id LIMIT 1", arguments: [],
            columnTypes: [.text(maxLength: 50)], cancellation: nil)
        try app.store.writeBatch(cancellation: nil) { writer in
            try writer.execute(
                "UPDATE business_events SET event_data = ? WHERE event_id = ?",
                arguments: [.json(#"{"reason":"scope","note":"The auditors found a licence breach in the data centre."}"#), events[0][0]])
        }
        let changed = try app.refreshEventNoteEmbeddings(embedder: embedder)
        #expect(changed.computed == 1 && changed.removed == 1 && changed.dimension == 384)
        let found = try app.searchText("compliance problem with software licences", k: 1, embedder: embedder)
        #expect(found.hits.first?.eventId == { if case .text(let id) = events[0][0] { return id } else { return nil } }())
        #expect(throws: TextSearchError.invalidQuery(length: 0)) { try app.searchText("   ", embedder: embedder) }
    }

    /// A search reads every stored vector once and, when all of them are current, reports what a refresh
    /// would; when the store holds vectors no current text has (of an event that is gone, or of an older
    /// version of the model), the search's refresh removes them and says so. Rows of another model
    /// family are left alone.
    @Test(.enabled(if: TextSearchTests.enabled)) func aSearchRemovesVectorsNoTextHasAndOtherwiseChangesNothing() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        let query = "the budget is overspent"
        _ = try app.searchText(query, k: 1, embedder: embedder)  // embeds what earlier tests left
        let current = try app.searchText(query, k: 1, embedder: embedder)
        #expect(current.refreshed == (try app.refreshEventNoteEmbeddings(embedder: embedder)))
        #expect(current.descriptionsRefreshed == (try app.refreshProjectDescriptionEmbeddings(embedder: embedder)))
        #expect(current.refreshed.computed == 0 && current.refreshed.removed == 0 && current.refreshed.unchanged == current.searched)
        func count() throws -> Int64 {
            let rows = try app.store.query(
                "SELECT COUNT(*) FROM business_embeddings", arguments: [], columnTypes: [.integer], cancellation: nil)
            guard case .integer(let n) = rows[0][0] else { return -1 }
            return n
        }
        func insert(id: String, entity: String, model: String) throws {
            try app.store.writeBatch(cancellation: nil) { writer in
                try writer.execute(
                    "INSERT INTO business_embeddings (embedding_id, entity_type, entity_id, embedding_vector, embedding_model) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        .text(id), .text("EVENT"), .text(entity), .vector([Float](repeating: 0.05, count: embedder.dimension)),
                        .text(model),
                    ])
            }
        }
        let before = try count()
        // Each kind of stale row alone makes the search refresh: an older version of the model, then a gone event.
        for (id, entity, model) in [
            ("event:older-version", "E-OLDER", "all-MiniLM-L6-v2@0.0.1"), ("event:gone", "E-GONE", embedder.model),
        ] {
            try insert(id: id, entity: entity, model: model)
            #expect(try count() == before + 1)
            let cleaned = try app.searchText(query, k: 1, embedder: embedder)
            #expect(cleaned.refreshed.removed == 1 && cleaned.refreshed.computed == 0, "\(model)")
            #expect(try count() == before)
            #expect(cleaned.hits.map(\.eventId) == current.hits.map(\.eventId))
        }
        // `all-MiniLM-L6-v2-other@1` is another family's: neither stale nor removed.
        try insert(id: "event:other-family", entity: "E-OTHER", model: "all-MiniLM-L6-v2-other@1")
        let again = try app.searchText(query, k: 1, embedder: embedder)
        #expect(again.refreshed.removed == 0 && again.refreshed.computed == 0)
        #expect(try count() == before + 1)
    }
}

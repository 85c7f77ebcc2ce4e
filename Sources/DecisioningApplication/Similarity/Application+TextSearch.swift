import DecisioningCore
public import DecisioningEmbedding
import DecisioningStore
import DecisioningVectors
import Foundation

extension Application {
    /// The keys of `business_events.event_data` whose text is embedded, in order of preference.
    public static let noteKeys = ["note", "notes", "description", "comment", "text", "summary"]

    /// One event's note, read from its JSON data.
    struct EventNote {
        var eventId: String
        var entityType: String
        var entityId: String
        var eventType: String
        var timestamp: String
        var text: String
    }

    /// Every event with a note (a string under one of `noteKeys` of its JSON data), by event id.
    func eventNotes() throws -> [EventNote] {
        let filter = Self.noteKeys.map { _ in "event_data LIKE ?" }.joined(separator: " OR ")
        let rows = try store.query(
            "SELECT event_id, entity_type, entity_id, event_type, event_timestamp, event_data FROM business_events WHERE \(filter) ORDER BY event_id",
            arguments: Self.noteKeys.map { .text("%\"\($0)\"%") },
            columnTypes: [.text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 50), .timestamp, .json],
            cancellation: nil)
        return rows.compactMap { row in
            guard case .text(let id) = row[0], case .json(let data) = row[5],
                let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any],
                let text = Self.noteKeys.lazy.compactMap({ object[$0] as? String }).first(where: {
                    !$0.allSatisfy(\.isWhitespace)
                })
            else { return nil }
            func string(_ v: Value) -> String {
                switch v {
                case .text(let s): return s
                case .timestamp(let t): return t.description
                default: return ""
                }
            }
            return EventNote(
                eventId: id, entityType: string(row[1]), entityId: string(row[2]), eventType: string(row[3]), timestamp: string(row[4]),
                text: String(Self.trimmed(text).prefix(2000)))
        }
    }

    /// `text` without the white space around it (Foundation's trimming costs more than the rest of reading a note).
    static func trimmed(_ text: String) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return text[first...last]
    }

    /// Stores the embedding of every event note in `business_embeddings` (`entity_type` EVENT),
    /// embedding only notes that are new or changed, each distinct text once; `progress` hears (embedded, to embed).
    public func refreshEventNoteEmbeddings(
        embedder: SentenceEmbedder, progress: ((Int, Int) -> Void)? = nil
    ) throws -> EmbeddingBook.Report {
        try refreshEventNoteEmbeddings(notes: try eventNotes(), embedder: embedder, progress: progress)
    }

    func refreshEventNoteEmbeddings(
        notes: [EventNote], embedder: SentenceEmbedder, progress: ((Int, Int) -> Void)?
    ) throws -> EmbeddingBook.Report {
        let sources = notes.map { EmbeddingBook.Source(entityId: $0.eventId, content: $0.text) }
        return try EmbeddingBook(entityType: "EVENT", model: embedder.model).refresh(sources, in: store) { missing in
            // Notes repeat (templates, copied text): each distinct text is embedded once.
            var distinct: [String] = []
            var slot: [String: Int] = [:]
            let slots = missing.map { source in
                if let i = slot[source.content] { return i }
                slot[source.content] = distinct.count
                distinct.append(source.content)
                return distinct.count - 1
            }
            var vectors: [[Float]] = []
            vectors.reserveCapacity(distinct.count)
            let step = 1024
            for start in stride(from: 0, to: distinct.count, by: step) {
                vectors += try embedder.embed(Array(distinct[start..<min(distinct.count, start + step)]))
                progress?(vectors.count, distinct.count)
            }
            return slots.map { vectors[$0] }
        }
    }

    /// The `k` event notes (or projects, by their nearest note) nearest in meaning to `text`, after
    /// bringing the stored note vectors up to date. One query scans every note exactly (at scale 1,
    /// about 100,000 notes of 384 entries, a few milliseconds): a graph pays for its build only over many
    /// queries (`decisioning vectors build`).
    public func searchText(
        _ text: String, entity: TextSearchResult.Entity = .events, k: Int = 10, embedder: SentenceEmbedder,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> TextSearchResult {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty, query.count <= 2000 else { throw TextSearchError.invalidQuery(length: query.count) }
        guard (1...1000).contains(k) else { throw SimilarityError.invalidK(k) }
        let clock = ContinuousClock()
        let start = clock.now
        let notes = try eventNotes()
        let refreshed = try refreshEventNoteEmbeddings(notes: notes, embedder: embedder, progress: progress)
        let stored = try EmbeddingBook(entityType: "EVENT", model: embedder.model).load(from: store)
        let byId = Dictionary(notes.map { ($0.eventId, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = stored.filter { byId[$0.entityId] != nil && $0.vector.count == embedder.dimension }
        guard !rows.isEmpty else {
            return TextSearchResult(
                query: query, entity: entity, model: embedder.model, k: k, method: "exact", searched: 0, refreshed: refreshed, hits: [],
                seconds: (clock.now - start).seconds)
        }
        let base = try VectorMatrix(rows: rows.count, dimensions: embedder.dimension, values: rows.flatMap(\.vector))
        let index = try VectorIndex(base: base, metric: .cosine, exact: true)
        let queryVector = try embedder.embed([query])[0]
        let queries = try VectorMatrix(rows: 1, dimensions: embedder.dimension, values: queryVector)
        // Projects are ranked by their nearest note: search more notes, keep each project's best.
        let wanted = entity == .events ? k : min(rows.count, k * 20)
        let result = try index.search(queries, k: wanted, ef: max(64, wanted * 2))
        var hits: [TextSearchResult.Hit] = []
        var seenProjects = Set<String>()
        for (row, distance) in zip(result.neighbors(ofQuery: 0), result.distances(ofQuery: 0)) {
            guard let note = byId[rows[row].entityId] else { continue }
            if entity == .projects {
                guard note.entityType == "PROJECT", seenProjects.insert(note.entityId).inserted else { continue }
            }
            hits.append(
                TextSearchResult.Hit(
                    eventId: note.eventId, entityType: note.entityType, entityId: note.entityId, eventType: note.eventType,
                    timestamp: note.timestamp, text: note.text, similarity: 1 - Double(distance)))
            if hits.count == k { break }
        }
        let method: String
        switch index {
        case .exact: method = "exact"
        case .hnsw: method = "hnsw"
        }
        return TextSearchResult(
            query: query, entity: entity, model: embedder.model, k: k, method: method, searched: rows.count, refreshed: refreshed,
            hits: hits, seconds: (clock.now - start).seconds)
    }
}

import DecisioningCore
public import DecisioningEmbedding
public import DecisioningStore
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
        let corpus = try textSearchCorpus(embedder: embedder, embedUpTo: .max, progress: progress)
        var result = try corpus.search(query, entity: entity, k: k, embedder: embedder)
        result.seconds = (clock.now - start).seconds
        return result
    }

    /// The event notes and their stored vectors, ready to search. Notes whose current text has no
    /// stored vector are embedded first, up to `embedUpTo` of them, the newest first (the CLI passes
    /// `Int.max`: all of them, which takes minutes on a large database the first time, and removes the
    /// vectors of notes that are gone; the server a few hundred per read, so that recent events are
    /// found and no request waits for a whole database); the rest is counted as `pending`
    /// (`decisioning embeddings refresh --notes` embeds them).
    public func textSearchCorpus(
        embedder: SentenceEmbedder, embedUpTo: Int, progress: ((Int, Int) -> Void)? = nil, cancellation: CancellationFlag? = nil
    ) throws -> TextSearchCorpus {
        let notes = try eventNotes()
        let book = EmbeddingBook(entityType: "EVENT", model: embedder.model)
        let sources = notes.map { EmbeddingBook.Source(entityId: $0.eventId, content: $0.text) }
        var stored = try book.stored(sources, in: store, cancellation: cancellation)
        let missing = stored.indices.filter { stored[$0] == nil }
        var refreshed: EmbeddingBook.Report?
        if embedUpTo == .max || (!missing.isEmpty && missing.count <= embedUpTo) {
            // Every missing note at once: a full refresh, which also drops the vectors of notes that are gone or changed.
            refreshed = try refreshEventNoteEmbeddings(notes: notes, embedder: embedder, progress: progress)
            stored = try book.stored(sources, in: store, cancellation: cancellation)
        } else if !missing.isEmpty, embedUpTo > 0 {
            // Too many to embed now: the newest, by time then id, so that what was just ingested is found.
            let newest = missing.sorted { (notes[$0].timestamp, notes[$0].eventId) > (notes[$1].timestamp, notes[$1].eventId) }
                .prefix(embedUpTo)
            // Each distinct text once (notes repeat).
            var distinct: [String] = []
            var seen = Set<String>()
            for i in newest where seen.insert(sources[i].content).inserted { distinct.append(sources[i].content) }
            let vectors = try embedder.embed(distinct)
            let byText = Dictionary(zip(distinct, vectors), uniquingKeysWith: { first, _ in first })
            try book.add(newest.map { sources[$0] }, in: store, cancellation: cancellation) { chosen in
                chosen.map { byText[$0.content] ?? [] }
            }
            for i in newest { stored[i] = byText[sources[i].content] }
            refreshed = EmbeddingBook.Report(
                entityType: "EVENT", model: embedder.model, unchanged: notes.count - missing.count, computed: newest.count, removed: 0,
                dimension: embedder.dimension)
        }
        try cancellation?.check("search the event notes")
        var kept: [EventNote] = []
        var vectors: [[Float]] = []
        for (note, vector) in zip(notes, stored) {
            guard let vector, vector.count == embedder.dimension else { continue }
            kept.append(note)
            vectors.append(vector)
        }
        return try TextSearchCorpus(
            model: embedder.model, dimension: embedder.dimension, notes: kept, vectors: vectors, refreshed: refreshed,
            pending: notes.count - kept.count)
    }
}

import DecisioningCore
public import DecisioningEmbedding
public import DecisioningStore
import DecisioningVectors
import Foundation

extension Application {
    /// The keys of `business_events.event_data` whose text is embedded, in order of preference.
    public static let noteKeys = ["note", "notes", "description", "comment", "text", "summary"]

    /// One searchable text: an event's note, read from its JSON data, or a project's description
    /// (`source` says which; a description has no event id or type).
    struct EventNote {
        var eventId: String
        var entityType: String
        var entityId: String
        var eventType: String
        var timestamp: String
        var text: String
        var source: TextSearchResult.Source = .note

        /// The entity its vector is stored under: the event for a note, the project for a description.
        var embeddingKey: String { source == .note ? eventId : entityId }
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

    /// Every project's description that is not blank (at most 2,000 characters of it), by project id.
    func projectDescriptions() throws -> [EventNote] {
        let rows = try store.query(
            "SELECT project_id, created_at, description FROM projects WHERE description IS NOT NULL ORDER BY project_id",
            arguments: [], columnTypes: [.text(maxLength: 50), .timestamp, .longText], cancellation: nil)
        return rows.compactMap { row in
            guard case .text(let id) = row[0], case .text(let description) = row[2] else { return nil }
            let text = Self.trimmed(description)
            guard !text.isEmpty else { return nil }
            let created: String
            if case .timestamp(let t) = row[1] { created = t.description } else { created = "" }
            return EventNote(
                eventId: "", entityType: "PROJECT", entityId: id, eventType: "", timestamp: created, text: String(text.prefix(2000)),
                source: .description)
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
        try refreshTextEmbeddings(notes: try eventNotes(), book: Self.noteBook(embedder), embedder: embedder, progress: progress)
    }

    /// Stores the embedding of every project's description in `business_embeddings` (`entity_type`
    /// PROJECT, the text model's name; the case vectors' rows stay), embedding only new or changed ones.
    public func refreshProjectDescriptionEmbeddings(
        embedder: SentenceEmbedder, progress: ((Int, Int) -> Void)? = nil
    ) throws -> EmbeddingBook.Report {
        try refreshTextEmbeddings(
            notes: try projectDescriptions(), book: Self.descriptionBook(embedder), embedder: embedder, progress: progress)
    }

    /// Where the vectors of event notes are kept.
    static func noteBook(_ embedder: SentenceEmbedder) -> EmbeddingBook { EmbeddingBook(entityType: "EVENT", model: embedder.model) }
    /// Where the vectors of project descriptions are kept.
    static func descriptionBook(_ embedder: SentenceEmbedder) -> EmbeddingBook {
        EmbeddingBook(entityType: "PROJECT", model: embedder.model)
    }

    func refreshTextEmbeddings(
        notes: [EventNote], book: EmbeddingBook, embedder: SentenceEmbedder, progress: ((Int, Int) -> Void)?
    ) throws -> EmbeddingBook.Report {
        let sources = notes.map { EmbeddingBook.Source(entityId: $0.embeddingKey, content: $0.text) }
        return try book.refresh(sources, in: store) { missing in
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

    /// The `k` event notes (or projects, by their nearest description or note) nearest in meaning to
    /// `text`, after bringing the stored vectors up to date. One query scans every text exactly (at scale
    /// 1, about 200,000 texts of 384 entries, milliseconds): a graph pays for its build only over many
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

    /// The event notes and the projects' descriptions with their stored vectors, ready to search.
    /// Texts whose current wording has no stored vector are embedded first, up to `embedUpTo` of them
    /// per kind, the newest first (the CLI passes `Int.max`: all of them, which takes minutes on a
    /// large database the first time, and removes the vectors of texts that are gone; the server a few
    /// hundred per read, so that recent events are found and no request waits for a whole database);
    /// the rest is counted as `pending` (`decisioning embeddings refresh --notes` embeds them).
    public func textSearchCorpus(
        embedder: SentenceEmbedder, embedUpTo: Int, progress: ((Int, Int) -> Void)? = nil, cancellation: CancellationFlag? = nil
    ) throws -> TextSearchCorpus {
        let notes = try textPart(
            try eventNotes(), book: Self.noteBook(embedder), embedder: embedder, embedUpTo: embedUpTo, progress: progress,
            cancellation: cancellation)
        let descriptions = try textPart(
            try projectDescriptions(), book: Self.descriptionBook(embedder), embedder: embedder, embedUpTo: embedUpTo,
            progress: progress, cancellation: cancellation)
        try cancellation?.check("search the event notes")
        return try TextSearchCorpus(
            model: embedder.model, dimension: embedder.dimension, notes: notes.kept + descriptions.kept,
            vectors: notes.vectors + descriptions.vectors, refreshed: notes.refreshed, descriptionsRefreshed: descriptions.refreshed,
            pending: (notes.pending + descriptions.pending).map { TextSearchCorpus.Kind($0) })
    }

    /// One kind of text (notes or descriptions) with the vectors stored for its current wording,
    /// after embedding what is missing as `textSearchCorpus` says.
    private func textPart(
        _ notes: [EventNote], book: EmbeddingBook, embedder: SentenceEmbedder, embedUpTo: Int, progress: ((Int, Int) -> Void)?,
        cancellation: CancellationFlag?
    ) throws -> (kept: [EventNote], vectors: [[Float]], refreshed: EmbeddingBook.Report?, pending: [EventNote]) {
        let sources = notes.map { EmbeddingBook.Source(entityId: $0.embeddingKey, content: $0.text) }
        let lookup = try book.lookup(sources, in: store, cancellation: cancellation)
        var stored = lookup.vectors
        let missing = stored.indices.filter { stored[$0] == nil }
        var refreshed: EmbeddingBook.Report?
        if embedUpTo == .max, missing.isEmpty, lookup.stale == 0 {
            // Everything is current: what a full refresh would report, without its second read of every vector.
            refreshed = EmbeddingBook.Report(
                entityType: book.entityType, model: embedder.model, unchanged: notes.count, computed: 0, removed: 0,
                dimension: nil)
        } else if embedUpTo == .max || (!missing.isEmpty && missing.count <= embedUpTo) {
            // Every missing text at once: a full refresh, which also drops the vectors of texts that are gone or changed.
            refreshed = try refreshTextEmbeddings(notes: notes, book: book, embedder: embedder, progress: progress)
            stored = try book.stored(sources, in: store, cancellation: cancellation)
        } else if !missing.isEmpty, embedUpTo > 0 {
            // Too many to embed now: the newest, by time then id, so that what was just ingested is found.
            let newest = missing.sorted {
                (notes[$0].timestamp, notes[$0].embeddingKey) > (notes[$1].timestamp, notes[$1].embeddingKey)
            }
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
                entityType: book.entityType, model: embedder.model, unchanged: notes.count - missing.count, computed: newest.count,
                removed: 0, dimension: embedder.dimension)
        }
        var kept: [EventNote] = []
        var vectors: [[Float]] = []
        var pending: [EventNote] = []
        for (note, vector) in zip(notes, stored) {
            guard let vector, vector.count == embedder.dimension else {
                pending.append(note)
                continue
            }
            kept.append(note)
            vectors.append(vector)
        }
        return (kept, vectors, refreshed, pending)
    }
}

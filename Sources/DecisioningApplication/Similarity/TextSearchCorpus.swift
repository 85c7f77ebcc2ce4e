public import DecisioningEmbedding
import DecisioningVectors
import Foundation

/// The event notes a text search runs over, with their stored vectors in one exact index: built once
/// (`Application.textSearchCorpus`) and searched many times, as `decisioning serve` does between
/// refreshes. Notes whose current text has no stored vector yet are counted in `pending` and not searched.
public struct TextSearchCorpus: Sendable {
    /// The text model whose vectors are searched.
    public let model: String
    /// What the refresh before the build did; nil when the corpus was built from the stored vectors alone.
    public let refreshed: EmbeddingBook.Report?
    /// Notes with no stored vector for their current text (a refresh embeds them).
    public let pending: Int
    /// The searched notes, one per row of `index`.
    let notes: [Application.EventNote]
    let index: VectorIndex?
    let dimension: Int

    /// How many notes a search looks at.
    public var searched: Int { notes.count }

    init(model: String, dimension: Int, notes: [Application.EventNote], vectors: [[Float]], refreshed: EmbeddingBook.Report?, pending: Int)
        throws
    {
        self.model = model
        self.dimension = dimension
        self.notes = notes
        self.refreshed = refreshed
        self.pending = pending
        if notes.isEmpty {
            index = nil
        } else {
            let base = try VectorMatrix(rows: notes.count, dimensions: dimension, values: vectors.flatMap { $0 })
            index = try VectorIndex(base: base, metric: .cosine, exact: true)
        }
    }

    /// The `k` notes (or projects, by their nearest note) nearest in meaning to `text`. One query scans
    /// every note exactly (at scale 1, about 100,000 notes of 384 entries: a few milliseconds).
    ///
    /// - Throws: `TextSearchError.invalidQuery` for an empty text or one above 2,000 characters,
    ///   `SimilarityError.invalidK` outside 1...1000, `TextSearchError.modelMismatch` when `embedder` is
    ///   not the corpus's model.
    public func search(_ text: String, entity: TextSearchResult.Entity = .events, k: Int = 10, embedder: SentenceEmbedder) throws
        -> TextSearchResult
    {
        let clock = ContinuousClock()
        let start = clock.now
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty, query.count <= 2000 else { throw TextSearchError.invalidQuery(length: query.count) }
        guard (1...1000).contains(k) else { throw SimilarityError.invalidK(k) }
        guard embedder.model == model, embedder.dimension == dimension else {
            throw TextSearchError.modelMismatch(corpus: model, embedder: embedder.model)
        }
        var hits: [TextSearchResult.Hit] = []
        if let index {
            let queries = try VectorMatrix(rows: 1, dimensions: dimension, values: try embedder.embed([query])[0])
            // Projects are ranked by their nearest note: search more notes, keep each project's best.
            let wanted = entity == .events ? k : min(notes.count, k * 20)
            let result = try index.search(queries, k: wanted, ef: max(64, wanted * 2))
            var seenProjects = Set<String>()
            for (row, distance) in zip(result.neighbors(ofQuery: 0), result.distances(ofQuery: 0)) {
                let note = notes[row]
                if entity == .projects {
                    guard note.entityType == "PROJECT", seenProjects.insert(note.entityId).inserted else { continue }
                }
                hits.append(
                    TextSearchResult.Hit(
                        eventId: note.eventId, entityType: note.entityType, entityId: note.entityId, eventType: note.eventType,
                        timestamp: note.timestamp, text: note.text,
                        // Rounding can put an exact match a hair above 1.
                        similarity: min(1, max(-1, 1 - Double(distance)))))
                if hits.count == k { break }
            }
        }
        return TextSearchResult(
            query: query, entity: entity, model: model, k: k, method: "exact", searched: notes.count, pending: pending,
            refreshed: refreshed
                ?? EmbeddingBook.Report(
                    entityType: "EVENT", model: model, unchanged: notes.count, computed: 0, removed: 0, dimension: dimension),
            hits: hits, seconds: (clock.now - start).seconds)
    }
}

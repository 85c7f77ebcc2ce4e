public import DecisioningEmbedding
import DecisioningVectors
import Foundation

/// The event notes and project descriptions a text search runs over, with their stored vectors in one
/// exact index: built once (`Application.textSearchCorpus`) and searched many times, as `decisioning
/// serve` does between refreshes. Texts whose current wording has no stored vector yet are counted in
/// `pending` and not searched.
public struct TextSearchCorpus: Sendable {
    /// The text model whose vectors are searched.
    public let model: String
    /// What the refresh before the build did; nil when the corpus was built from the stored vectors alone.
    public let refreshed: EmbeddingBook.Report?
    /// The same for the projects' descriptions.
    public let descriptionsRefreshed: EmbeddingBook.Report?
    /// Texts with no stored vector for their current wording (a refresh embeds them).
    public let pending: Int
    /// The searched texts (notes, then descriptions), one per row of `index`.
    let notes: [Application.EventNote]
    let index: VectorIndex?
    let dimension: Int
    /// Per entity, computed once for every search: which rows it looks at, how many, and how many
    /// texts of those kinds are pending.
    let scopes: [TextSearchResult.Entity: Scope]

    /// The texts a search of one entity looks at.
    struct Scope: Sendable {
        var rows: [Bool]
        var searched: Int
        var pending: Int
    }

    /// How many texts a search looks at.
    public var searched: Int { notes.count }

    /// What a text is, as far as a search cares: a note (about a project or not) or a description.
    struct Kind: Sendable {
        var source: TextSearchResult.Source
        var aboutProject: Bool

        init(_ note: Application.EventNote) {
            source = note.source
            aboutProject = note.entityType == "PROJECT"
        }

        /// Whether a search of `entity` looks at texts of this kind.
        func searched(by entity: TextSearchResult.Entity) -> Bool {
            entity == .events ? source == .note : aboutProject
        }
    }

    init(
        model: String, dimension: Int, notes: [Application.EventNote], vectors: [[Float]], refreshed: EmbeddingBook.Report?,
        descriptionsRefreshed: EmbeddingBook.Report? = nil, pending: [Kind]
    ) throws {
        self.model = model
        self.dimension = dimension
        self.notes = notes
        self.refreshed = refreshed
        self.descriptionsRefreshed = descriptionsRefreshed
        self.pending = pending.count
        var scopes: [TextSearchResult.Entity: Scope] = [:]
        for entity in TextSearchResult.Entity.allCases {
            let rows = notes.map { Kind($0).searched(by: entity) }
            scopes[entity] = Scope(
                rows: rows, searched: rows.count(where: { $0 }), pending: pending.count(where: { $0.searched(by: entity) }))
        }
        self.scopes = scopes
        if notes.isEmpty {
            index = nil
        } else {
            // One allocation of the final size (`flatMap` grows its result by doubling: copies and fresh pages).
            var values: [Float] = []
            values.reserveCapacity(notes.count * dimension)
            for vector in vectors { values.append(contentsOf: vector) }
            let base = try VectorMatrix(rows: notes.count, dimensions: dimension, values: values)
            index = try VectorIndex(base: base, metric: .cosine, exact: true)
        }
    }

    /// The `k` notes (or projects, by their nearest description or note) nearest in meaning to `text`.
    /// One query scans every text exactly (at scale 1, about 200,000 texts of 384 entries: milliseconds).
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
            // Events search the notes only; projects are ranked by their nearest text (description or
            // note): search more texts, keep each project's best.
            let eligible = scopes[entity]?.rows ?? []
            let filter: @Sendable (Int) -> Bool = { eligible[$0] }
            let wanted = entity == .events ? k : min(notes.count, k * 20)
            let result = try index.search(queries, k: wanted, ef: max(64, wanted * 2), filter: filter)
            var seenProjects = Set<String>()
            for (row, distance) in zip(result.neighbors(ofQuery: 0), result.distances(ofQuery: 0)) where row >= 0 {
                let note = notes[row]
                if entity == .projects {
                    guard seenProjects.insert(note.entityId).inserted else { continue }
                }
                let isNote = note.source == .note
                hits.append(
                    TextSearchResult.Hit(
                        source: note.source, eventId: isNote ? note.eventId : nil, entityType: note.entityType, entityId: note.entityId,
                        eventType: isNote ? note.eventType : nil, timestamp: note.timestamp, text: note.text,
                        // Rounding can put an exact match a hair above 1.
                        similarity: min(1, max(-1, 1 - Double(distance)))))
                if hits.count == k { break }
            }
        }
        return TextSearchResult(
            query: query, entity: entity, model: model, k: k, method: "exact",
            searched: scopes[entity]?.searched ?? 0, pending: scopes[entity]?.pending ?? 0,
            refreshed: refreshed
                ?? EmbeddingBook.Report(
                    entityType: "EVENT", model: model, unchanged: scopes[.events]?.searched ?? 0, computed: 0, removed: 0,
                    dimension: dimension),
            descriptionsRefreshed: descriptionsRefreshed, hits: hits, seconds: (clock.now - start).seconds)
    }
}

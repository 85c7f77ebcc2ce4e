import Crypto
import DecisioningCore
public import DecisioningStore
import Foundation

/// Keeps one kind of vector in `business_embeddings` in step with its sources, touching only what
/// changed: each row's id is a digest of the model, the entity and the content its vector was made
/// from, so an entity whose content is unchanged keeps its row, a changed one gets a new row (its
/// old one deleted), and an entity that is gone loses its row. Vectors are computed only for new
/// ids, and the whole change commits in one batch.
///
/// A book owns the rows of its entity type whose model belongs to its model's family (the name before
/// `@` or `#`): a project's case vector (`project-case@…`) and the embedding of its description
/// (`all-MiniLM-L6-v2@…`) are kept by two books that leave each other's rows alone.
public struct EmbeddingBook: Sendable {
    /// `PROJECT`, `CUSTOMER`, `EVENT`: the rows' `entity_type`.
    public let entityType: String
    /// The rows' `embedding_model`: the featurizer or text model, its version and what it was fitted on.
    public let model: String

    public init(entityType: String, model: String) {
        self.entityType = entityType
        self.model = model
    }

    /// One entity's source: its id and the content its vector is computed from (any canonical text).
    public struct Source: Sendable {
        public var entityId: String
        public var content: String
        public init(entityId: String, content: String) {
            self.entityId = entityId
            self.content = content
        }
    }

    /// What a refresh did.
    public struct Report: Sendable, Equatable, Codable {
        public var entityType: String
        public var model: String
        public var unchanged: Int
        public var computed: Int
        public var removed: Int
        public var dimension: Int?
    }

    /// The model's family: its name before the first `@` or `#` (the version and fit that follow
    /// change; the family does not). A row is the family's when its model is the family itself or
    /// begins with it and then `@` or `#` (so `project-case-v2@…` is not `project-case`'s).
    public var family: String {
        String(model.prefix { $0 != "@" && $0 != "#" })
    }

    /// The row id of `source` under this book: `<entity type>:` and 32 hex digits of
    /// SHA-256(model, entity, content).
    public func embeddingId(_ source: Source) -> String {
        let digest = SHA256.hash(data: Data([model, source.entityId, source.content].joined(separator: "\u{1F}").utf8))
        return entityType.lowercased().prefix(8) + ":" + digest.prefix(16).hexDigits
    }

    /// Brings the stored rows of this entity type in step with `sources`: computes vectors (by
    /// `compute`, given the sources that need one, in order) only for new or changed content, and
    /// deletes rows of entities that are gone or of another model of the same family. Atomic.
    public func refresh(
        _ sources: [Source], in store: any Store, cancellation: CancellationFlag? = nil,
        compute: ([Source]) throws -> [[Float]]
    ) throws -> Report {
        let existing = try store.query(
            "SELECT embedding_id FROM business_embeddings WHERE " + Self.familyFilter, arguments: familyArguments,
            columnTypes: [.text(maxLength: 50)], cancellation: cancellation
        ).compactMap { row -> String? in
            if case .text(let id) = row[0] { return id }
            return nil
        }
        let stored = Set(existing)
        var wanted = Set<String>()
        var missing: [(id: String, source: Source)] = []
        for source in sources {
            let id = embeddingId(source)
            guard wanted.insert(id).inserted else { continue }
            if !stored.contains(id) { missing.append((id, source)) }
        }
        let stale = existing.filter { !wanted.contains($0) }
        let vectors = try compute(missing.map(\.source))
        guard vectors.count == missing.count else {
            throw StoreError.invalidArgument("the embedder returned \(vectors.count) vectors for \(missing.count) texts")
        }
        let dimension = vectors.first?.count
        if let dimension, vectors.contains(where: { $0.count != dimension || !$0.allSatisfy(\.isFinite) }) {
            throw StoreError.invalidArgument("vectors of \(entityType) must all have \(dimension) finite entries")
        }
        if let dimension { try store.fitVectorColumn(dimension: dimension) }
        try store.writeBatch(cancellation: cancellation) { writer in
            for chunk in stride(from: 0, to: stale.count, by: 500).map({ stale[$0..<min(stale.count, $0 + 500)] }) {
                try writer.execute(
                    "DELETE FROM business_embeddings WHERE embedding_id IN (" + chunk.map { _ in "?" }.joined(separator: ",") + ")",
                    arguments: chunk.map { .text($0) })
            }
            let inserter = try writer.inserter(
                for: Catalog.businessEmbeddings,
                columns: ["embedding_id", "entity_type", "entity_id", "embedding_vector", "embedding_model"],
                onConflict: .replace)
            for (item, vector) in zip(missing, vectors) {
                _ = try inserter.insert([.text(item.id), .text(entityType), .text(item.source.entityId), .vector(vector), .text(model)])
            }
            _ = try inserter.flush()
        }
        return Report(
            entityType: entityType, model: model, unchanged: sources.count - missing.count, computed: missing.count, removed: stale.count,
            dimension: dimension)
    }

    /// Stores the vectors of `sources` (computed by `compute`, in order) without touching any other
    /// row: what a partial refresh does when only some of the missing vectors are computed now (a full
    /// `refresh` later also removes the rows of entities that are gone). Atomic.
    public func add(
        _ sources: [Source], in store: any Store, cancellation: CancellationFlag? = nil, compute: ([Source]) throws -> [[Float]]
    )
        throws
    {
        guard !sources.isEmpty else { return }
        let vectors = try compute(sources)
        guard vectors.count == sources.count, let dimension = vectors.first?.count,
            !vectors.contains(where: { $0.count != dimension || !$0.allSatisfy(\.isFinite) })
        else {
            throw StoreError.invalidArgument(
                "the embedder returned \(vectors.count) vectors for \(sources.count) texts, not all finite and alike")
        }
        try store.fitVectorColumn(dimension: dimension)
        try store.writeBatch(cancellation: cancellation) { writer in
            let inserter = try writer.inserter(
                for: Catalog.businessEmbeddings,
                columns: ["embedding_id", "entity_type", "entity_id", "embedding_vector", "embedding_model"],
                onConflict: .replace)
            for (source, vector) in zip(sources, vectors) {
                _ = try inserter.insert([
                    .text(embeddingId(source)), .text(entityType), .text(source.entityId), .vector(vector), .text(model),
                ])
            }
            _ = try inserter.flush()
        }
    }

    /// What ``lookup(_:in:cancellation:)`` found.
    public struct Lookup: Sendable {
        /// The stored vector of each source's current content, in the order of the sources: nil for a
        /// source whose content has none yet (new or changed since the last refresh).
        public var vectors: [[Float]?]
        /// The rows of the book's family that belong to no source's current content (of entities that
        /// are gone, of old content, or of another model of the family): what a full `refresh` removes.
        public var stale: Int
    }

    /// The stored vector of each source's current content, in the order of `sources`: nil for a source
    /// whose content has none yet (new or changed since the last refresh).
    public func stored(_ sources: [Source], in store: any Store, cancellation: CancellationFlag? = nil) throws -> [[Float]?] {
        try lookup(sources, in: store, cancellation: cancellation).vectors
    }

    /// The stored vector of each source's current content and how many of the family's rows no source
    /// has, from one read of the family's rows, so a caller can tell whether a `refresh` would change
    /// anything.
    public func lookup(_ sources: [Source], in store: any Store, cancellation: CancellationFlag? = nil) throws -> Lookup {
        var byId: [String: [Float]] = [:]
        var otherModels = 0
        for row in try store.query(
            "SELECT embedding_id, embedding_model, embedding_vector FROM business_embeddings WHERE " + Self.familyFilter,
            arguments: familyArguments, columnTypes: [.text(maxLength: 50), .text(maxLength: 100), .vector(dimensions: 16383)],
            cancellation: cancellation)
        {
            guard case .text(let id) = row[0] else { continue }
            if case .text(let rowModel) = row[1], rowModel == model, case .vector(let v) = row[2] {
                byId[id] = v
            } else {
                otherModels += 1
            }
        }
        var matched = Set<String>()
        matched.reserveCapacity(min(sources.count, byId.count))
        let vectors = sources.map { source -> [Float]? in
            let id = embeddingId(source)
            guard let vector = byId[id] else { return nil }
            matched.insert(id)
            return vector
        }
        return Lookup(vectors: vectors, stale: otherModels + byId.count - matched.count)
    }

    /// The rows of a book's family: its entity type, and a model that is the family's name or begins
    /// with it and then `@` or `#` (``familyArguments`` fill it in).
    private static let familyFilter = "entity_type = ? AND (embedding_model = ? OR SUBSTR(embedding_model, 1, ?) IN (?, ?))"

    /// The arguments of ``familyFilter``: the entity type, then the model's family as a name and as the
    /// start of a versioned name.
    private var familyArguments: [Value] {
        [.text(entityType), .text(family), .integer(Int64(family.count + 1)), .text(family + "@"), .text(family + "#")]
    }

    /// Every stored vector of this entity type under this model: (entity id, vector), by entity id.
    public func load(from store: any Store, cancellation: CancellationFlag? = nil) throws -> [(entityId: String, vector: [Float])] {
        try store.query(
            "SELECT entity_id, embedding_vector FROM business_embeddings WHERE entity_type = ? AND embedding_model = ? ORDER BY entity_id",
            arguments: [.text(entityType), .text(model)], columnTypes: [.text(maxLength: 50), .vector(dimensions: 16383)],
            cancellation: cancellation
        ).compactMap { row in
            guard case .text(let id) = row[0], case .vector(let v) = row[1] else { return nil }
            return (id, v)
        }
    }
}

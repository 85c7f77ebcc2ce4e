public import Foundation

/// What `decisioning search` found: the texts (event notes) nearest in meaning to a query.
public struct TextSearchResult: Sendable, Codable {
    /// What is searched.
    public enum Entity: String, Sendable, Codable, CaseIterable {
        /// Event notes, one hit per event.
        case events
        /// Projects, ranked by the note about them nearest to the query.
        case projects
    }

    /// One hit: the note, where it was written, and its cosine similarity to the query.
    public struct Hit: Sendable, Codable, Equatable {
        public var eventId: String
        /// PROJECT or CUSTOMER: what the event is about.
        public var entityType: String
        public var entityId: String
        public var eventType: String
        public var timestamp: String
        public var text: String
        /// Cosine similarity of the note's and the query's embeddings (1: the same meaning).
        public var similarity: Double
    }

    public var query: String
    public var entity: Entity
    /// The text model (`all-MiniLM-L6-v2@…`).
    public var model: String
    public var k: Int
    /// exact or hnsw.
    public var method: String
    /// How many notes were searched.
    public var searched: Int
    /// Notes not searched because their text has no stored vector yet: 0 from `decisioning search`,
    /// which embeds them first; the server embeds up to 256 per read of the notes, the newest first.
    public var pending: Int
    /// What the refresh of the stored note vectors before the search did.
    public var refreshed: EmbeddingBook.Report
    public var hits: [Hit]
    public var seconds: Double
}

extension TextSearchResult {
    /// The JSON of `decisioning search --format json` and `GET /api/v1/search`: snake-case keys, sorted.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

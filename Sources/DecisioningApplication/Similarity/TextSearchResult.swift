public import Foundation

/// What `decisioning search` found: the texts (event notes, project descriptions) nearest in meaning to a query.
public struct TextSearchResult: Sendable, Codable {
    /// What is searched.
    public enum Entity: String, Sendable, Codable, CaseIterable {
        /// Event notes, one hit per event.
        case events
        /// Projects, ranked by the text about them nearest to the query: their description or a note
        /// on one of their events.
        case projects
    }

    /// Where a hit's text was written.
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// A note in an event's `event_data`.
        case note
        /// The project's `projects.description`.
        case description
    }

    /// One hit: the text, where it was written, and its cosine similarity to the query.
    public struct Hit: Sendable, Codable, Equatable {
        public var source: Source
        /// The event of a note; absent for a description.
        public var eventId: String?
        /// PROJECT or CUSTOMER: what the text is about.
        public var entityType: String
        public var entityId: String
        /// The event's type; absent for a description.
        public var eventType: String?
        /// When the event happened, or when the project was created.
        public var timestamp: String
        public var text: String
        /// Cosine similarity of the text's and the query's embeddings (1: the same meaning).
        public var similarity: Double
    }

    public var query: String
    public var entity: Entity
    /// The text model (`all-MiniLM-L6-v2@…`).
    public var model: String
    public var k: Int
    /// exact or hnsw.
    public var method: String
    /// How many texts were searched: the notes for events; for projects, their descriptions and the
    /// notes about them.
    public var searched: Int
    /// Texts of the same kinds not searched because their wording has no stored vector yet: 0 from
    /// `decisioning search`, which embeds them first; the server embeds up to 256 notes and 256
    /// descriptions per read, the newest first.
    public var pending: Int
    /// What the refresh of the stored note vectors before the search did.
    public var refreshed: EmbeddingBook.Report
    /// What the refresh of the stored description vectors did; absent when none was needed or made.
    public var descriptionsRefreshed: EmbeddingBook.Report?
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

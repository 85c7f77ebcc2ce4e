/// Why a text search was refused; each case says what to do.
public enum TextSearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An empty query, or one above 2,000 characters.
    case invalidQuery(length: Int)
    /// A corpus built with one text model searched with another's query vector.
    case modelMismatch(corpus: String, embedder: String)

    public var description: String {
        switch self {
        case .invalidQuery(let length):
            return length == 0
                ? "the search text is empty: give a few words, e.g. \"client escalated about staff turnover\""
                : "the search text has \(length) characters; give at most 2,000"
        case .modelMismatch(let corpus, let embedder):
            return "the notes were embedded with \(corpus) but the query with \(embedder); search with the same model"
        }
    }
}

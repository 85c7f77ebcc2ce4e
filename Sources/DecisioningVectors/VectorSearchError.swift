/// A search that cannot run as asked: sizes that disagree, k below 1, a parameter out of range. The
/// message says what was wrong and what is allowed.
public struct VectorSearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong and what is allowed.
    public let message: String
    /// The input row refused, when the error is about one row (of the base or of the queries): a
    /// caller that knows which file the rows came from can name it.
    public let row: Int?

    /// An error with its message.
    public init(_ message: String) {
        self.message = message
        row = nil
    }

    /// An error about input row `row`.
    public init(_ message: String, row: Int) {
        self.message = message
        self.row = row
    }

    public var description: String { message }
}

/// A search that cannot run as asked: sizes that disagree, k below 1, a parameter out of range. The
/// message says what was wrong and what is allowed.
public struct VectorSearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong and what is allowed.
    public let message: String

    /// An error with its message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

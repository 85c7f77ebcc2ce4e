/// An error an agent reports; `retryable` errors (a busy database, a lost connection) are retried with backoff.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var retryable: Bool

    public init(_ message: String, retryable: Bool = false) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }

    /// A value the computation needs is missing from a query's result or an agent's data.
    static func missing(_ what: String) -> AgentError { AgentError("missing \(what)") }
}

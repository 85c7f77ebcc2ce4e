/// Sends one request to an OpenAI-compatible `/chat/completions` and says what came back. The service's
/// HTTP client implements it (`HTTPChatTransport`); tests may give their own.
public protocol ChatCompletionTransport: Sendable {
    /// Posts `body` (JSON) to `url` with `headers` within `timeoutSeconds`; never throws: every outcome is a `ChatExchange`.
    func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutSeconds: Double) async -> ChatExchange
}

/// What one request to the language model came to.
public enum ChatExchange: Sendable, Equatable {
    /// The server answered with this status and body (cut at the transport's limit).
    case response(status: Int, body: [UInt8])
    /// No answer within the time allowed.
    case timedOut(seconds: Double)
    /// No answer at all: refused, unreachable, cancelled; the reason says which.
    case failed(String)
}

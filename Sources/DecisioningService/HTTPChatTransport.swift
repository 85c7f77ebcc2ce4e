import AsyncHTTPClient
public import DecisioningApplication
import NIOCore

/// The language model's transport over HTTP(S) with AsyncHTTPClient (`questions.llm`): redirects are not
/// followed, the whole request is bounded by the configured timeout, the answer's body is read up to 1 MiB.
public struct HTTPChatTransport: ChatCompletionTransport {
    /// The most bytes of an answer read.
    static let maxAnswer = 1 << 20

    public init() {}

    public func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutSeconds: Double) async
        -> ChatExchange
    {
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .POST
        for header in headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: body))
        let timeout = TimeAmount.milliseconds(Int64(max(0.001, timeoutSeconds) * 1000))
        do {
            let response = try await HTTPWebhookTransport.client.execute(outgoing, timeout: timeout)
            let answer = try await response.body.collect(upTo: Self.maxAnswer)
            return .response(status: Int(response.status.code), body: Array(answer.readableBytesView))
        } catch {
            switch HTTPWebhookTransport.classify(error, timeout: timeoutSeconds) {
            case .timedOut(let seconds): return .timedOut(seconds: seconds)
            case .refused(let reason): return .failed("connection refused: \(reason)")
            case .failed(let reason): return .failed(reason)
            case .response(let status, _): return .failed("HTTP \(status)")
            case .notSent(let reason): return .failed(reason)
            }
        }
    }
}

import AsyncHTTPClient
public import DecisioningApplication
import NIOCore

/// The language model's transport over HTTP(S) with AsyncHTTPClient (`questions.llm`): redirects are not
/// followed, and one deadline bounds the whole exchange, the answer's body included (AsyncHTTPClient's own
/// deadline ends with the response head, so the body is raced against a timer); the body is read up to 1 MiB.
public struct HTTPChatTransport: ChatCompletionTransport {
    /// The most bytes of an answer read.
    static let maxAnswer = 1 << 20

    /// A client of its own: its read timeout is above the longest `questions.llm.timeout` (120 s), so only the
    /// deadline decides. It lives as long as the process, so it is never shut down.
    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(150)), connectionPool: .init(),
            decompression: .disabled))

    public init() {}

    public func post(url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutSeconds: Double) async
        -> ChatExchange
    {
        let seconds = timeoutSeconds.isFinite ? min(max(0.001, timeoutSeconds), 3_600) : 10
        return await withTaskGroup(of: ChatExchange?.self) { group in
            group.addTask { await Self.exchange(url: url, headers: headers, body: body, seconds: seconds) }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                return Task.isCancelled ? nil : .timedOut(seconds: seconds)
            }
            var outcome: ChatExchange = .timedOut(seconds: seconds)
            while let next = await group.next() {
                guard let next else { continue }
                outcome = next
                break
            }
            group.cancelAll()
            return outcome
        }
    }

    /// The request and its whole body, or what went wrong.
    static func exchange(url: String, headers: [(name: String, value: String)], body: [UInt8], seconds: Double) async -> ChatExchange {
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .POST
        for header in headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(seconds * 1000)))
            let answer = try await response.body.collect(upTo: maxAnswer)
            return .response(status: Int(response.status.code), body: Array(answer.readableBytesView))
        } catch is NIOTooManyBytesError {
            return .failed("the answer is larger than \(maxAnswer / (1 << 20)) MiB")
        } catch {
            switch HTTPWebhookTransport.classify(error, timeout: seconds) {
            case .timedOut(let s): return .timedOut(seconds: s)
            case .refused(let reason): return .failed("connection refused: \(reason)")
            case .failed(let reason): return .failed(reason)
            case .response(let status, _): return .failed("HTTP \(status)")
            case .notSent(let reason): return .failed(reason)
            }
        }
    }
}

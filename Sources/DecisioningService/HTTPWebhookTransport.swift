import AsyncHTTPClient
public import DecisioningApplication
import Foundation
import NIOCore

/// The webhook transport over HTTP(S) with AsyncHTTPClient. Redirects are not followed (a 3xx is
/// an answer, recorded as a failure); the connect and whole-request times are bounded.
public struct HTTPWebhookTransport: WebhookTransport {
    /// One client for the process: it lives as long as the process, so it is never shut down.
    static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60)), connectionPool: .init(),
            decompression: .disabled))

    public init() {}

    public func send(_ request: SignedWebhookRequest) async -> WebhookAttempt {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let timeout = TimeAmount.milliseconds(Int64(max(0.001, request.timeoutSeconds) * 1000))
        do {
            let response = try await Self.client.execute(outgoing, timeout: timeout)
            // The answer's body is read (and dropped) so the connection can serve the next attempt.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return .response(status: Int(response.status.code), location: response.headers.first(name: "location"))
        } catch {
            return Self.classify(error, timeout: request.timeoutSeconds)
        }
    }

    /// A failed request as an attempt: a timeout, a refused connection, or another failure.
    static func classify(_ error: any Error, timeout: Double) -> WebhookAttempt {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return .timedOut(seconds: timeout) }
            if error == .cancelled { return .failed("cancelled") }
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return .refused("\(error)") }
        let text = String(describing: error)
        if text.lowercased().contains("refused") { return .refused(text) }
        if text.lowercased().contains("timed out") || text.lowercased().contains("timeout") { return .timedOut(seconds: timeout) }
        return .failed(text)
    }
}

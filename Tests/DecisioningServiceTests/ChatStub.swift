import DecisioningCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A stand-in for an OpenAI-compatible server on 127.0.0.1 (`POST /v1/chat/completions`): it records every
/// request and answers as the test says: a content (the model's reply), an error status, or nothing in time.
final class ChatStub: Sendable {
    struct Reply: Sendable {
        var status = 200
        /// The assistant message's content, or the whole body when `raw`.
        var content = ""
        var raw = false
        /// Answer 400 "response_format json_schema is not supported" to requests asking for a schema.
        var refuseSchemas = false
        var delay: Duration = .zero
        /// Send the head and the body's first byte at once, the rest after this long.
        var slowBody: Duration = .zero
    }

    struct Received: Sendable {
        var body: JSONValue
        var authorization: String?
        var formatType: String? {
            guard case .object(let o) = body, case .object(let f)? = o["response_format"], case .string(let t)? = f["type"] else {
                return nil
            }
            return t
        }
        var systemMessage: String {
            guard case .object(let o) = body, case .array(let messages)? = o["messages"], case .object(let m)? = messages.first,
                case .string(let text)? = m["content"]
            else { return "" }
            return text
        }
    }

    private let state = Mutex<(reply: Reply, received: [Received])>((Reply(), []))

    var received: [Received] { state.withLock { $0.received } }

    func answer(_ reply: Reply) { state.withLock { $0 = (reply, []) } }

    /// `content` as the model's JSON request.
    func answer(request json: String) { answer(Reply(content: json)) }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let body = (try? StrictJSON.parse(Array(bytes.readableBytesView))) ?? .null
            let seen = Received(body: body, authorization: request.headers[.authorization])
            let reply = self.state.withLock { state in
                state.received.append(seen)
                return state.reply
            }
            if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
            if reply.refuseSchemas && seen.formatType == "json_schema" {
                return Self.response(400, #"{"error": {"message": "response_format json_schema is not supported by this server"}}"#)
            }
            if reply.slowBody > .zero {
                let (pause, text) = (reply.slowBody, reply.content)
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: String(text.prefix(1))))
                        try await Task.sleep(for: pause)
                        try await writer.write(ByteBuffer(string: String(text.dropFirst())))
                        try await writer.finish(nil)
                    })
            }
            if reply.raw || reply.status != 200 { return Self.response(reply.status, reply.content) }
            let completion: JSONValue = .object([
                "id": .string("stub-1"), "object": .string("chat.completion"),
                "choices": .array([
                    .object([
                        "index": .number(0), "finish_reason": .string("stop"),
                        "message": .object(["role": .string("assistant"), "content": .string(reply.content)]),
                    ])
                ]),
            ])
            return Self.response(200, String(decoding: try JSONEncoder().encode(completion), as: UTF8.self))
        }
        return Hummingbird.Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func response(_ status: Int, _ body: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

import DecisioningApplication
import DecisioningCore
import Foundation
import HTTPTypes
import Hummingbird

/// Building JSON answers and reading small JSON request bodies.
enum JSONBody {
    /// A JSON response of `value`.
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        text(value.canonicalText, status: status, headers: headers)
    }

    /// A JSON response of text that already is JSON.
    static func text(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// A response with `contentType`.
    static func typed(_ body: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        typed(ByteBuffer(string: body), contentType: contentType, status: status)
    }

    /// A response of bytes made beforehand (a cached answer: its storage is shared, not copied).
    static func typed(_ bytes: ByteBuffer, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: bytes))
    }

    /// Any Encodable as a JSON value, encoded as results.json encodes it (snake_case keys, money as decimal strings).
    static func value(of encodable: some Encodable) throws -> JSONValue { try DecisionDocument.value(of: encodable) }

    /// The request's body as a JSON object with only `allowed` keys (an empty body is an empty object).
    /// - Throws: 400 naming what is wrong, 413 when larger than `limit`, 415 for a non-JSON content type.
    static func object(of request: Request, allowed: [String], limit: Int = 64 * 1024) async throws -> [String: JSONValue] {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type", detail: "send the body as application/json (got \(type))")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(status: .contentTooLarge, title: "Content Too Large", detail: "the body may have at most \(limit) bytes")
        }
        if buffer.readableBytes == 0 { return [:] }
        let value: JSONValue
        do {
            value = try StrictJSON.parse(Array(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("the body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else { throw Problem.badRequest("the body must be a JSON object, found \(value.summary)") }
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw Problem.badRequest(
                "unknown field '\(TerminalText.quoted(key))'; expected: \(allowed.joined(separator: ", "))", extra: ["field": .string(key)])
        }
        return object
    }
}

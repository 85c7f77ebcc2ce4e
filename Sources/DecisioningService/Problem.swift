public import DecisioningCore
import Foundation
public import HTTPTypes
public import Hummingbird

/// An error answered as `application/problem+json` (RFC 9457): a status, a short title, a detail
/// that says what to fix, and extra members (`run_id` of a conflicting run, say).
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var extra: [String: JSONValue]
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, title: String, detail: String, extra: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = extra
        fields["type"] = .string("about:blank")
        fields["title"] = .string(title)
        fields["status"] = .number(Double(status.code))
        fields["detail"] = .string(detail)
        fields["instance"] = .string(request.uri.path)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(fields).canonicalText)))
    }

    static func unauthorized() -> Problem {
        Problem(
            status: .unauthorized, title: "Unauthorized",
            detail: "send an API key as 'Authorization: Bearer KEY'; create one with `decisioning keys create --role viewer --name NAME`",
            headers: [.wwwAuthenticate: "Bearer"])
    }

    static func notFound(_ detail: String) -> Problem { Problem(status: .notFound, title: "Not Found", detail: detail) }

    static func badRequest(_ detail: String, extra: [String: JSONValue] = [:]) -> Problem {
        Problem(status: .badRequest, title: "Bad Request", detail: detail, extra: extra)
    }
}

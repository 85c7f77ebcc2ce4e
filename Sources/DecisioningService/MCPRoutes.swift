import DecisioningApplication
import DecisioningMCP
import Foundation
import HTTPTypes
import Hummingbird
import MCP

/// `POST /mcp`: the MCP tools over the streamable HTTP transport, stateless (JSON answers, no
/// session). The key of `Authorization: Bearer` decides what the tools may do, as on `/api/v1`:
/// any role reads, `start_run` needs analyst. GET and DELETE are 405 (no server-sent stream).
struct MCPRoutes {
    let state: ServiceState

    /// The largest JSON-RPC message accepted.
    static let bodyLimit = 256 * 1024

    func add(to router: Router<APIRequestContext>) {
        router.group("mcp").add(middleware: APIKeyMiddleware(keys: state.keys)).post(use: handle)
    }

    @Sendable func handle(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.bodyLimit)
        } catch {
            throw Problem(
                status: .contentTooLarge, title: "Content Too Large", detail: "an MCP message has at most \(Self.bodyLimit) bytes")
        }
        var headers: [String: String] = [:]
        for field in request.headers where field.name != .authorization { headers[field.name.canonicalName] = field.value }
        let toolbox = MCPToolbox(
            application: state.application, coordinator: state.coordinator, role: key.role, questionReader: state.questionReader)
        let answer = await DecisioningMCPServer.handle(
            MCP.HTTPRequest(method: "POST", headers: headers, body: Data(buffer: body), path: "/mcp"), toolbox: toolbox,
            version: Application.version)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let status = HTTPResponse.Status(code: answer.statusCode)
        guard let data = answer.bodyData else { return Response(status: status, headers: fields) }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

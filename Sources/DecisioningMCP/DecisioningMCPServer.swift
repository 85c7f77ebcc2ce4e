import DecisioningApplication
import Foundation
public import Logging
public import MCP

/// Decisioning as an MCP server: the tools of `MCPToolbox` and the resources of `MCPResources`,
/// over stdio (`decisioning mcp`) or one HTTP request at a time (`/mcp` on `serve`).
public enum DecisioningMCPServer {
    public static let name = "decisioning"

    /// A server with the toolbox's tools and the latest run's resources.
    static func make(_ toolbox: MCPToolbox, version: String) async -> Server {
        let server = Server(
            name: name, version: version,
            instructions:
                "Decisioning answers from a company's operational data. Start with latest_decisions (what to do first) or list_analyses; explain_decision shows the evidence and SQL behind a decision. Dates are YYYY-MM-DD; money is a decimal string.",
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: MCPToolbox.tools) }
        await server.withMethodHandler(CallTool.self) { params in try await toolbox.call(params.name, arguments: params.arguments) }
        await server.withMethodHandler(ListResources.self) { _ in .init(resources: MCPResources.list, nextCursor: nil) }
        await server.withMethodHandler(ReadResource.self) { params in
            try await MCPResources.read(params.uri, application: toolbox.application)
        }
        return server
    }

    /// Serves one client over standard input and output until it closes its end.
    public static func serveStandardIO(_ toolbox: MCPToolbox, version: String, logger: Logger) async throws {
        let server = await make(toolbox, version: version)
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }

    /// Answers one HTTP request of the streamable HTTP transport, statelessly: a server of its own
    /// for each request (JSON-RPC ids are the client's, so clients must not share one), JSON
    /// answers, no session; GET and DELETE are 405.
    public static func handle(_ request: MCP.HTTPRequest, toolbox: MCPToolbox, version: String) async -> MCP.HTTPResponse {
        let transport = StatelessHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
            ]))
        let server = await make(toolbox, version: version)
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("the MCP server did not start: \(error)"))
        }
        let response = await transport.handleRequest(request)
        await server.stop()
        return response
    }
}

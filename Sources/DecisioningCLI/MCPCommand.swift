import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningMCP
import DecisioningService
import DecisioningStore
import Foundation

/// `decisioning mcp`: the MCP tools and resources over standard input and output, for an LLM
/// client that starts the command itself. The local user may do everything (admin role); logs go
/// to standard error, the protocol alone to standard output.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the MCP tools (analyses, decisions, alerts, runs) over standard input and output.",
        discussion: """
            Tools: list_analyses, run_analysis, latest_decisions, explain_decision, list_alerts, ask, get_run,
            start_run; resources: the latest run's results.json and report.md. Ends when the client closes
            standard input; a run it started finishes within service.shutdown_grace_seconds or is cancelled.
            Over HTTP, `decisioning serve` offers the same tools at POST /mcp with an API key.
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let logger = global.makeLogger()
        let global = self.global
        let application = try await BlockingPool.shared.run("open the database") { _ in try global.open(logger: logger) }
        let coordinator = RunCoordinator(application: application, output: nil)
        _ = try await coordinator.recoverInterrupted()
        let toolbox = MCPToolbox(
            application: application, coordinator: coordinator, role: .admin,
            questionReader: LanguageModelReader.configured(application.configuration, transport: HTTPChatTransport()))
        try await DecisioningMCPServer.serveStandardIO(toolbox, version: Application.version, logger: logger)
        await coordinator.shutdown(grace: .seconds(application.configuration.service.shutdownGraceSeconds))
    }
}

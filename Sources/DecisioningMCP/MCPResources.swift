import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import MCP

/// The documents of the latest run with decisions, as MCP resources: its results.json (the
/// documented contract, docs/results-schema.md) and its report in Markdown.
enum MCPResources {
    static let resultsURI = "decisioning://runs/latest/results.json"
    static let reportURI = "decisioning://runs/latest/report.md"

    static let list: [Resource] = [
        Resource(
            name: "latest-results", uri: resultsURI, title: "Latest run's results",
            description: "results.json of the newest run with decisions: agents, decisions with evidence, alerts, figures.",
            mimeType: "application/json"),
        Resource(
            name: "latest-report", uri: reportURI, title: "Latest run's report",
            description: "The executive report of the newest run with decisions, in Markdown.", mimeType: "text/markdown"),
    ]

    static func read(_ uri: String, application: Application) async throws -> ReadResource.Result {
        guard uri == resultsURI || uri == reportURI else {
            throw MCPError.invalidParams("unknown resource '\(TerminalText.quoted(uri))'; resources/list lists them")
        }
        guard let runId = try await BlockingPool.shared.run("find the latest run", { _ in try application.latestDecidedRunId() }) else {
            throw MCPError.invalidParams("no run with decisions yet; start one with the start_run tool")
        }
        if uri == resultsURI {
            let data = try await BlockingPool.shared.run("read a run's results") { _ in try application.loadRunJSON(id: runId) }
            return .init(contents: [.text(String(decoding: data, as: UTF8.self), uri: uri, mimeType: "application/json")])
        }
        let results = try await BlockingPool.shared.run("read a run's results") { _ in try application.loadRun(id: runId) }
        return .init(contents: [.text(ReportRenderer.markdown(results), uri: uri, mimeType: "text/markdown")])
    }
}

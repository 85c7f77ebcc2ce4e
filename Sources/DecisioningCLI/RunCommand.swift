import ArgumentParser
import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent flow and write results.json, report.md, report.html and dashboard.html.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The analysis to run.")
    var analysis = "strategic_business_health"

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "Output directory; files go to DIR/<run id>/ (default: the configuration's output.directory, else out).")
    var out: String?

    @Option(help: "text or json (json prints results.json to standard output).")
    var format: OutputFormat = .text

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        guard analysis == "strategic_business_health" else {
            throw ValidationError("unknown analysis '\(analysis)'; the flow offers: strategic_business_health")
        }
        let (store, _) = try await BlockingThread.run(name: "decisioning.open") { try global.openStore(logger: logger) }
        let asOf = self.asOf?.day ?? DayArgument.today
        let runner = FlowRunner(store: store, configuration: configuration)
        let interactive = isatty(STDERR_FILENO) == 1
        let results = try await runner.run(analysis: analysis, asOf: asOf) { event in
            guard interactive else { return }
            FlowProgress.print(event)
        }
        let directory = (out ?? configuration.output.directory) + "/" + results.run.runId
        let files = try OutputWriter.write(results, to: directory, formats: configuration.output.formats)
        switch format {
        case .json:
            print(String(decoding: try results.encoded(), as: UTF8.self))
        case .text:
            print(RunSummary.text(results, files: files))
        }
        if results.run.status == "failed" { throw ExitCode(2) }
    }
}

/// One line per agent event on a terminal.
enum FlowProgress {
    static func print(_ event: ProgressEvent) {
        let line: String
        switch event {
        case .started(let agent, let attempt):
            line = "▶ \(agent)" + (attempt > 1 ? " (attempt \(attempt))" : "")
        case .retrying(let agent, let attempt, let delay, let error):
            line = String(format: "↻ %@ retrying (attempt %d in %.1f s): %@", agent, attempt, delay, error)
        case .finished(let r):
            let mark = r.status == .succeeded ? "✔" : r.status == .degraded ? "◐" : r.status == .skipped ? "○" : "✘"
            line = String(format: "%@ %@ %@ %.0f ms", mark, r.agent, r.status.rawValue, r.durationMs) + (r.error.map { " — \($0)" } ?? r.fallback.map { " — \($0)" } ?? "")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The short text a person reads after `run` and `demo`.
enum RunSummary {
    static func text(_ r: RunResults, files: [String]) -> String {
        var out = "Run \(r.run.runId) as of \(r.run.asOf.iso): \(r.run.status) in \(String(format: "%.2f", r.run.durationMs / 1000)) s\n"
        for a in r.agents {
            out += "  \(a.agent.padding(toLength: 20, withPad: " ", startingAt: 0)) \(a.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                + String(format: "%6.0f ms  confidence %.2f", a.durationMs, a.confidence)
                + (a.error.map { "  \($0)" } ?? a.fallback.map { "  \($0)" } ?? "") + "\n"
        }
        if let e = r.executive { out += "\n\(e.headline)\n" }
        if !r.decisions.isEmpty {
            out += "\nTop decisions:\n"
            for d in r.decisions.prefix(5) {
                out += "  \(d.rank). \(d.title) — \(Figure.money(d.expectedImpact).formatted), urgency \(d.urgency.rawValue), confidence \(String(format: "%.0f%%", d.confidence * 100))\n"
            }
        }
        let serious = r.alerts.filter { $0.severity >= .high }
        if !serious.isEmpty { out += "\n\(r.alerts.count) alerts (\(serious.count) high or critical), e.g. \(serious[0].message)\n" }
        if !files.isEmpty { out += "\nFiles:\n" + files.map { "  \($0)" }.joined(separator: "\n") + "\n" }
        return out
    }
}

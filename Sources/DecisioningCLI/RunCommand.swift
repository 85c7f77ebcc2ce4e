import ArgumentParser
import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent flow and write results.json, report.md, report.html and dashboard.html.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The analysis to run (default: the configuration's workflow.default_analysis, strategic_business_health).")
    var analysis: String?

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "Output directory; files go to DIR/<run id>/ (default: the configuration's output.directory, else out).")
    var out: String?

    @Option(help: "text or json (json prints results.json to standard output).")
    var format: OutputFormat = .text

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let analysis = self.analysis ?? configuration.workflow.defaultAnalysis
        guard Configuration.analyses.contains(analysis) else {
            throw ApplicationError.unknownFlowAnalysis(name: analysis, offered: Configuration.analyses)
        }
        let output = FlowOutput(configuration: configuration, directory: out)
        try output.prepare()
        let global = self.global
        let app = try await BlockingPool.shared.run("open the database") { _ in try global.open(logger: logger, existing: true) }
        let interactive = isatty(STDERR_FILENO) == 1
        let outcome = try await app.runFlow(analysis: analysis, asOf: self.asOf?.day ?? DayArgument.today, output: output) { event in
            if interactive { FlowProgress.print(event) }
        }
        switch format {
        case .json:
            print(String(decoding: try outcome.results.encoded(), as: UTF8.self))
        case .text:
            print(RunSummary.text(outcome.results, files: outcome.files))
        }
        if outcome.results.run.status == .failed { throw ExitCode(2) }
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
            line = String(format: "↻ %@ retrying (attempt %d in %.1f s): %@", agent, attempt, delay, TerminalText.escaped(error))
        case .timedOut(let agent, _, let seconds):
            line = String(format: "⏱ %@ timed out after %.3g s", agent, seconds)
        case .finished(let r):
            let mark = r.status == .succeeded ? "✔" : r.status == .degraded ? "◐" : r.status == .skipped ? "○" : "✘"
            line =
                String(format: "%@ %@ %@ %.0f ms", mark, r.agent, r.status.rawValue, r.durationMs)
                + ((r.error ?? r.fallback).map { " — \(TerminalText.escaped($0))" } ?? "")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The short text a person reads after `run` and `demo`.
enum RunSummary {
    static func text(_ r: RunResults, files: [String]) -> String {
        var out = "Run \(r.run.runId) as of \(r.run.asOf.iso): \(r.run.status) in \(String(format: "%.2f", r.run.durationMs / 1000)) s\n"
        for a in r.agents {
            out +=
                "  \(a.agent.padding(toLength: 20, withPad: " ", startingAt: 0)) \(a.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                + String(format: "%6.0f ms  confidence %.2f", a.durationMs, a.confidence)
                + ((a.error ?? a.fallback).map { "  \(TerminalText.escaped($0))" } ?? "") + "\n"
        }
        if let e = r.executive { out += "\n\(TerminalText.escaped(e.headline))\n" }
        if !r.decisions.isEmpty {
            out += "\nTop decisions:\n"
            for d in r.decisions.prefix(5) {
                out +=
                    "  \(d.rank). \(TerminalText.escaped(d.title)) — \(Figure.money(d.expectedImpact).formatted), urgency \(d.urgency.rawValue), confidence \(String(format: "%.0f%%", d.confidence * 100))\n"
            }
        }
        let serious = r.alerts.filter { $0.severity >= .high }
        if !serious.isEmpty {
            out += "\n\(r.alerts.count) alerts (\(serious.count) high or critical), e.g. \(TerminalText.escaped(serious[0].message))\n"
        }
        if !files.isEmpty { out += "\nFiles:\n" + files.map { "  \($0)" }.joined(separator: "\n") + "\n" }
        return out
    }
}

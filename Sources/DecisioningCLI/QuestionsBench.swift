import ArgumentParser
import DecisioningApplication
import DecisioningCore
import Foundation

/// `decisioning bench questions`: the golden set of `ask` on the database, checked against SQL on SQLite.
struct QuestionsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Ask the golden set's questions; print the share read exactly, the share answered correctly and p50/p99 latency.",
        discussion:
            "The database must be SQLite; the set fixes its as-of date (any generated company, any scale). Exit 1 below --min-correct.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The golden set (JSON).")
    var golden = "bench/questions/golden.json"

    @Option(help: "Times each question is asked after the warm-up pass (latency samples).")
    var passes = 5

    @Option(help: "The least share answered correctly, 0 to 1.")
    var minCorrect = 0.95

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        guard case .sqlite = app.url else {
            throw CommandError("bench questions checks answers with SQLite SQL: use --database sqlite:FILE")
        }
        let set = try GoldenQuestions.load(path: golden)
        let report = try app.evaluateQuestions(set, passes: passes)
        for failure in report.failures { print("FAIL \(failure.question): \(failure.problem)") }
        print(
            String(
                format:
                    "questions %d  interpreted exactly %d (%.1f%%)  answered correctly %d (%.1f%%)  p50 %.1f ms  p99 %.1f ms  (%d asks)",
                report.total, report.interpretedExactly, report.interpretedShare * 100, report.answeredCorrectly, report.correctShare * 100,
                report.percentile(50) * 1000, report.percentile(99) * 1000, report.latencies.count))
        if report.correctShare < minCorrect { throw ExitCode(1) }
    }
}

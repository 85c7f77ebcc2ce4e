import ArgumentParser
import DecisioningAgents
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (not tests): medians of repeated runs, printed side by side.",
        subcommands: [AnalyticsBench.self, FlowBench.self, MLBench.self, SoakBench.self, QuestionsBench.self, SimilarityBench.self])
}

struct AnalyticsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Time the named analyses on the column engine and as SQL on the Store, after loading the data into memory.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Scale to generate when the database is empty.")
    var scale: Double = 1

    @Option(help: "Runs per analysis and engine (the median is reported).")
    var runs = 7

    @Option(help: "Runs of SQL on the Store (slower; the median is reported).")
    var sqlRuns = 5

    @Option(help: "The as-of date of the data and the analyses.")
    var asOf: DayArgument = DayArgument(argument: "2026-11-25")!

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        if try app.isEmpty() {
            FileHandle.standardError.write(Data("generating scale \(scale) …\n".utf8))
            _ = try app.generate(Generator(spec: GeneratorSpec(scale: scale, seed: 42, asOf: asOf.day)), keepTruth: false)
        }
        let (store, warehouse) = (app.store, app.warehouse)
        let databaseName: String = { if case .sqlite = store.url { return "SQLite" } else { return "MySQL" } }()
        let analyses = Analyses.all()
        // Load every column the analyses read, and time it.
        let clock = ContinuousClock()
        let loadStart = clock.now
        let executor = try warehouse.executor(for: analyses.flatMap { $0.parts.map(\.plan) }, asOf: asOf.day)
        let loadSeconds = (clock.now - loadStart).seconds
        let loadedRows = executor.tables.values.reduce(0) { $0 + $1.rowCount }
        let loadedCells = executor.tables.values.reduce(0) { $0 + $1.rowCount * $1.fields.count }

        var report: [[String: Any]] = []
        for analysis in analyses {
            let plans = analysis.parts.map(\.plan)
            var engine: [Double] = []
            for _ in 0..<runs {
                let start = clock.now
                _ = try executor.run(plans)
                engine.append((clock.now - start).seconds)
            }
            var sql: [Double] = []
            for _ in 0..<sqlRuns {
                let start = clock.now
                _ = try warehouse.query(plans, asOf: asOf.day, on: .sql)
                sql.append((clock.now - start).seconds)
            }
            report.append([
                "analysis": analysis.name, "engine_ms": median(engine) * 1000, "sql_ms": median(sql) * 1000,
                "engine_runs": engine.count, "sql_runs": sql.count,
            ])
        }
        if format == .json {
            let object: [String: Any] = [
                "database": databaseName, "load_rows": loadedRows, "load_cells": loadedCells, "load_seconds": loadSeconds,
                "analyses": report,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            StandardOutput.write(data)
            return
        }
        print(
            String(
                format: "load into the column engine: %d rows (%d columns' values) in %.2f s = %.0f rows/s", loadedRows, loadedCells,
                loadSeconds, Double(loadedRows) / loadSeconds))
        let label = databaseName.padding(toLength: 8, withPad: " ", startingAt: 0)
        print("analysis                 engine ms   \(label)ms   SQL/engine (SQL on \(databaseName))")
        for r in report {
            let e = r["engine_ms"] as! Double
            let s = r["sql_ms"] as! Double
            print(
                String(
                    format: "%-22@ %10.1f %11.1f %14.1fx", (r["analysis"] as! String).padding(toLength: 22, withPad: " ", startingAt: 0), e,
                    s, s / e))
        }
    }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

struct FlowBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Time the whole agent flow once the data is loaded: load the analytic tables, then run the flow repeatedly.",
        discussion: """
            The runs are stored in a temporary copy of the SQLite database (deleted at the end), so the database itself \
            stays as it was. A server database (mysql://) cannot be copied: the runs are stored in it, and bench flow \
            refuses unless --allow-writes is given.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Runs of the flow (the median is reported).")
    var runs = 3

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Flag(help: "With a server database (mysql://), run there and store the timed runs in it (a server database cannot be copied).")
    var allowWrites = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs: expected 1 or more, found \(runs)") }
    }

    func run() async throws {
        let (global, allowWrites) = (self.global, self.allowWrites)
        let asOf = self.asOf?.day ?? DayArgument.today
        let bench = try await BlockingPool.shared.run("open the bench database") { _ throws -> BenchDatabase in
            let configuration = try global.loadConfiguration()
            return try BenchDatabase.copy(
                of: try global.databaseURL(configuration), configuration: configuration, allowServerWrites: allowWrites,
                logger: global.makeLogger())
        }
        defer { bench.remove() }
        let app = bench.application
        let label: String = {
            switch bench.origin {
            case .copy(let path): return "sqlite:\(TerminalText.quoted(path)) (on a temporary copy)"
            case .server(let url): return "\(url) (runs stored there)"
            case .generated: return app.url.description
            }
        }()
        // The first run loads every column the agents read; the following runs find them in memory
        // (the application's Warehouse is shared by its flows).
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await app.runFlow(analysis: "strategic_business_health", asOf: asOf)
        let first = (clock.now - start).seconds
        var times: [Double] = []
        var agentTimes: [String: [Double]] = [:]
        for _ in 0..<runs {
            let t = clock.now
            let results = try await app.runFlow(analysis: "strategic_business_health", asOf: asOf).results
            times.append((clock.now - t).seconds)
            for a in results.agents { agentTimes[a.agent, default: []].append(a.durationMs) }
            guard results.run.status != .failed else {
                throw ValidationError("the flow failed: \(results.agents.compactMap(\.error).joined(separator: "; "))")
            }
        }
        times.sort()
        print(
            String(
                format: "%@: first run (loads the data) %.2f s; flow once loaded: median %.3f s over %d runs (min %.3f, max %.3f)",
                label, first, times[times.count / 2], times.count, times[0], times[times.count - 1]))
        for agent in AgentRegistry.standard.names {
            let xs = (agentTimes[agent] ?? []).sorted()
            if !xs.isEmpty { print(String(format: "  %-20@ median %7.1f ms", agent, xs[xs.count / 2])) }
        }
    }
}

extension DayArgument {
    /// A default date reads as YYYY-MM-DD in the help (not as the type's debug description).
    var defaultValueDescription: String { day.iso }
}

import ArgumentParser
import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation

/// `decisioning bench soak`: many flows in one process, watching its threads and resident memory.
struct SoakBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run the flow many times in one process, some runs with agents that time out, and watch threads and resident memory.",
        discussion: """
            Runs the flows one after another on one database: by default a company generated (--scale, --seed) into a \
            temporary SQLite file; with --database sqlite:PATH, a copy of that file, which stays as it was. The temporary \
            database and the runs' files are deleted at the end. Run 2 and every --timeout-every-th run after it give the \
            --timeout-agent agents a timeout of --timeout-seconds, so that they time out.

            Prints the threads, resident memory (RSS) and open files at the start, every 10 runs and at the end, then the \
            growth from the sample after the first 10 runs to the last. The targets: threads grow by at most \
            --max-thread-growth (0: flat) and RSS by less than --max-rss-growth percent. Exit status 0 when both held and \
            every run ended; 1 when a target was missed or a run stopped with an error (after the report). Reads /proc (Linux).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Flows to run, one after another.")
    var runs = 200

    @Option(help: "Scale of the generated database (more than 0, at most 100); not used with --database.")
    var scale = 0.1

    @Option(help: "Seed of the generated database; not used with --database.")
    var seed: UInt64 = 42

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "Run 2 and every K-th run after it give the timeout agents a tiny timeout (0: no run does).")
    var timeoutEvery = 5

    @Option(help: "An agent that times out in those runs (repeat for several; default strategy_agent).")
    var timeoutAgent: [String] = []

    @Option(help: "The timeout those agents get, in seconds (0.001 to 86400).")
    var timeoutSeconds = 0.001

    @Option(help: "Target: threads may grow by at most this many from the sample after 10 runs to the end.")
    var maxThreadGrowth = 0

    @Option(help: "Target: RSS must grow by less than this percentage from the sample after 10 runs to the end.")
    var maxRssGrowth = 10.0

    @Flag(help: "With a server database (mysql://), soak there and store the runs in it (a server database cannot be copied).")
    var allowWrites = false

    @Option(help: "text (a line per sample as it is taken) or json (one document at the end).")
    var format: OutputFormat = .text

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs: expected 1 or more, found \(runs)") }
        guard timeoutEvery >= 0 else { throw ValidationError("--timeout-every: expected 0 or more, found \(timeoutEvery)") }
        guard (0.001...Configuration.maxAgentTimeout).contains(timeoutSeconds) else {
            throw ValidationError("--timeout-seconds: expected 0.001 to 86400, found \(timeoutSeconds)")
        }
        for name in timeoutAgent where !AgentRegistry.standard.names.contains(name) {
            throw ValidationError(
                "--timeout-agent: unknown agent '\(TerminalText.quoted(name))'; choose one of: \(AgentRegistry.standard.names.joined(separator: ", "))"
            )
        }
        guard maxThreadGrowth >= 0 else { throw ValidationError("--max-thread-growth: expected 0 or more, found \(maxThreadGrowth)") }
        guard maxRssGrowth > 0 else { throw ValidationError("--max-rss-growth: expected more than 0, found \(maxRssGrowth)") }
    }

    func run() async throws {
        let asOf = self.asOf?.day ?? DayArgument.today
        var options = Soak.Options(runs: runs, asOf: asOf)
        options.timeoutEvery = timeoutEvery
        if !timeoutAgent.isEmpty { options.timeoutAgents = timeoutAgent }
        options.timeoutSeconds = timeoutSeconds
        options.maxThreadGrowth = maxThreadGrowth
        options.maxResidentGrowthPercent = maxRssGrowth

        let (global, allowWrites, spec) = (self.global, self.allowWrites, GeneratorSpec(scale: scale, seed: seed, asOf: asOf))
        let bench = try await BlockingPool.shared.run("open the soak database") { _ throws -> BenchDatabase in
            let configuration = try global.loadConfiguration()
            let logger = global.makeLogger()
            guard global.database != nil else {
                let progress = ProgressReporter(label: "generate")
                defer { progress.finish() }
                return try BenchDatabase.generated(
                    spec, configuration: configuration, logger: logger,
                    progress: { table, rows in progress.status("\(table): \(rows) rows") })
            }
            return try BenchDatabase.copy(
                of: try global.databaseURL(configuration), configuration: configuration, allowServerWrites: allowWrites, logger: logger)
        }
        defer { bench.remove() }

        let soak = Soak(application: bench.application, options: options, outputDirectory: bench.outputDirectory)
        let text = format == .text
        if text {
            Self.emit(Self.heading(bench, options))
            Self.emit(SoakText.header)
        }
        let report = try await soak.run { sample in if text { Self.emit(SoakText.line(sample)) } }
        Self.emit(text ? SoakText.summary(report) : try SoakText.json(report, origin: Self.origin(bench)))
        guard report.passed else {
            var missed: [String] = []
            if !report.threadsHeld { missed.append("threads grew by \(report.threadGrowth)") }
            if !report.residentHeld { missed.append(String(format: "RSS grew by %.1f%%", report.residentGrowthPercent)) }
            if let error = report.firstError { missed.append("\(report.final.errors) runs stopped with an error, first \(error)") }
            throw CommandError("soak target missed: " + missed.joined(separator: "; "))
        }
    }

    /// Writes at once (standard output is not line-buffered in a pipe, and a soak runs for minutes).
    static func emit(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    static func origin(_ bench: BenchDatabase) -> String {
        switch bench.origin {
        case .generated(let scale, let seed): return "a company generated at scale \(scale) (seed \(seed)) in a temporary SQLite file"
        case .copy(let path): return "a temporary copy of sqlite:\(TerminalText.quoted(path))"
        case .server(let url): return "\(url) (its runs are stored there)"
        }
    }

    static func heading(_ bench: BenchDatabase, _ options: Soak.Options) -> String {
        let timeouts =
            options.timeoutEvery == 0
            ? "no agent times out"
            : "\(options.timeoutAgents.joined(separator: ", ")) \(options.timeoutAgents.count == 1 ? "times" : "time") out (\(options.timeoutSeconds) s) in run 2 and every \(options.timeoutEvery)th after it"
        return "soak: \(options.runs) runs as of \(options.asOf.iso) on \(origin(bench)); \(timeouts)"
    }
}

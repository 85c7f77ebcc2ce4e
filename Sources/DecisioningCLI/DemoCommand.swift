import ArgumentParser
import DecisioningAgents
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create the embedded database, generate a company if it is empty, run the whole agent flow, and show the decisions, the report and the dashboard.")

    @OptionGroup var global: GlobalOptions

    @Option(parsing: .unconditional, help: "Scale to generate when the database is empty (more than 0, at most 100; default 0.1).")
    var scale: Double?

    @Option(help: "Seed of the generated data (default 42).")
    var seed: UInt64?

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "Output directory for the run's files.")
    var out: String?

    func run() async throws {
        let asOf = asOf?.day ?? DayArgument.today
        try OutputWriter.prepare(base: out ?? global.loadConfiguration().output.directory)
        let (global, scale, seed) = (self.global, self.scale ?? 0.1, self.seed ?? 42)
        let asked = self.scale != nil || self.seed != nil
        // Opening, generating and summarising block on the database: a thread of their own.
        let (store, url) = try await BlockingThread.run(name: "decisioning.demo") { () throws -> (any Store, DatabaseURL) in
            let (store, url) = try global.openStore(logger: global.makeLogger())
            if try store.rowCount(Catalog.projects.name) == 0 {
                let started = Date()
                let generator = try Generator(spec: GeneratorSpec(scale: scale, seed: seed, asOf: asOf))
                let progress = ProgressReporter(label: "generate")
                let truth = try generator.generate(into: store) { table, rows in progress.status("\(table): \(rows) rows") }
                progress.finish()
                try (store as? SQLiteStore)?.checkpoint()
                try truth.encoded().write(to: URL(fileURLWithPath: GlobalOptions.truthPath(for: url)))
                print(String(format: "Generated scale %.2f (seed %llu, as of %@) in %.1f s.", scale, seed, asOf.iso, Date().timeIntervalSince(started)))
            } else if asked {
                print("The database already holds data: --scale and --seed apply only to an empty database (use `decisioning generate --replace` to regenerate).")
            }
            print(try DatabaseSummary(store: store).render(url: url))
            return (store, url)
        }
        let configuration = try global.loadConfiguration()
        let base = out ?? configuration.output.directory
        let formats = configuration.output.formats
        let runner = FlowRunner(store: store, configuration: configuration)
        let interactive = isatty(STDERR_FILENO) == 1
        let written = FileList()
        let results = try await runner.run(
            analysis: configuration.workflow.defaultAnalysis, asOf: asOf,
            progress: { event in if interactive { FlowProgress.print(event) } },
            deliver: { results in written.set(try OutputWriter.write(results, to: base + "/" + results.run.runId, formats: formats)) })
        let files = written.get()
        print(RunSummary.text(results, files: files))
        if let truth = try? GroundTruth.load(path: GlobalOptions.truthPath(for: url)) {
            print("Planted truth (\(GlobalOptions.truthPath(for: url))):")
            print("  \(truth.anomalousProjects.count) active projects with anomalous cost, \(truth.overrun.overrunProjects.count) overruns among \(truth.overrun.completedProjects) completed projects,")
            print("  a margin drop in \(truth.marginDrop.industry) from \(truth.marginDrop.firstMonth), and data-quality faults: \(truth.dataQuality.orphanCustomerProjects.count) orphan customer ids, \(truth.dataQuality.duplicateCustomers.count) duplicate customers, \(truth.dataQuality.negativeBudgetProjects.count + truth.dataQuality.endBeforeStartProjects.count + truth.dataQuality.riskScoreOutOfRangeCustomers.count + truth.dataQuality.negativePaymentDaysCustomers.count) impossible values.")
        }
    }
}

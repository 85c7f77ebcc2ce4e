import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Create the embedded database, generate a company if it is empty, run the whole agent flow, and show the decisions, the report and the dashboard."
    )

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
        let output = FlowOutput(configuration: try global.loadConfiguration(), directory: out)
        try output.prepare()
        let (global, spec) = (self.global, GeneratorSpec(scale: self.scale ?? 0.1, seed: self.seed ?? 42, asOf: asOf))
        let asked = self.scale != nil || self.seed != nil
        // Opening, generating and summarising block on the database: a thread of their own.
        let app = try await BlockingPool.shared.run("open the database") { _ throws -> Application in
            let app = try global.open(logger: global.makeLogger())
            let progress = ProgressReporter(label: "generate")
            if let generated = try app.generateIfEmpty(spec, progress: { table, rows in progress.status("\(table): \(rows) rows") }) {
                progress.finish()
                print(
                    String(
                        format: "Generated scale %.2f (seed %llu, as of %@) in %.1f s.", spec.scale, spec.seed, asOf.iso, generated.seconds)
                )
            } else if asked {
                print(
                    "The database already holds data: --scale and --seed apply only to an empty database (use `decisioning generate --replace` to regenerate)."
                )
            }
            print(try app.summary().render(url: app.url))
            return app
        }
        let interactive = isatty(STDERR_FILENO) == 1
        let outcome = try await app.runFlow(asOf: asOf, output: output) { event in if interactive { FlowProgress.print(event) } }
        print(RunSummary.text(outcome.results, files: outcome.files))
        if let truth = app.plantedTruth() {
            print("Planted truth (\(Application.truthPath(for: app.url))):")
            print(
                "  \(truth.anomalousProjects.count) active projects with anomalous cost, \(truth.overrun.overrunProjects.count) overruns among \(truth.overrun.completedProjects) completed projects,"
            )
            print(
                "  a margin drop in \(truth.marginDrop.industry) from \(truth.marginDrop.firstMonth), and data-quality faults: \(truth.dataQuality.orphanCustomerProjects.count) orphan customer ids, \(truth.dataQuality.duplicateCustomers.count) duplicate customers, \(truth.dataQuality.negativeBudgetProjects.count + truth.dataQuality.endBeforeStartProjects.count + truth.dataQuality.riskScoreOutOfRangeCustomers.count + truth.dataQuality.negativePaymentDaysCustomers.count) impossible values."
            )
        }
    }
}

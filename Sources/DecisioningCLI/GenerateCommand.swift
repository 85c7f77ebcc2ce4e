import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a synthetic company with planted truth (anomalies, overruns, a margin drop, data-quality faults).",
        discussion: """
            Scale 1 is 10,000 customers, 100,000 projects, about 5,000,000 financial metrics and 1,000,000 events.
            The planted truth goes to a JSON file beside the database (NAME.truth.json), never into its tables.
            Same --seed, --scale and --as-of give the same data, byte for byte.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(parsing: .unconditional, help: "Size of the company; 1 = 100,000 projects (more than 0, at most 100).")
    var scale: Double = 1

    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = 42

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Flag(help: "Delete the existing rows of the business and run tables first.")
    var replace = false

    @Option(help: "Write CSV / JSONL files (the formats `ingest` reads) and truth.json into this directory instead of the database.")
    var csv: String?

    @Option(
        help: ArgumentHelp(
            "What running projects' actual_cost holds: to-date (the cost booked so far, as the ledger sums) or at-completion (an estimate at completion); the ledger is the same either way.",
            valueName: "to-date|at-completion"))
    var actualCost = Convention(.toDate)

    /// `--actual-cost to-date|at-completion`.
    struct Convention: ExpressibleByArgument {
        var value: ActualCostConvention
        init(_ value: ActualCostConvention) { self.value = value }
        init?(argument: String) {
            guard let value = ActualCostConvention(rawValue: argument) else { return nil }
            self.value = value
        }
        var defaultValueDescription: String { value.rawValue }
        static var allValueStrings: [String] { ActualCostConvention.allCases.map(\.rawValue) }
    }

    func run() throws {
        let spec = GeneratorSpec(scale: scale, seed: seed, asOf: asOf?.day ?? DayArgument.today, actualCost: actualCost.value)
        let generator = try Generator(spec: spec)
        let progress = ProgressReporter(label: "generate")
        let started = Date()
        let truth: GroundTruth
        let target: String
        if let csv {
            truth = try generator.export(toDirectory: csv) { table, rows in progress.status("\(table): \(rows) rows") }
            target = csv
        } else {
            let app = try global.open(logger: global.makeLogger())
            let generation = try app.generate(generator, replace: replace) { table, rows in progress.status("\(table): \(rows) rows") }
            truth = generation.truth
            target = "\(app.url) (truth: \(generation.truthPath ?? ""))"
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        let rows = truth.counts.values.reduce(0, +)
        print("generated scale \(scale), seed \(seed), as of \(spec.asOf.iso), actual cost \(spec.actualCost.rawValue) into \(target)")
        for table in ["customer_analytics", "projects", "financial_metrics", "business_events"] {
            print("  \(table.padding(toLength: 20, withPad: " ", startingAt: 0)) \(truth.counts[table] ?? 0) rows")
        }
        print(String(format: "  %d rows in %.2f s (%.0f rows/s)", rows, seconds, Double(rows) / max(seconds, 1e-9)))
        print(
            "  planted: \(truth.anomalousProjects.count) anomalous active projects, \(truth.overrun.overrunProjects.count) overruns among \(truth.overrun.completedProjects) completed, margin drop in \(truth.marginDrop.industry), \(truth.dataQuality.orphanCustomerProjects.count + truth.dataQuality.duplicateCustomers.count + truth.dataQuality.negativeBudgetProjects.count + truth.dataQuality.endBeforeStartProjects.count + truth.dataQuality.riskScoreOutOfRangeCustomers.count + truth.dataQuality.negativePaymentDaysCustomers.count) data-quality faults"
        )
    }
}

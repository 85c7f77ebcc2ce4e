import ArgumentParser
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import Foundation

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a named analysis and print its result.",
        discussion: "Analyses: \(Analyses.all().map(\.name).joined(separator: ", ")).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The analysis name.")
    var name: String

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "table, json or csv.")
    var format: TableFormat = .table

    @Option(help: "Rows of anomaly-candidates.")
    var limit = 20

    @Option(help: "Where to run: auto, engine (the column engine) or sql (the Store's database).")
    var on: Site = .auto

    enum Site: String, ExpressibleByArgument, CaseIterable { case auto, engine, sql }

    /// An unknown name is a usage error, reported with this command's usage.
    func validate() throws {
        guard Analyses.named(name) != nil else { throw ValidationError(AnalysisNames.unknown(name)) }
        guard limit >= 1, limit <= 1_000_000 else { throw ValidationError("--limit must be from 1 to 1000000, found \(limit)") }
    }

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        let asOf = self.asOf?.day ?? DayArgument.today
        let preference: Warehouse.Preference = on == .engine ? .columnEngine : on == .sql ? .sql : .automatic
        let outcome = try app.runAnalysis(name, asOf: asOf, anomalyLimit: limit, on: preference)
        var json: [[String: Any]] = []
        for (part, result) in outcome.parts {
            switch format {
            case .table:
                if outcome.parts.count > 1 { print("\(part):") }
                print(ResultFormatter.table(result))
                let rows = result.rows.count == 1 ? "1 row" : "\(result.rows.count) rows"
                print(String(format: "(%@, %@, %.1f ms)\n", rows, result.site.description, result.seconds * 1000))
            case .csv:
                if outcome.parts.count > 1 { print("# \(part)") }
                print(ResultFormatter.csv(result, forTerminal: isatty(STDOUT_FILENO) == 1), terminator: "")
            case .json:
                json.append(["part": part, "site": result.site.description, "rows": ResultFormatter.objects(result)])
            }
        }
        if format == .json {
            let object: [String: Any] = ["analysis": outcome.analysis, "as_of": asOf.iso, "parts": json]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

import ArgumentParser
import DecisioningAnalytics
import DecisioningCore

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL of a named analysis for a dialect, with its bound values.",
        discussion:
            "Analyses: \(Analyses.all().map(\.name).joined(separator: ", ")). --pasteable prints a script for the dialect's own client that binds the values."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The analysis name.")
    var name: String

    @Option(name: .customLong("dialect"), help: "sqlite, mysql or heatwave (default: the dialect of --database, else sqlite).")
    var dialectArgument: DialectArgument?

    @Option(help: "The as-of date (YYYY-MM-DD); default today.")
    var asOf: DayArgument?

    @Option(help: "Rows of anomaly-candidates.")
    var limit = 20

    @Flag(help: "Print a script that sets the parameters and runs the statement in the dialect's client.")
    var pasteable = false

    /// The dialect asked for, else that of the database the options name (nothing is opened).
    func dialect() throws -> SQLDialect {
        if let dialectArgument { return dialectArgument.dialect }
        switch try global.databaseURL(global.loadConfiguration()) {
        case .sqlite: return .sqlite
        case .mysql: return .mysql
        }
    }

    /// An unknown name is a usage error, reported with this command's usage.
    func validate() throws {
        guard Analyses.named(name) != nil else { throw ValidationError(AnalysisNames.unknown(name)) }
        guard limit >= 1, limit <= 1_000_000 else { throw ValidationError("--limit must be from 1 to 1000000, found \(limit)") }
    }

    func run() throws {
        let dialect = try dialect()
        guard let analysis = Analyses.named(name, anomalyLimit: limit) else {
            throw ValidationError(AnalysisNames.unknown(name))
        }
        let renderer = SQLRenderer(dialect: dialect, asOf: asOf?.day ?? DayArgument.today)
        for (i, part) in analysis.parts.enumerated() {
            let rendered = try renderer.render(part.plan)
            if analysis.parts.count > 1 { print("-- \(analysis.name): \(part.name)") }
            if pasteable {
                print(rendered.pasteable)
            } else {
                print(rendered.sql + ";")
                let binds = rendered.bindings.enumerated().map {
                    "\(dialect == .sqlite ? "?\($0.offset + 1)" : "#\($0.offset + 1)") = \(RenderedQuery.literal($0.element, sqlite: false))"
                }
                if !binds.isEmpty { print("-- bindings: " + binds.joined(separator: ", ")) }
            }
            if i < analysis.parts.count - 1 { print() }
        }
    }
}

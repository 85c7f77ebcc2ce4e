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
                print(ResultFormatter.csv(result), terminator: "")
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

/// Renders result rows as an aligned table, CSV or JSON objects, with decimals at their scale.
enum ResultFormatter {
    /// A value as a person reads it: doubles to 6 significant digits, control characters visible.
    static func text(_ v: Value, _ type: DataType) -> String {
        switch (v, type) {
        case (.double(let d), _): return String(format: "%.6g", d)
        default: return TerminalText.escaped(exact(v, type))
        }
    }

    /// A value for machines: full precision (the shortest text that reads back as the same double).
    static func exact(_ v: Value, _ type: DataType) -> String {
        switch (v, type) {
        case (.null, _): return ""
        case (.decimal(let units), .decimal(let s)): return FixedPoint.format(units, scale: s)
        case (.double(let d), _): return d.isFinite ? "\(d)" : ""
        default: return v.description
        }
    }

    static func table(_ r: QueryResult) -> String {
        let header = r.fields.map(\.name)
        let cells = r.rows.map { row in zip(row, r.fields).map { text($0, $1.type) } }
        var widths = header.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + cells.map(line)).joined(
            separator: "\n")
    }

    /// CSV at full precision; control characters are made visible only when a terminal reads it.
    static func csv(_ r: QueryResult, forTerminal: Bool = isatty(STDOUT_FILENO) == 1) -> String {
        func quote(_ raw: String) -> String {
            let s = forTerminal ? TerminalText.escaped(raw, keepNewlines: true) : raw
            let needsQuotes = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = r.fields.map(\.name).joined(separator: ",") + "\n"
        for row in r.rows { out += zip(row, r.fields).map { quote(exact($0, $1.type)) }.joined(separator: ",") + "\n" }
        return out
    }

    static func objects(_ r: QueryResult) -> [[String: Any]] {
        r.rows.map { row in
            var object: [String: Any] = [:]
            for (v, f) in zip(row, r.fields) {
                switch v {
                case .null: object[f.name] = NSNull()
                case .integer(let i): object[f.name] = i
                case .double(let d): object[f.name] = d.isFinite ? d : NSNull()
                case .boolean(let b): object[f.name] = b
                default: object[f.name] = exact(v, f.type)
                }
            }
            return object
        }
    }
}

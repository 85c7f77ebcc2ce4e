import ArgumentParser
import DecisioningAnalytics
import DecisioningCore

/// A SQL dialect argument.
struct DialectArgument: ExpressibleByArgument {
    var dialect: SQLDialect
    init?(argument: String) {
        guard let dialect = SQLDialect(rawValue: argument) else { return nil }
        self.dialect = dialect
    }
    init(_ dialect: SQLDialect) { self.dialect = dialect }
    var defaultValueDescription: String { dialect.rawValue }
    static var allValueStrings: [String] { SQLDialect.allCases.map(\.rawValue) }
}

/// Formats query results for people and machines.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// The message for an analysis name that does not exist.
enum AnalysisNames {
    static func unknown(_ name: String) -> String {
        "unknown analysis '\(TerminalText.quoted(name))'; choose one of: \(Analyses.all().map(\.name).joined(separator: ", "))"
    }
}

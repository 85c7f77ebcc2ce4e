import ArgumentParser
import DecisioningAnalytics

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

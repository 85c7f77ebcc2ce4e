import DecisioningCore

/// What `StoreMigration` refuses, each saying what to do about it. `description` is the message a front end shows.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--tables` named a table that is not a business table.
    case unknownTable(name: String, choices: [String])
    /// The source and the destination are the same database.
    case sameStore(url: String)
    /// Rows per batch outside what one statement can bind.
    case invalidBatchSize(given: Int, allowed: ClosedRange<Int>)
    /// The destination already holds a different row with this key; nothing of the batch was written.
    case conflictingRow(table: String, key: String, column: String)
    /// After the copy, these tables' row counts or checksums differ between the two stores.
    case verificationFailed(tables: [String])

    public var description: String {
        switch self {
        case .unknownTable(let name, let choices):
            return "unknown table '\(TerminalText.quoted(name))' in --tables; choose from: \(choices.joined(separator: ", "))"
        case .sameStore(let url):
            return "--from and --to name the same database (\(url)); give a different destination"
        case .invalidBatchSize(let given, let allowed):
            return "--batch-size \(given) is out of range; give \(allowed.lowerBound) to \(allowed.upperBound) rows"
        case .conflictingRow(let table, let key, let column):
            return
                "the destination's \(table) already holds a different row with key '\(TerminalText.quoted(key))' (column \(column) differs); nothing of that batch was written. Remove the destination's rows, or re-run with --overwrite to replace them with the source's"
        case .verificationFailed(let tables):
            return
                "verification failed for \(tables.joined(separator: ", ")): row counts or checksums differ between the two stores (see the table above); rows the destination held before the migration count too"
        }
    }
}

public import DecisioningCore

/// Errors from a Store, each saying what went wrong and what to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(url: String, reason: String)
    case migrationFailed(id: String, reason: String)
    case unknownTable(String)
    case unknownColumn(table: String, column: String)
    case duplicateKey(table: String, key: String)
    case constraint(table: String, reason: String)
    case typeMismatch(table: String, column: String, expected: ColumnType, found: String)
    case engine(operation: String, code: Int32, message: String)
    case unsupported(String)
    /// The server could not be reached or refused the login; `hint` says what to check.
    case connectionFailed(url: String, code: Int32, message: String, hint: String)
    /// The connection broke while `operation` ran; the work may or may not have been applied.
    case connectionLost(operation: String, code: Int32, message: String)
    /// The statement was cancelled (task cancelled or `KILL QUERY`).
    case cancelled(operation: String)
    /// No connection became free within the pool's connection timeout.
    case timedOut(operation: String, seconds: Double)

    /// Worth another attempt later: the connection broke, the server could not be reached, or the
    /// pool was busy. Read-only work may be retried; a failed write batch was rolled back.
    public var isTransient: Bool {
        switch self {
        case .connectionLost, .timedOut: return true
        case .connectionFailed(_, let code, _, _): return code == 2002 || code == 2003 || code == 2013
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let url, let reason):
            return "cannot open database \(url): \(reason)"
        case .migrationFailed(let id, let reason):
            return "migration \(id) failed and was rolled back: \(reason)"
        case .unknownTable(let name):
            return "unknown table '\(name)'; known tables: \(Catalog.all.map(\.name).joined(separator: ", "))"
        case .unknownColumn(let table, let column):
            return "table \(table) has no column '\(column)'"
        case .duplicateKey(let table, let key):
            return "\(table): a row with primary key \(key) already exists"
        case .constraint(let table, let reason):
            return "\(table): constraint violated: \(reason)"
        case .typeMismatch(let table, let column, let expected, let found):
            return "\(table).\(column): expected \(expected.expectation), found \(found)"
        case .engine(let operation, let code, let message):
            return "database error \(code) during \(operation): \(message)"
        case .unsupported(let what):
            return "not supported: \(what)"
        case .connectionFailed(let url, let code, let message, let hint):
            return "cannot connect to \(url) (error \(code)): \(message). \(hint)"
        case .connectionLost(let operation, let code, let message):
            return
                "lost the database connection during \(operation) (error \(code)): \(message). Check that the server is running; nothing of an unfinished batch was kept, so re-running it is safe"
        case .cancelled(let operation):
            return "\(operation) was cancelled"
        case .timedOut(let operation, let seconds):
            return
                "\(operation): no database connection became free within \(seconds) s; raise connection_pool.max_connections or connection_timeout"
        }
    }
}

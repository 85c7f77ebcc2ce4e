public import DecisioningCore

/// Errors from a Store, each saying what went wrong and what to do about it.
///
/// A struct over a private enum (as Hummingbird's `PersistError`), so that new kinds can be added
/// without breaking callers: match on `kind` (`error.kind == .cancelled`) and read the details that
/// kind carries (`code`, `operation`, `table`, …). Build one with the static functions, named like
/// the kinds (`.engine(operation:code:message:)`).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; more kinds may come.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case cannotOpen, migrationFailed, unknownTable, unknownColumn, duplicateKey, constraint, typeMismatch, engine
            case unsupported, invalidArgument, poolClosed, connectionFailed, connectionLost, cancelled, timedOut
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database could not be opened or created.
        public static let cannotOpen = Kind(.cannotOpen)
        /// A migration failed and was rolled back.
        public static let migrationFailed = Kind(.migrationFailed)
        public static let unknownTable = Kind(.unknownTable)
        public static let unknownColumn = Kind(.unknownColumn)
        /// A row with the same primary key exists (`key` names it).
        public static let duplicateKey = Kind(.duplicateKey)
        /// The database refused a row (NOT NULL, CHECK, a foreign key).
        public static let constraint = Kind(.constraint)
        /// A value of the wrong type for its column.
        public static let typeMismatch = Kind(.typeMismatch)
        /// Any other error the database reported (`code` is its number).
        public static let engine = Kind(.engine)
        /// Something this store cannot do.
        public static let unsupported = Kind(.unsupported)
        /// An argument outside what the call accepts (the message says what is allowed).
        public static let invalidArgument = Kind(.invalidArgument)
        /// The connection pool was closed.
        public static let poolClosed = Kind(.poolClosed)
        /// The server could not be reached or refused the login (`hint` says what to check).
        public static let connectionFailed = Kind(.connectionFailed)
        /// The connection broke while the work ran; the work may or may not have been applied.
        public static let connectionLost = Kind(.connectionLost)
        /// The work was cancelled (its task was cancelled, or `KILL QUERY`).
        public static let cancelled = Kind(.cancelled)
        /// No connection became free in time.
        public static let timedOut = Kind(.timedOut)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    /// What the store was doing, e.g. a statement's summary or "write batch".
    public let operation: String?
    /// The database's error number, when it gave one.
    public let code: Int32?
    /// The database's message, or the reason in words.
    public let message: String
    public let table: String?
    public let column: String?
    /// The primary key of a duplicate row.
    public let key: String?
    /// What to check, for connection failures.
    public let hint: String?
    /// How long was waited, for `timedOut`.
    public let seconds: Double?
    public let description: String

    private init(
        _ kind: Kind, _ description: String, operation: String? = nil, code: Int32? = nil, message: String, table: String? = nil,
        column: String? = nil, key: String? = nil, hint: String? = nil, seconds: Double? = nil
    ) {
        self.kind = kind
        self.description = description
        self.operation = operation
        self.code = code
        self.message = message
        self.table = table
        self.column = column
        self.key = key
        self.hint = hint
        self.seconds = seconds
    }

    /// Worth another attempt later: the connection broke, the server could not be reached, or the
    /// pool was busy. Read-only work may be retried; a failed write batch was rolled back.
    public var isTransient: Bool {
        switch kind {
        case .connectionLost, .timedOut: return true
        case .connectionFailed: return code == 2002 || code == 2003 || code == 2013
        default: return false
        }
    }

    public static func cannotOpen(url: String, reason: String) -> StoreError {
        StoreError(.cannotOpen, "cannot open database \(url): \(reason)", message: reason)
    }

    public static func migrationFailed(id: String, reason: String) -> StoreError {
        StoreError(.migrationFailed, "migration \(id) failed and was rolled back: \(reason)", operation: "migration \(id)", message: reason)
    }

    public static func unknownTable(_ name: String) -> StoreError {
        StoreError(
            .unknownTable, "unknown table '\(name)'; known tables: \(Catalog.all.map(\.name).joined(separator: ", "))",
            message: "unknown table", table: name)
    }

    public static func unknownColumn(table: String, column: String) -> StoreError {
        StoreError(.unknownColumn, "table \(table) has no column '\(column)'", message: "unknown column", table: table, column: column)
    }

    public static func duplicateKey(table: String, key: String) -> StoreError {
        StoreError(
            .duplicateKey, "\(table): a row with primary key \(key) already exists", message: "duplicate key", table: table, key: key)
    }

    public static func constraint(table: String, reason: String) -> StoreError {
        StoreError(.constraint, "\(table): constraint violated: \(reason)", message: reason, table: table)
    }

    public static func typeMismatch(table: String, column: String, expected: ColumnType, found: String) -> StoreError {
        StoreError(
            .typeMismatch, "\(table).\(column): expected \(expected.expectation), found \(found)", message: "found \(found)",
            table: table, column: column)
    }

    public static func engine(operation: String, code: Int32, message: String) -> StoreError {
        StoreError(.engine, "database error \(code) during \(operation): \(message)", operation: operation, code: code, message: message)
    }

    public static func unsupported(_ what: String) -> StoreError {
        StoreError(.unsupported, "not supported: \(what)", message: what)
    }

    public static func invalidArgument(_ what: String) -> StoreError {
        StoreError(.invalidArgument, "invalid argument: \(what)", message: what)
    }

    public static func poolClosed(operation: String) -> StoreError {
        StoreError(
            .poolClosed, "\(operation): the connection pool is closed (the store was closed; open it again)", operation: operation,
            message: "the connection pool is closed")
    }

    public static func connectionFailed(url: String, code: Int32, message: String, hint: String) -> StoreError {
        StoreError(
            .connectionFailed, "cannot connect to \(url) (error \(code)): \(message). \(hint)", code: code, message: message, hint: hint)
    }

    public static func connectionLost(operation: String, code: Int32, message: String) -> StoreError {
        StoreError(
            .connectionLost,
            "lost the database connection during \(operation) (error \(code)): \(message). Check that the server is running; "
                + "nothing of an unfinished batch was kept, so re-running it is safe",
            operation: operation, code: code, message: message)
    }

    public static func cancelled(operation: String) -> StoreError {
        StoreError(.cancelled, "\(operation) was cancelled", operation: operation, message: "cancelled")
    }

    public static func timedOut(operation: String, seconds: Double) -> StoreError {
        StoreError(
            .timedOut,
            "\(operation): no database connection became free within \(seconds) s; raise connection_pool.max_connections or connection_timeout",
            operation: operation, message: "no connection became free", seconds: seconds)
    }
}

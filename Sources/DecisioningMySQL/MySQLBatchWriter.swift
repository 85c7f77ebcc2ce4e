import DecisioningCore
import DecisioningStore

/// Writes inside one MySQL transaction. Inserters queue rows and send them as multi-row prepared
/// inserts; the store flushes every inserter before it commits.
final class MySQLBatchWriter: BatchWriter {
    let connection: MySQLConnection
    let tally: ChangeTally
    let groupRows: Int
    private var inserters: [MySQLRowInserter] = []

    init(connection: MySQLConnection, tally: ChangeTally, groupRows: Int) {
        self.connection = connection
        self.tally = tally
        self.groupRows = groupRows
    }

    func inserter(for table: TableSchema, columns: [String], onConflict: ConflictPolicy) throws(StoreError) -> any RowInserter {
        for name in columns where table.column(name) == nil { throw .unknownColumn(table: table.name, column: name) }
        // The column engine cannot resume a MySQL table after its last row (there is no rowid), so
        // every write counts as a rewrite: readers reload the table.
        tally.touch(table.name, rewrite: true)
        let rows = max(1, min(groupRows, 60_000 / max(1, columns.count)))
        let inserter = try MySQLRowInserter(connection: connection, table: table, columns: columns, policy: onConflict, groupRows: rows)
        inserters.append(inserter)
        return inserter
    }

    func execute(_ sql: String, arguments: [Value]) throws(StoreError) {
        try flushAll()
        tally.touchAll()
        try connection.prepare(sql).execute(arguments)
    }

    func flushAll() throws(StoreError) {
        for inserter in inserters { _ = try inserter.flushQueued() }
    }
}

/// Queues rows and inserts them `groupRows` at a time with one prepared multi-row statement.
///
/// Conflict policies map to MySQL as: fail → plain `INSERT` (error 1062 names the key);
/// skip → `ON DUPLICATE KEY UPDATE k = k`, whose affected-row count (0 for a present row, without
/// CLIENT_FOUND_ROWS) tells how many rows were skipped; replace → `ON DUPLICATE KEY UPDATE c = VALUES(c)`.
final class MySQLRowInserter: RowInserter {
    let connection: MySQLConnection
    let table: TableSchema
    let columns: [String]
    let policy: ConflictPolicy
    let groupRows: Int
    let scales: [Int?]
    private var queued: [Value] = []
    private var queuedRows = 0
    private var groupStatement: MySQLStatement?
    private var skippedSinceFlush = 0

    init(connection: MySQLConnection, table: TableSchema, columns: [String], policy: ConflictPolicy, groupRows: Int) throws(StoreError) {
        self.connection = connection
        self.table = table
        self.columns = columns
        self.policy = policy
        self.groupRows = groupRows
        let columnScales = columns.map { name -> Int? in table.column(name)?.type.decimalScale }
        scales = Array((0..<groupRows).map { _ in columnScales }.joined())
        queued.reserveCapacity(groupRows * columns.count)
    }

    func sql(rows: Int) -> String {
        let names = columns.map(MySQLConnection.quote).joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var sql = "INSERT INTO \(MySQLConnection.quote(table.name)) (\(names)) VALUES " + Array(repeating: tuple, count: rows).joined(separator: ", ")
        switch policy {
        case .fail: break
        case .skip:
            let key = MySQLConnection.quote(table.primaryKey.first ?? columns[0])
            sql += " ON DUPLICATE KEY UPDATE \(key) = \(key)"
        case .replace:
            let updates = columns.filter { !table.primaryKey.contains($0) }.map { "\(MySQLConnection.quote($0)) = VALUES(\(MySQLConnection.quote($0)))" }
            let key = MySQLConnection.quote(table.primaryKey.first ?? columns[0])
            sql += " ON DUPLICATE KEY UPDATE " + (updates.isEmpty ? "\(key) = \(key)" : updates.joined(separator: ", "))
        }
        return sql
    }

    func insert(_ row: [Value]) throws(StoreError) -> Bool {
        queued.append(contentsOf: row)
        queuedRows += 1
        if queuedRows == groupRows {
            if groupStatement == nil { groupStatement = try connection.prepare(sql(rows: groupRows)) }
            try send(groupStatement!, rows: groupRows)
        }
        return true
    }

    func flush() throws(StoreError) -> Int { try flushQueued() }

    /// Sends the queued rows; returns the rows skipped since the last flush.
    func flushQueued() throws(StoreError) -> Int {
        if queuedRows > 0 {
            let statement = try connection.prepare(sql(rows: queuedRows))
            try send(statement, rows: queuedRows)
        }
        defer { skippedSinceFlush = 0 }
        return skippedSinceFlush
    }

    private func send(_ statement: MySQLStatement, rows: Int) throws(StoreError) {
        do {
            let affected = try statement.execute(queued, scales: Array(scales.prefix(queued.count)))
            if policy == .skip { skippedSinceFlush += rows - Int(affected) }
        } catch .engine(_, 1062, let message) {
            throw .duplicateKey(table: table.name, key: Self.duplicateKey(message))
        } catch .engine(_, let code, let message) where [1048, 1264, 1292, 1366, 1406, 4025, 3819].contains(code) {
            throw .constraint(table: table.name, reason: message)
        }
        queued.removeAll(keepingCapacity: true)
        queuedRows = 0
    }

    /// The key value in "Duplicate entry 'KEY' for key 'PRIMARY'".
    static func duplicateKey(_ message: String) -> String {
        guard let open = message.firstIndex(of: "'"),
              let close = message[message.index(after: open)...].range(of: "' for key")?.lowerBound else { return message }
        return String(message[message.index(after: open)..<close])
    }
}

import DecisioningCore
import DecisioningStore

/// Writes inside one MySQL transaction. Inserters queue rows and send them as multi-row prepared
/// inserts through the writer's pipeline, so the server inserts one group while the next is being
/// built; the store flushes every inserter before it commits and closes the pipeline either way.
///
/// Rows reach the server in the order of the inserters' creation: before an inserter sends a full
/// group, the rows queued by the inserters made before it go first. A batch that inserts a parent
/// row (a model, a run) and then many child rows referring to it keeps its foreign keys satisfied.
final class MySQLBatchWriter: BatchWriter {
    let connection: MySQLConnection
    let tally: ChangeTally
    let groupRows: Int
    let pipeline = WritePipeline()
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
        let earlier = inserters
        let inserter = try MySQLRowInserter(
            connection: connection, pipeline: pipeline, table: table, columns: columns,
            policy: onConflict, groupRows: rows,
            before: { () throws(StoreError) in for inserter in earlier { try inserter.submitQueued() } })
        inserters.append(inserter)
        return inserter
    }

    func execute(_ sql: String, arguments: [Value]) throws(StoreError) {
        // Drained: the connection is idle, so this thread may use it.
        try flushAll()
        tally.touchAll()
        try connection.prepare(sql).execute(arguments)
    }

    func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType]) throws(StoreError) -> [[Value]] {
        // Drained first, so the query sees every row queued before it.
        try flushAll()
        return try connection.prepare(sql).query(arguments, columnTypes: columnTypes)
    }

    /// Sends every queued row and waits until the server has them all.
    func flushAll() throws(StoreError) {
        for inserter in inserters { try inserter.submitQueued() }
        try pipeline.drain()
    }

    /// Stops the pipeline and closes the prepared statements, before the connection goes back to the
    /// pool: closing a statement talks to the server.
    func finish() {
        pipeline.close()
        for inserter in inserters { inserter.closeStatements() }
    }
}

/// Queues rows and inserts them `groupRows` at a time with one prepared multi-row statement, run by
/// the batch's pipeline. Statements are prepared and executed only by pipeline jobs.
///
/// Conflict policies map to MySQL as: fail → plain `INSERT` (error 1062 names the key);
/// skip → `ON DUPLICATE KEY UPDATE k = k`, whose affected-row count (0 for a present row, without
/// CLIENT_FOUND_ROWS) tells how many rows were skipped; replace → `ON DUPLICATE KEY UPDATE c = VALUES(c)`.
final class MySQLRowInserter: RowInserter {
    let connection: MySQLConnection
    let pipeline: WritePipeline
    let table: TableSchema
    let columns: [String]
    let policy: ConflictPolicy
    let groupRows: Int
    let scales: [Int?]
    private var queued: [Value] = []
    private var queuedRows = 0
    /// Touched only by pipeline jobs, and by `closeStatements` once the pipeline has stopped.
    private var groupStatement: MySQLStatement?
    /// Added to by pipeline jobs; read by `flush` after the pipeline drained.
    private var skippedSinceFlush = 0
    /// Sends the rows queued by the inserters made before this one, ahead of this one's group.
    private let before: () throws(StoreError) -> Void

    init(
        connection: MySQLConnection, pipeline: WritePipeline, table: TableSchema, columns: [String], policy: ConflictPolicy,
        groupRows: Int, before: @escaping () throws(StoreError) -> Void = {}
    ) throws(StoreError) {
        self.before = before
        self.connection = connection
        self.pipeline = pipeline
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
        var sql =
            "INSERT INTO \(MySQLConnection.quote(table.name)) (\(names)) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
        switch policy {
        case .fail: break
        case .skip:
            let key = MySQLConnection.quote(table.primaryKey.first ?? columns[0])
            sql += " ON DUPLICATE KEY UPDATE \(key) = \(key)"
        case .replace:
            let updates = columns.filter { !table.primaryKey.contains($0) }.map {
                "\(MySQLConnection.quote($0)) = VALUES(\(MySQLConnection.quote($0)))"
            }
            let key = MySQLConnection.quote(table.primaryKey.first ?? columns[0])
            sql += " ON DUPLICATE KEY UPDATE " + (updates.isEmpty ? "\(key) = \(key)" : updates.joined(separator: ", "))
        }
        return sql
    }

    func insert(_ row: [Value]) throws(StoreError) -> Bool {
        queued.append(contentsOf: row)
        queuedRows += 1
        if queuedRows == groupRows {
            try before()
            try submitQueued()
        }
        return true
    }

    /// The server refuses a group, some inserts after the row that caused it.
    var refusesSingleRows: Bool { false }

    func flush() throws(StoreError) -> Int {
        try before()
        try submitQueued()
        try pipeline.drain()
        defer { skippedSinceFlush = 0 }
        return skippedSinceFlush
    }

    /// Hands the queued rows to the pipeline (a full group reuses the prepared group statement).
    func submitQueued() throws(StoreError) {
        guard queuedRows > 0 else { return }
        let values = queued
        let rows = queuedRows
        queued = []
        queued.reserveCapacity(groupRows * columns.count)
        queuedRows = 0
        try pipeline.submit { [self] () throws(StoreError) in
            let statement: MySQLStatement
            if rows == groupRows {
                if groupStatement == nil { groupStatement = try connection.prepare(sql(rows: groupRows)) }
                statement = groupStatement!
            } else {
                statement = try connection.prepare(sql(rows: rows))
            }
            try send(statement, values, rows: rows)
        }
    }

    func closeStatements() {
        groupStatement = nil
    }

    private func send(_ statement: MySQLStatement, _ values: [Value], rows: Int) throws(StoreError) {
        do {
            let affected = try statement.execute(values, scales: rows == groupRows ? scales : Array(scales.prefix(values.count)))
            if policy == .skip { skippedSinceFlush += rows - Int(affected) }
        } catch let error where error.kind == .engine && error.code == 1062 {
            throw .duplicateKey(table: table.name, key: Self.duplicateKey(error.message))
        } catch let error where error.kind == .engine && [1048, 1264, 1292, 1366, 1406, 4025, 3819].contains(error.code ?? 0) {
            throw .constraint(table: table.name, reason: error.message)
        }
    }

    /// The key value in "Duplicate entry 'KEY' for key 'PRIMARY'".
    static func duplicateKey(_ message: String) -> String {
        guard let open = message.firstIndex(of: "'"),
            let close = message[message.index(after: open)...].range(of: "' for key")?.lowerBound
        else { return message }
        return String(message[message.index(after: open)..<close])
    }
}

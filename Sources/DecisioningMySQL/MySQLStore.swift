public import DecisioningCore
public import DecisioningStore
import Foundation

/// The system of record on a MySQL-family server (MySQL, MariaDB, HeatWave), behind the same
/// `Store` protocol as SQLite so that nothing above it changes.
///
/// - Writes run in one transaction on one pooled connection; rows go in multi-row prepared
///   inserts. A lost connection rolls the transaction back on the server, so re-running is safe.
/// - Reads that have not yet delivered anything are retried once on a fresh connection after a
///   lost connection (2006/2013); writes never are.
/// - The server is probed at open (`capabilities`): the DDL uses `VECTOR` and
///   `SECONDARY_ENGINE=RAPID` only where the server has them.
public final class MySQLStore: Store {
    public let url: DatabaseURL
    public let pool: ConnectionPool
    public let capabilities: ServerCapabilities
    private let versions = VersionBook()
    /// Rows per multi-row insert (bounded by MySQL's 65,535 placeholders per statement).
    public let insertGroupRows: Int
    /// The configuration's `use_heatwave_engine`: false keeps analytics on the column engine even on HeatWave.
    public let useHeatWave: Bool

    public init(
        options: MySQLConnectionOptions, pool poolSettings: Configuration.ConnectionPool = .init(), insertGroupRows: Int = 500,
        useHeatWave: Bool = true
    ) throws(StoreError) {
        url = .mysql(options.endpoint)
        self.insertGroupRows = insertGroupRows
        self.useHeatWave = useHeatWave
        pool = try ConnectionPool(options: options, pool: poolSettings)
        capabilities = try pool.withStoreConnection("probe the server") { connection throws(StoreError) in
            try ServerProbe.probe(connection)
        }
    }

    deinit { pool.close() }

    /// HeatWave answers analytic plans itself (RAPID) when its cluster is online and the configuration allows it.
    public var offloadsAnalytics: Bool { useHeatWave && capabilities.heatWave }

    // MARK: - Migrations

    /// The tables the DDL marks `SECONDARY_ENGINE=RAPID` on HeatWave (the analytic ones).
    static let rapidTables: Set<String> = ["projects", "financial_metrics", "customer_analytics"]

    @discardableResult
    public func migrate() throws(StoreError) -> [String] {
        try pool.withStoreConnection("migrate") { connection throws(StoreError) in
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id VARCHAR(100) NOT NULL PRIMARY KEY,
                    applied_at DATETIME NOT NULL,
                    applied_order INT NOT NULL
                ) \(capabilities.schema.tableOptions)
                """)
            let applied = Set(try appliedMigrations(connection))
            var now: [String] = []
            for migration in Migrations.all where !applied.contains(migration.id) {
                try apply(migration, on: connection, order: applied.count + now.count + 1)
                now.append(migration.id)
            }
            if offloadsAnalytics {
                // The DDL marked the analytic tables SECONDARY_ENGINE=RAPID; loading them (once)
                // lets HeatWave answer plans. It keeps loaded tables current after DML by itself.
                let database = DatabaseURL.mysql(pool.options.endpoint).description
                guard case .mysql(let endpoint) = url else { return now }
                do {
                    let tables = try Catalog.businessTables.filter { Self.rapidTables.contains($0.name) }
                        .map { table throws(StoreError) in try HeatWaveTable(schema: endpoint.database, name: table.name) }
                    try HeatWaveWorkflow.loadIntoRAPID(tables, on: connection)
                } catch {
                    throw .migrationFailed(
                        id: "heatwave-load", reason: "loading the analytic tables of \(database) into RAPID failed: \(error)")
                }
            }
            return now
        }
    }

    /// Loads those of `tables` that the schema marks for RAPID (`SECONDARY_ENGINE=RAPID`) into HeatWave,
    /// skipping loaded ones. Call it only when `capabilities.heatWave`.
    /// - Returns: the marked tables among `tables`, and those of them loaded by this call.
    public func loadIntoRAPID(_ tables: [String]) throws(StoreError) -> (marked: [String], loadedNow: [String]) {
        guard case .mysql(let endpoint) = url else { return ([], []) }
        let marked = tables.filter { Self.rapidTables.contains($0) }
        let heatWaveTables = try marked.map { name throws(StoreError) in try HeatWaveTable(schema: endpoint.database, name: name) }
        let loaded = try pool.withStoreConnection("load into RAPID") { connection throws(StoreError) in
            try HeatWaveWorkflow.loadIntoRAPID(heatWaveTables, on: connection)
        }
        return (marked, loaded.map(\.name))
    }

    /// MySQL commits each DDL statement on its own, so a migration cannot be one transaction: when a
    /// statement fails, the tables this attempt created are dropped again, leaving the schema as it was.
    private func apply(_ migration: Migration, on connection: MySQLConnection, order: Int) throws(StoreError) {
        guard let statements = MySQLMigrations.statements(for: migration.id, capabilities.schema) else {
            throw .migrationFailed(id: migration.id, reason: "the MySQL store has no statements for this migration (MySQLMigrations)")
        }
        var created: [String] = []
        do {
            for statement in statements {
                try connection.execute(statement)
                if let table = Self.createdTable(statement) { created.append(table) }
            }
            try connection.prepare("INSERT INTO schema_migrations (id, applied_at, applied_order) VALUES (?, UTC_TIMESTAMP(), ?)")
                .execute([.text(migration.id), .integer(Int64(order))])
        } catch {
            for table in created.reversed() { try? connection.execute("DROP TABLE IF EXISTS \(MySQLConnection.quote(table))") }
            throw .migrationFailed(id: migration.id, reason: "\(error)")
        }
    }

    static func createdTable(_ statement: String) -> String? {
        let words = statement.split(whereSeparator: \.isWhitespace)
        guard words.count > 2, words[0].uppercased() == "CREATE", words[1].uppercased() == "TABLE" else { return nil }
        return String(words[2]).trimmingCharacters(in: CharacterSet(charactersIn: "`("))
    }

    public func appliedMigrations() throws(StoreError) -> [String] {
        try pool.withStoreConnection("read schema_migrations") { connection throws(StoreError) in try appliedMigrations(connection) }
    }

    private func appliedMigrations(_ connection: MySQLConnection) throws(StoreError) -> [String] {
        let exists = try connection.textRows(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'")
        guard exists.first?.first??.first != "0" else { return [] }
        return try connection.textRows("SELECT id FROM schema_migrations ORDER BY applied_order").compactMap { $0[0] }
    }

    // MARK: - Writes

    public func writeBatch<T>(cancellation: CancellationFlag?, _ body: (any BatchWriter) throws -> T) throws -> T {
        let connection = try pool.acquire("write batch")
        defer { pool.release(connection) }
        try connection.execute("START TRANSACTION")
        let tally = ChangeTally()
        let writer = MySQLBatchWriter(connection: connection, tally: tally, groupRows: insertGroupRows)
        do {
            let result = try body(writer)
            try writer.flushAll()
            writer.finish()
            try cancellation.commit("write batch") { () throws(StoreError) in try connection.execute("COMMIT") }
            versions.record(tally)
            return result
        } catch {
            // The pipeline stops before this thread touches the connection again.
            writer.finish()
            if !connection.isBroken { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    public func version(of table: String) -> TableVersion { versions.version(of: table) }

    public func createTable(_ schema: TableSchema) throws(StoreError) {
        let columns = schema.columns.map { column -> String in
            let type: String
            switch column.type {
            case .text(let n): type = "VARCHAR(\(n))"
            case .longText: type = "LONGTEXT"
            case .json: type = "JSON"
            case .date: type = "DATE"
            case .timestamp: type = "DATETIME"
            case .integer: type = "BIGINT"
            case .decimal(let p, let s): type = "DECIMAL(\(p),\(s))"
            case .boolean: type = "BOOLEAN"
            case .double: type = "DOUBLE"
            case .vector: type = capabilities.vectorType ? "VECTOR(2048)" : "LONGBLOB"
            }
            return MySQLConnection.quote(column.name) + " " + type + (column.nullable ? "" : " NOT NULL")
        }
        let key =
            schema.primaryKey.isEmpty ? "" : ", PRIMARY KEY (" + schema.primaryKey.map(MySQLConnection.quote).joined(separator: ", ") + ")"
        let sql =
            "CREATE TABLE \(MySQLConnection.quote(schema.name)) (" + columns.joined(separator: ", ") + key
            + ") " + capabilities.schema.tableOptions
        try pool.withStoreConnection("create table \(schema.name)") { connection throws(StoreError) in try connection.execute(sql) }
    }

    // MARK: - Reads

    public func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
        -> [[Value]]
    {
        try retryingRead("query") { connection throws(StoreError) in
            try interruptible("query", connection, cancellation) { () throws(StoreError) in
                try connection.prepare(sql).query(arguments, columnTypes: columnTypes)
            }
        }
    }

    public func rowCount(_ table: String) throws(StoreError) -> Int {
        guard Catalog.table(named: table) != nil || table == "schema_migrations" else { throw .unknownTable(table) }
        return try retryingRead("count \(table)") { connection throws(StoreError) in
            Int(try connection.textRows("SELECT COUNT(*) FROM \(MySQLConnection.quote(table))").first?.first??.description ?? "0") ?? 0
        }
    }

    /// Streams rows in primary-key order; a lost connection is retried only before the first batch was delivered.
    public func scan(_ table: TableSchema, columns: [String]?, batchSize: Int, _ body: ([[Value]]) throws -> Void) throws {
        let names = columns ?? table.columnNames
        let types = try Self.types(of: names, in: table)
        let sql = selectSQL(table, names)
        var delivered = false
        try retryingRead(
            "scan \(table.name)", retry: { !delivered },
            body: { connection throws(StoreError) in
                var batch: [[Value]] = []
                batch.reserveCapacity(batchSize)
                try connection.stream(sql) { row in
                    var values: [Value] = []
                    values.reserveCapacity(types.count)
                    for (c, type) in types.enumerated() {
                        guard let bytes = row[c] else {
                            values.append(.null)
                            continue
                        }
                        values.append(try MySQLValueDecoder.decode(bytes, as: type, table: table.name, column: names[c]))
                    }
                    batch.append(values)
                    if batch.count == batchSize {
                        delivered = true
                        try body(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty {
                    delivered = true
                    do { try body(batch) } catch let error as StoreError { throw error } catch {
                        throw .engine(operation: "scan \(table.name)", code: 0, message: "\(error)")
                    }
                }
            })
    }

    /// Reads columns straight from the streamed text rows into columnar arrays, never holding the
    /// rows themselves. MySQL has no rowid to resume from, so `cursor` is the row count and an
    /// incremental scan is a full one; `version(of:)` reports every write as a rewrite to match.
    public func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?)
        throws(StoreError) -> ColumnarScan
    {
        let types = try Self.types(of: columns, in: table)
        let sql = selectSQL(table, columns)
        return try retryingRead("scan \(table.name)") { connection throws(StoreError) in
            try interruptible("scan \(table.name)", connection, cancellation) { () throws(StoreError) in
                try Self.readColumns(sql, on: connection, table: table, columns: columns, types: types)
            }
        }
    }

    /// Streams `sql`'s text rows straight into columnar arrays.
    static func readColumns(
        _ sql: String, on connection: MySQLConnection, table: TableSchema, columns: [String],
        types: [ColumnType]
    ) throws(StoreError) -> ColumnarScan {
        var reader = ColumnarReader(types: types, table: table.name, names: columns)
        let kinds = reader.kinds
        try connection.stream(sql) { row throws(StoreError) in
            for c in 0..<kinds.count {
                let bytes = row[c]
                if bytes == nil { reader.null(c) } else { reader.present(c) }
                switch kinds[c] {
                case .text(let slot):
                    reader.appendText(slot, bytes)
                case .double(let slot):
                    guard let bytes else {
                        reader.appendDouble(slot, 0)
                        continue
                    }
                    guard let v = MySQLValueDecoder.double(bytes) else { throw Self.mismatch(table, columns[c], types[c], bytes) }
                    reader.appendDouble(slot, v)
                case .int(let slot, let type):
                    guard let bytes else {
                        reader.appendInt(slot, 0)
                        continue
                    }
                    guard let v = Self.integer(bytes, type) else { throw Self.mismatch(table, columns[c], type, bytes) }
                    reader.appendInt(slot, v)
                }
            }
            reader.endRow()
        }
        let scan = reader.finish(cursor: 0)
        return ColumnarScan(columns: scan.columns, valid: scan.valid, rowCount: scan.rowCount, cursor: Int64(scan.rowCount))
    }

    /// The Int64 storage the column engine uses for integers, decimals (units), dates (day numbers),
    /// timestamps (seconds) and booleans.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ type: ColumnType) -> Int64? {
        switch type {
        case .decimal(_, let scale): return MySQLValueDecoder.decimal(bytes, scale: scale)
        case .date: return Day(isoBytes: bytes).map { Int64($0.number) }
        case .timestamp: return MySQLValueDecoder.timestamp(bytes)?.seconds
        default: return MySQLValueDecoder.integer(bytes)
        }
    }

    static func mismatch(_ table: TableSchema, _ column: String, _ type: ColumnType, _ bytes: UnsafeBufferPointer<UInt8>) -> StoreError {
        .typeMismatch(table: table.name, column: column, expected: type, found: String(decoding: bytes, as: UTF8.self))
    }

    private func selectSQL(_ table: TableSchema, _ columns: [String]) -> String {
        let order = table.primaryKey.isEmpty ? "" : " ORDER BY " + table.primaryKey.map(MySQLConnection.quote).joined(separator: ", ")
        return "SELECT " + columns.map(MySQLConnection.quote).joined(separator: ", ") + " FROM " + MySQLConnection.quote(table.name) + order
    }

    static func types(of names: [String], in table: TableSchema) throws(StoreError) -> [ColumnType] {
        try names.map { name throws(StoreError) in
            guard let column = table.column(name) else { throw StoreError.unknownColumn(table: table.name, column: name) }
            return column.type
        }
    }

    /// Runs read-only work, once more on a fresh connection if the first one was lost before
    /// `retry` says the work became unsafe to repeat.
    func retryingRead<T>(_ operation: String, retry: () -> Bool = { true }, body: (MySQLConnection) throws(StoreError) -> T)
        throws(StoreError) -> T
    {
        do {
            return try pool.withStoreConnection(operation, body)
        } catch let error where error.kind == .connectionLost {
            guard retry() else { throw error }
            // Not another idle connection from before the loss: it is likely dead as well.
            pool.dropIdleConnections()
            return try pool.withStoreConnection(operation, body)
        }
    }

    // MARK: - Cancellation

    /// Runs `body` on `connection` so that raising `cancellation` stops its statement with
    /// `KILL QUERY` from a second connection; the call then ends with `StoreError.cancelled`.
    /// When the KILL cannot be sent (the server is unreachable, or refuses more connections), the
    /// connection's socket is shut down instead: the call ends, and the connection is replaced.
    func interruptible<T>(
        _ operation: String, _ connection: MySQLConnection, _ cancellation: CancellationFlag?,
        _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        guard let cancellation else { return try body() }
        let socket = connection.duplicateSocket()
        defer { socket.close() }
        return try cancellation.whileRunning(
            operation,
            stop: { [pool] in
                if !pool.cancelStatement(on: connection) { socket.shutdown() }
            }, body)
    }

    /// Runs `body` on `BlockingPool.shared` with a pooled connection; if the calling task is
    /// cancelled, the statement running on that connection is stopped with `KILL QUERY` and the
    /// call ends with `StoreError.cancelled`.
    public func run<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (MySQLConnection) throws(StoreError) -> T) async throws
        -> T
    {
        try await BlockingPool.shared.run(operation) { cancellation in
            try self.pool.withStoreConnection(operation) { connection throws(StoreError) in
                try self.interruptible(operation, connection, cancellation) { () throws(StoreError) in try body(connection) }
            }
        }
    }

    /// `query` that a task can cancel.
    public func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType]) async throws -> [[Value]] {
        try await run("query") { connection throws(StoreError) in
            try connection.prepare(sql).query(arguments, columnTypes: columnTypes)
        }
    }
}

extension ConnectionPool {
    /// `withConnection` with the typed error of the Store API.
    func withStoreConnection<T>(_ operation: String, _ body: (MySQLConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        let connection = try acquire(operation)
        defer { release(connection) }
        return try body(connection)
    }
}

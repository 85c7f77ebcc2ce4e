public import DecisioningCore
import Foundation
import GRDB
import GRDBSQLite

/// The embedded system of record: one SQLite file in WAL mode, through GRDB.
///
/// Row writes bind values straight onto GRDB's prepared statements (`sqlite3_bind_*`), because
/// building `StatementArguments` per row would cost more than the insert itself at millions of rows.
public final class SQLiteStore: Store {
    public let url: DatabaseURL
    let pool: DatabasePool
    private let versions = VersionBook()

    /// The page size of the database files this store creates, in bytes.
    public static let pageSize = 16_384

    /// How much of the file a reader maps, in bytes (SQLite lowers it to its compile-time limit).
    public static let readerMapSize = 1 << 40

    /// Opens (creating if needed) the database file at `path`. Call `migrate()` before use.
    public init(path: String) throws(StoreError) {
        url = .sqlite(path: path)
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // A new file gets 16 KiB pages (SQLite's default is 4 KiB); an existing one keeps its own,
            // since WAL mode cannot change it. Fewer, fuller pages: at scale 1, generating took 11%
            // less time, ingesting financial_metrics 8% less and a SQL analysis 9% less.
            try db.execute(sql: "PRAGMA page_size = \(SQLiteStore.pageSize)")
            // NORMAL is durable across application crashes in WAL mode; a large page cache keeps
            // index maintenance in memory during bulk loads, and the analyses' SQL on readers (with
            // 16 MiB, `bench analytics` read 12× the bytes and ran financial-trend 1.5-1.7× slower).
            // The cache fills as the file grows and is bounded: a long-running process's resident
            // memory levels off once it is full (the soak).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -262144")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Readers map the file (up to the library's limit, 2 GiB in Debian's build) instead of
            // copying each page into their cache: a new process's first read of an index (the row
            // count that checks a column snapshot reads 100 MB of one at scale 1) costs page faults
            // on pages the kernel already holds, not a copy into fresh memory.
            if db.configuration.readonly { try db.execute(sql: "PRAGMA mmap_size = \(SQLiteStore.readerMapSize)") }
        }
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(url: "sqlite:\(path)", reason: "\(error)")
        }
    }

    /// Applies the migrations this file lacks. A database that is current is only read (no write
    /// lock), so a reader never waits for an ingest that holds the lock.
    @discardableResult
    public func migrate() throws(StoreError) -> [String] {
        let current = try appliedMigrations()
        if Migrations.all.allSatisfy({ current.contains($0.id) }) { return [] }
        do {
            try pool.write { db in
                try db.execute(
                    sql: "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT")
            }
        } catch {
            throw .engine(operation: "create schema_migrations", code: 0, message: "\(error)")
        }
        let applied = Set(try appliedMigrations())
        var now: [String] = []
        for migration in Migrations.all where !applied.contains(migration.id) {
            do {
                let ran = try pool.write { db -> Bool in
                    // Another process opening the same file may have applied it since the list was read.
                    let done =
                        try Bool.fetchOne(db, sql: "SELECT 1 FROM schema_migrations WHERE id = ?", arguments: [migration.id]) ?? false
                    if done { return false }
                    for statement in migration.sqlite { try db.execute(sql: statement) }
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (id, applied_at) VALUES (?, strftime('%Y-%m-%d %H:%M:%S', 'now'))",
                        arguments: [migration.id])
                    return true
                }
                if ran { now.append(migration.id) }
            } catch {
                throw .migrationFailed(id: migration.id, reason: "\(error)")
            }
        }
        return now
    }

    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try pool.read { db in
                guard try db.tableExists("schema_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT id FROM schema_migrations ORDER BY rowid")
            }
        } catch {
            throw .engine(operation: "read schema_migrations", code: 0, message: "\(error)")
        }
    }

    /// The transaction is begun and committed by hand (not GRDB's `write`), so that the COMMIT
    /// itself runs inside `CancellationFlag.commit` and a batch given up rolls back.
    public func writeBatch<T>(cancellation: CancellationFlag?, _ body: (any BatchWriter) throws -> T) throws -> T {
        let tally = ChangeTally()
        let result = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                let writer = SQLiteBatchWriter(db: db, tally: tally)
                let result = try body(writer)
                try writer.finishBulkLoads()  // indexes a bulk load set aside (SQLiteStore+BulkLoad.swift)
                try cancellation.commit("write batch") { () throws(StoreError) in
                    do {
                        try db.execute(sql: "COMMIT")
                    } catch {
                        throw .engine(operation: "commit", code: 0, message: "\(error)")
                    }
                }
                return result
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
        versions.record(tally)
        return result
    }

    public func version(of table: String) -> TableVersion { versions.version(of: table) }

    public func createTable(_ schema: TableSchema) throws(StoreError) {
        let columns = schema.columns.map { column -> String in
            let type: String
            switch column.type {
            case .text, .longText, .json, .date, .timestamp: type = "TEXT"
            case .integer, .decimal, .boolean: type = "INTEGER"
            case .double: type = "REAL"
            case .vector: type = "BLOB"
            }
            return SQLiteStore.quote(column.name) + " " + type + (column.nullable ? "" : " NOT NULL")
        }
        let key =
            schema.primaryKey.isEmpty ? "" : ", PRIMARY KEY (" + schema.primaryKey.map(SQLiteStore.quote).joined(separator: ", ") + ")"
        let sql = "CREATE TABLE \(SQLiteStore.quote(schema.name)) (" + columns.joined(separator: ", ") + key + ") STRICT"
        do {
            try pool.write { db in try db.execute(sql: sql) }
        } catch {
            throw .engine(operation: "create table \(schema.name)", code: 0, message: "\(error)")
        }
    }

    public func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?)
        throws(StoreError) -> ColumnarScan
    {
        let types = try columns.map { name throws(StoreError) in
            guard let column = table.column(name) else { throw StoreError.unknownColumn(table: table.name, column: name) }
            return column.type
        }
        let sql =
            "SELECT rowid, " + columns.map(SQLiteStore.quote).joined(separator: ", ") + " FROM " + SQLiteStore.quote(table.name)
            + (cursor == nil ? "" : " WHERE rowid > ?") + " ORDER BY rowid"
        do {
            return try pool.read { db in
                try SQLiteStore.interruptible("scan \(table.name)", db, cancellation) { () throws(StoreError) in
                    let statement = try SQLiteStore.prepare(db, sql, "scan \(table.name)")
                    let handle = statement.sqliteStatement
                    if let cursor { sqlite3_bind_int64(handle, 1, cursor) }
                    defer { sqlite3_reset(handle) }
                    var reader = ColumnarReader(types: types, table: table.name, names: columns)
                    var last = cursor ?? 0
                    while true {
                        let rc = sqlite3_step(handle)
                        if rc == SQLITE_DONE { break }
                        guard rc == SQLITE_ROW else { throw SQLiteStore.error(db.sqliteConnection, rc, "scan \(table.name)") }
                        last = sqlite3_column_int64(handle, 0)
                        try reader.read(handle)
                    }
                    return reader.finish(cursor: last)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .engine(operation: "scan \(table.name)", code: 0, message: "\(error)")
        }
    }

    public func scan(_ table: TableSchema, columns: [String]?, batchSize: Int, _ body: ([[Value]]) throws -> Void) throws {
        let names = columns ?? table.columnNames
        let types = try names.map { name throws(StoreError) in
            guard let column = table.column(name) else { throw StoreError.unknownColumn(table: table.name, column: name) }
            return column.type
        }
        let sql =
            "SELECT " + names.map(SQLiteStore.quote).joined(separator: ", ") + " FROM " + SQLiteStore.quote(table.name) + " ORDER BY rowid"
        try pool.read { db in
            let statement = try db.makeStatement(sql: sql)
            let handle = statement.sqliteStatement
            var batch: [[Value]] = []
            batch.reserveCapacity(batchSize)
            while true {
                let rc = sqlite3_step(handle)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw SQLiteStore.error(db.sqliteConnection, rc, "scan \(table.name)") }
                batch.append(try SQLiteStore.decodeRow(handle, types: types, table: table.name, names: names))
                if batch.count == batchSize {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            sqlite3_reset(handle)
            if !batch.isEmpty { try body(batch) }
        }
    }

    public func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
        -> [[Value]]
    {
        do {
            return try pool.read { db in
                try SQLiteStore.interruptible("query", db, cancellation) { () throws(StoreError) in
                    let statement = try SQLiteStore.prepare(db, sql, "query")
                    let handle = statement.sqliteStatement
                    for (i, value) in arguments.enumerated() { SQLiteStore.bind(value, to: handle, at: Int32(i + 1)) }
                    defer {
                        sqlite3_reset(handle)
                        sqlite3_clear_bindings(handle)
                    }
                    var rows: [[Value]] = []
                    let names = (0..<columnTypes.count).map { "column \($0 + 1)" }
                    while true {
                        let rc = sqlite3_step(handle)
                        if rc == SQLITE_DONE { break }
                        guard rc == SQLITE_ROW else { throw SQLiteStore.error(db.sqliteConnection, rc, "query") }
                        rows.append(try SQLiteStore.decodeRow(handle, types: columnTypes, table: "query", names: names))
                    }
                    return rows
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .engine(operation: "query", code: 0, message: "\(error)")
        }
    }

    public func rowCount(_ table: String) throws(StoreError) -> Int {
        guard Catalog.table(named: table) != nil || table == "schema_migrations" else { throw .unknownTable(table) }
        do {
            return try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(SQLiteStore.quote(table))") ?? 0 }
        } catch {
            throw .engine(operation: "count \(table)", code: 0, message: "\(error)")
        }
    }

    /// Runs `body` on `db` so that raising `cancellation` interrupts the statement it is stepping
    /// (`sqlite3_interrupt` is safe to call from another thread while the connection is open, and
    /// `whileRunning` keeps it registered only while `body` runs on it).
    static func interruptible<T>(
        _ operation: String, _ db: Database, _ cancellation: CancellationFlag?,
        _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let connection = InterruptibleConnection(db.sqliteConnection)
        return try cancellation.whileRunning(operation, stop: { connection.interrupt() }, body)
    }

    static func prepare(_ db: Database, _ sql: String, _ operation: String) throws(StoreError) -> Statement {
        do {
            return try db.makeStatement(sql: sql)
        } catch {
            throw .engine(operation: operation, code: 0, message: "\(error)")
        }
    }

    /// Shrinks the WAL back into the main file, e.g. after a bulk load.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    // MARK: - Value mapping

    static func quote(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func bind(_ value: Value, to handle: OpaquePointer, at index: Int32) {
        switch value {
        case .null: sqlite3_bind_null(handle, index)
        case .integer(let v), .decimal(let v): sqlite3_bind_int64(handle, index, v)
        case .double(let v): sqlite3_bind_double(handle, index, v)
        case .boolean(let b): sqlite3_bind_int64(handle, index, b ? 1 : 0)
        case .text(let s), .json(let s): bindText(s, handle, index)
        case .date(let d): bindText(d.iso, handle, index)
        case .timestamp(let t): bindText(t.iso, handle, index)
        case .vector(let v):
            var little = v.map { $0.bitPattern.littleEndian }
            little.withUnsafeMutableBytes { raw in
                _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), transient)
            }
        }
    }

    static func bindText(_ s: String, _ handle: OpaquePointer, _ index: Int32) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { buffer in
            _ = sqlite3_bind_text(
                handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, Int32(buffer.count),
                transient)
        }
        if done == nil { _ = sqlite3_bind_text(handle, index, s, -1, transient) }
    }

    static func decodeRow(_ handle: OpaquePointer, types: [ColumnType], table: String, names: [String]) throws(StoreError) -> [Value] {
        var row: [Value] = []
        row.reserveCapacity(types.count)
        for (i, type) in types.enumerated() {
            row.append(try decode(handle, Int32(i), type, table: table, column: names[i]))
        }
        return row
    }

    static func decode(_ handle: OpaquePointer, _ i: Int32, _ type: ColumnType, table: String, column: String) throws(StoreError) -> Value {
        let storage = sqlite3_column_type(handle, i)
        if storage == SQLITE_NULL { return .null }
        func text() -> String {
            let count = Int(sqlite3_column_bytes(handle, i))
            guard let p = sqlite3_column_text(handle, i) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        }
        func mismatch() -> StoreError { .typeMismatch(table: table, column: column, expected: type, found: text()) }
        switch type {
        case .text, .longText: return .text(text())
        case .json: return .json(text())
        case .integer:
            guard storage == SQLITE_INTEGER else { throw mismatch() }
            return .integer(sqlite3_column_int64(handle, i))
        case .decimal:
            guard storage == SQLITE_INTEGER else { throw mismatch() }
            return .decimal(sqlite3_column_int64(handle, i))
        case .double:
            return .double(sqlite3_column_double(handle, i))
        case .boolean:
            return .boolean(sqlite3_column_int64(handle, i) != 0)
        case .date:
            guard let p = sqlite3_column_text(handle, i),
                let day = Day(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))))
            else { throw mismatch() }
            return .date(day)
        case .timestamp:
            guard let p = sqlite3_column_text(handle, i),
                let t = Timestamp(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))))
            else { throw mismatch() }
            return .timestamp(t)
        case .vector:
            let count = Int(sqlite3_column_bytes(handle, i)) / 4
            guard let p = sqlite3_column_blob(handle, i) else { return .vector([]) }
            let raw = UnsafeRawBufferPointer(start: p, count: count * 4)
            return .vector(
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) })
        }
    }

    static func error(_ connection: OpaquePointer?, _ rc: Int32, _ operation: String) -> StoreError {
        .engine(operation: operation, code: rc, message: String(cString: sqlite3_errmsg(connection)))
    }
}

/// A SQLite connection handle that another thread may interrupt.
private struct InterruptibleConnection: @unchecked Sendable {
    let handle: OpaquePointer?
    init(_ handle: OpaquePointer?) { self.handle = handle }
    func interrupt() { sqlite3_interrupt(handle) }
}

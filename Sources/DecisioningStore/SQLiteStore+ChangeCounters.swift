public import DecisioningCore
import GRDB
import GRDBSQLite

/// The durable change marks of migration 0003 (`store_identity`, `table_changes` and its triggers),
/// read together with the rows in one WAL read transaction, so marks and rows always agree.
extension SQLiteStore: ChangeCountingStore {
    public func scanColumnarMarked(
        _ table: TableSchema, columns: [String], after cursor: Int64?, probe: Int64?, cancellation: CancellationFlag?
    ) throws(StoreError) -> MarkedColumnarScan? {
        let types = try columns.map { name throws(StoreError) in
            guard let column = table.column(name) else { throw StoreError.unknownColumn(table: table.name, column: name) }
            return column.type
        }
        let select =
            "SELECT rowid, " + columns.map(SQLiteStore.quote).joined(separator: ", ") + " FROM " + SQLiteStore.quote(table.name)
        let operation = "scan \(table.name)"
        do {
            return try pool.read { db in
                try SQLiteStore.interruptible(operation, db, cancellation) { () throws(StoreError) -> MarkedColumnarScan? in
                    guard let marks = try SQLiteStore.changeMarks(db, table: table.name) else { return nil }
                    var total: Int?
                    var probed: ColumnarScan?
                    if let probe {
                        total = try SQLiteStore.integer(db, "SELECT count(*) FROM " + SQLiteStore.quote(table.name), operation)
                        probed = try SQLiteStore.readColumnar(
                            db, select + " WHERE rowid = ?", argument: probe, table: table, columns: columns, types: types, cursor: probe)
                    }
                    let scan = try SQLiteStore.readColumnar(
                        db, select + (cursor == nil ? "" : " WHERE rowid > ?") + " ORDER BY rowid", argument: cursor, table: table,
                        columns: columns, types: types, cursor: cursor ?? 0)
                    return MarkedColumnarScan(scan: scan, marks: marks, totalRows: total, probe: probed)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .engine(operation: operation, code: 0, message: "\(error)")
        }
    }

    /// The identity token, the applied migrations and `table`'s rewrite counter; nil when the
    /// database has no change counters (not migrated to 0003) or none for `table`.
    static func changeMarks(_ db: Database, table: String) throws(StoreError) -> ChangeMarks? {
        let operation = "read the change counters"
        let present = try integer(
            db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('store_identity', 'table_changes')", operation)
        guard present == 2 else { return nil }
        do {
            guard let rewrites = try Int64.fetchOne(db, sql: "SELECT rewrites FROM table_changes WHERE table_name = ?", arguments: [table]),
                let identity = try String.fetchOne(db, sql: "SELECT token FROM store_identity ORDER BY rowid LIMIT 1")
            else { return nil }
            let migrations = try String.fetchAll(db, sql: "SELECT id FROM schema_migrations ORDER BY rowid")
            return ChangeMarks(identity: identity, migrations: migrations, rewrites: rewrites)
        } catch {
            throw .engine(operation: operation, code: 0, message: "\(error)")
        }
    }

    static func integer(_ db: Database, _ sql: String, _ operation: String) throws(StoreError) -> Int {
        do {
            return try Int.fetchOne(db, sql: sql) ?? 0
        } catch {
            throw .engine(operation: operation, code: 0, message: "\(error)")
        }
    }

    /// Steps `sql` (`SELECT rowid, columns…`, with at most one rowid argument) into columnar arrays.
    static func readColumnar(
        _ db: Database, _ sql: String, argument: Int64?, table: TableSchema, columns: [String], types: [ColumnType], cursor: Int64
    ) throws(StoreError) -> ColumnarScan {
        let statement = try prepare(db, sql, "scan \(table.name)")
        let handle = statement.sqliteStatement
        if let argument { sqlite3_bind_int64(handle, 1, argument) }
        defer { sqlite3_reset(handle) }
        var reader = ColumnarReader(types: types, table: table.name, names: columns)
        var last = cursor
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(db.sqliteConnection, rc, "scan \(table.name)") }
            last = sqlite3_column_int64(handle, 0)
            try reader.read(handle)
        }
        return reader.finish(cursor: last)
    }
}

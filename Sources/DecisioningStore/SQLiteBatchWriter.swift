import DecisioningCore
import GRDB
import GRDBSQLite

/// Writes inside one SQLite write transaction (`SQLiteStore.writeBatch`).
struct SQLiteBatchWriter: BatchWriter {
    let db: Database
    let tally: ChangeTally
    /// The indexes bulk loads of this batch set aside, and where each table's new rows begin.
    let bulk = SQLiteBulkState()

    /// An inserter that tells a key repeated within the batch from one stored before it by where the
    /// conflicting row lives: rows inserted by this batch have rowids above the table's largest rowid
    /// before the batch (SQLite gives a new row the largest rowid + 1), so no key needs keeping in memory.
    func inserter(for table: TableSchema, columns: [String], onConflict: ConflictPolicy) throws(StoreError) -> any RowInserter {
        for name in columns where table.column(name) == nil { throw .unknownColumn(table: table.name, column: name) }
        let base = try rowidBase(of: table)
        let quoted = SQLiteStore.quote(table.name)
        let names = columns.map(SQLiteStore.quote).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        var sql = "INSERT INTO \(quoted) (\(names)) VALUES (\(placeholders))"
        switch onConflict {
        case .fail: break
        case .skip: sql += " ON CONFLICT DO NOTHING"
        case .replace:
            let keys = table.primaryKey.map(SQLiteStore.quote).joined(separator: ", ")
            let updates = columns.filter { !table.primaryKey.contains($0) }
                .map { "\(SQLiteStore.quote($0)) = excluded.\(SQLiteStore.quote($0))" }
            // Only a row stored before the batch is overwritten; a key repeated within the batch
            // changes nothing, and the inserter reports it (`.repeated`).
            sql +=
                updates.isEmpty
                ? " ON CONFLICT DO NOTHING"
                : " ON CONFLICT (\(keys)) DO UPDATE SET " + updates.joined(separator: ", ") + " WHERE \(quoted).rowid <= \(base)"
        }
        let keyPositions = table.primaryKey.compactMap { columns.firstIndex(of: $0) }
        do {
            let statement = try db.makeStatement(sql: sql)
            var lookup: Statement?
            if !keyPositions.isEmpty && keyPositions.count == table.primaryKey.count {
                // The conflicting row's rowid (NULL when there is none) and the key as bound, for messages.
                let condition = table.primaryKey.enumerated().map { "\(SQLiteStore.quote($1)) = ?\($0 + 1)" }.joined(separator: " AND ")
                let echo = table.primaryKey.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
                lookup = try db.makeStatement(sql: "SELECT (SELECT rowid FROM \(quoted) WHERE \(condition)), \(echo)")
            }
            tally.touch(table.name, rewrite: onConflict == .replace)
            return SQLiteRowInserter(
                statement: statement, lookup: lookup, connection: db.sqliteConnection, table: table, columnCount: columns.count,
                keyPositions: keyPositions, policy: onConflict, base: base)
        } catch {
            throw .engine(operation: "prepare insert into \(table.name)", code: 0, message: "\(error)")
        }
    }

    func execute(_ sql: String, arguments: [Value]) throws(StoreError) {
        tally.touchAll()
        do {
            let statement = try db.makeStatement(sql: sql)
            let handle = statement.sqliteStatement
            for (i, value) in arguments.enumerated() { SQLiteStore.bind(value, to: handle, at: Int32(i + 1)) }
            let rc = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw SQLiteStore.error(db.sqliteConnection, rc, "execute") }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .engine(operation: "execute", code: 0, message: "\(error)")
        }
    }

    func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType]) throws(StoreError) -> [[Value]] {
        let statement = try SQLiteStore.prepare(db, sql, "query in a batch")
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
            guard rc == SQLITE_ROW else { throw SQLiteStore.error(db.sqliteConnection, rc, "query in a batch") }
            rows.append(try SQLiteStore.decodeRow(handle, types: columnTypes, table: "query", names: names))
        }
        return rows
    }

    /// The largest rowid of `table` when this batch first wrote to it (0 for an empty table).
    func rowidBase(of table: TableSchema) throws(StoreError) -> Int64 {
        if let base = bulk.bases[table.name] { return base }
        let base: Int64
        do {
            base = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(SQLiteStore.quote(table.name))") ?? 0
        } catch {
            throw .engine(operation: "read the last rowid of \(table.name)", code: 0, message: "\(error)")
        }
        // Past this SQLite picks new rowids at random, and rows of the batch could not be told apart;
        // no ingest reaches it (2^62 rows), so it is refused rather than handled.
        guard base < Int64.max / 2 else {
            throw .engine(
                operation: "insert into \(table.name)", code: 0,
                message: "the table's largest rowid is \(base); copy it to a new table (INSERT … SELECT) before loading more")
        }
        bulk.bases[table.name] = base
        return base
    }
}

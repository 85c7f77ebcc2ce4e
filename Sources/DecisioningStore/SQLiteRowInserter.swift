import DecisioningCore
import GRDB
import GRDBSQLite

/// Inserts rows through one prepared statement, binding each value straight onto it (no
/// `StatementArguments` per row): from `Value`s (`write`) or position by position (`RowBinder`,
/// text bound in place without a copy).
final class SQLiteRowInserter: RowInserter, RowBinder {
    let statement: Statement  // keeps the prepared statement alive
    let handle: OpaquePointer
    /// `SELECT (rowid of the row with the key), key…`, with the key bound alongside the insert.
    let lookupStatement: Statement?
    let lookup: OpaquePointer?
    let connection: OpaquePointer?
    let table: TableSchema
    let keyPositions: [Int]
    let policy: ConflictPolicy
    /// The table's largest rowid before the batch: larger ones are rows of this batch.
    let base: Int64
    /// For each position, its parameter in `lookup` (1-based), or 0 for a column outside the key.
    private let lookupParameter: [Int32]
    /// 32 bytes per position, where dates and timestamps are formatted to be bound without a copy.
    private let scratch: UnsafeMutablePointer<UInt8>
    private static let scratchWidth = 32

    init(
        statement: Statement, lookup: Statement?, connection: OpaquePointer?, table: TableSchema, columnCount: Int, keyPositions: [Int],
        policy: ConflictPolicy, base: Int64
    ) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        self.lookupStatement = lookup
        self.lookup = lookup?.sqliteStatement
        self.connection = connection
        self.table = table
        self.keyPositions = keyPositions
        self.policy = policy
        self.base = base
        var parameters = [Int32](repeating: 0, count: columnCount)
        if lookup != nil {
            for (k, position) in keyPositions.enumerated() { parameters[position] = Int32(k + 1) }
        }
        lookupParameter = parameters
        scratch = .allocate(capacity: max(1, columnCount) * SQLiteRowInserter.scratchWidth)
    }

    deinit {
        // Text was bound in place: no binding may outlive the buffers it points into.
        sqlite3_clear_bindings(handle)
        if let lookup { sqlite3_clear_bindings(lookup) }
        scratch.deallocate()
    }

    var tracksBatchKeys: Bool { lookup != nil }
    var binder: (any RowBinder)? { self }

    func insert(_ row: [Value]) throws(StoreError) -> Bool {
        switch try write(row) {
        case .inserted, .replaced: return true
        case .skipped: return false
        case .repeated:
            if policy == .fail { throw .duplicateKey(table: table.name, key: keyText()) }
            return false
        }
    }

    func write(_ row: [Value]) throws(StoreError) -> InsertOutcome {
        for (position, value) in row.enumerated() { bind(value, position) }
        return try writeBound()
    }

    // MARK: - RowBinder

    func bindNull(_ position: Int) {
        sqlite3_bind_null(handle, Int32(position + 1))
        let k = lookupParameter[position]
        if k != 0 { sqlite3_bind_null(lookup, k) }
    }

    func bindInteger(_ value: Int64, _ position: Int) {
        sqlite3_bind_int64(handle, Int32(position + 1), value)
        let k = lookupParameter[position]
        if k != 0 { sqlite3_bind_int64(lookup, k, value) }
    }

    func bindDecimal(_ units: Int64, _ position: Int) { bindInteger(units, position) }

    func bindBoolean(_ value: Bool, _ position: Int) { bindInteger(value ? 1 : 0, position) }

    func bindDouble(_ value: Double, _ position: Int) {
        sqlite3_bind_double(handle, Int32(position + 1), value)
        let k = lookupParameter[position]
        if k != 0 { sqlite3_bind_double(lookup, k, value) }
    }

    func bindText(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            // A nil pointer would bind NULL; the empty string is bound as a copy of "".
            sqlite3_bind_text(handle, Int32(position + 1), "", 0, SQLiteStore.transient)
            let k = lookupParameter[position]
            if k != 0 { sqlite3_bind_text(lookup, k, "", 0, SQLiteStore.transient) }
            return
        }
        let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        // SQLITE_STATIC (nil): SQLite reads the bytes in place; the caller keeps them until `writeBound` returns.
        sqlite3_bind_text(handle, Int32(position + 1), text, Int32(bytes.count), nil)
        let k = lookupParameter[position]
        if k != 0 { sqlite3_bind_text(lookup, k, text, Int32(bytes.count), nil) }
    }

    func bindDay(_ day: Day, _ position: Int) {
        let p = scratch + position * SQLiteRowInserter.scratchWidth
        guard let count = SQLiteRowInserter.formatISO(day, seconds: nil, into: p) else {
            bind(.text(day.iso), position)
            return
        }
        bindText(UnsafeBufferPointer(start: p, count: count), position)
    }

    func bindTimestamp(_ timestamp: Timestamp, _ position: Int) {
        let p = scratch + position * SQLiteRowInserter.scratchWidth
        let day = timestamp.day
        guard let count = SQLiteRowInserter.formatISO(day, seconds: Int(timestamp.seconds - Int64(day.number) * 86_400), into: p) else {
            bind(.text(timestamp.iso), position)
            return
        }
        bindText(UnsafeBufferPointer(start: p, count: count), position)
    }

    func bind(_ value: Value, _ position: Int) {
        switch value {
        case .date(let day): bindDay(day, position)
        case .timestamp(let timestamp): bindTimestamp(timestamp, position)
        default:
            SQLiteStore.bind(value, to: handle, at: Int32(position + 1))
            let k = lookupParameter[position]
            if k != 0, let lookup { SQLiteStore.bind(value, to: lookup, at: k) }
        }
    }

    func writeBound() throws(StoreError) -> InsertOutcome {
        // An upsert's UPDATE leaves the last insert rowid alone; a new row sets it.
        if policy == .replace { sqlite3_set_last_insert_rowid(connection, Int64.min) }
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc == SQLITE_DONE {
            if sqlite3_changes(connection) > 0 {
                return policy == .replace && sqlite3_last_insert_rowid(connection) == Int64.min ? .replaced : .inserted
            }
            // Nothing written: the key is taken, by a row of this batch or by one stored before it.
            guard let rowid = try conflictingRowid() else { return .skipped }
            if rowid > base { return .repeated(ordinal: Int(rowid - base - 1)) }
            return policy == .replace ? .replaced : .skipped
        }
        let extended = sqlite3_extended_errcode(connection)
        if extended == 1555 || extended == 2067 {  // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE (macros Swift cannot import)
            if let rowid = try conflictingRowid(), rowid > base { return .repeated(ordinal: Int(rowid - base - 1)) }
            throw .duplicateKey(table: table.name, key: keyText())
        }
        if rc & 0xFF == SQLITE_CONSTRAINT {
            throw .constraint(table: table.name, reason: String(cString: sqlite3_errmsg(connection)))
        }
        throw SQLiteStore.error(connection, rc, "insert into \(table.name)")
    }

    /// The rowid of the stored row with the bound key, nil when there is none.
    private func conflictingRowid() throws(StoreError) -> Int64? {
        guard let lookup else { return nil }
        defer { sqlite3_reset(lookup) }
        let rc = sqlite3_step(lookup)
        guard rc == SQLITE_ROW else { throw SQLiteStore.error(connection, rc, "look up a key of \(table.name)") }
        return sqlite3_column_type(lookup, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(lookup, 0)
    }

    /// The bound key as text, its values joined by ", ".
    private func keyText() -> String {
        guard let lookup else { return "" }
        defer { sqlite3_reset(lookup) }
        guard sqlite3_step(lookup) == SQLITE_ROW else { return "" }
        return (1...Int32(keyPositions.count)).map { i -> String in
            guard let p = sqlite3_column_text(lookup, i) else { return "NULL" }
            return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(lookup, i))), as: UTF8.self)
        }.joined(separator: ", ")
    }

    /// Writes `YYYY-MM-DD` (and ` HH:MM:SS` with `seconds` into the day) at `p`; nil for a year
    /// outside 0…9999, which `Day.iso` writes instead.
    static func formatISO(_ day: Day, seconds: Int?, into p: UnsafeMutablePointer<UInt8>) -> Int? {
        let c = day.civil
        guard (0...9999).contains(c.year) else { return nil }
        func digits(_ value: Int, _ count: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + count - 1, through: offset, by: -1) {
                p[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
            }
        }
        digits(c.year, 4, at: 0)
        p[4] = UInt8(ascii: "-")
        digits(c.month, 2, at: 5)
        p[7] = UInt8(ascii: "-")
        digits(c.day, 2, at: 8)
        guard let seconds else { return 10 }
        p[10] = UInt8(ascii: " ")
        digits(seconds / 3600, 2, at: 11)
        p[13] = UInt8(ascii: ":")
        digits(seconds / 60 % 60, 2, at: 14)
        p[16] = UInt8(ascii: ":")
        digits(seconds % 60, 2, at: 17)
        return 19
    }
}

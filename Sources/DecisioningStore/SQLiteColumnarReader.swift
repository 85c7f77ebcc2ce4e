import DecisioningCore
import GRDBSQLite

/// Decodes SQLite rows straight into columnar arrays (column 0 of the statement is the rowid).
struct ColumnarReader {
    enum Builder {
        case ints([Int64])
        case doubles([Double])
        case strings([Int32], ByteDictionaryEncoder)
    }

    let types: [ColumnType]
    let table: String
    let names: [String]
    var builders: [Builder]
    var valid: [[Bool]?]
    var rows = 0

    init(types: [ColumnType], table: String, names: [String]) {
        self.types = types
        self.table = table
        self.names = names
        builders = types.map { type in
            switch type {
            case .double: return .doubles([])
            case .text, .longText, .json: return .strings([], ByteDictionaryEncoder())
            default: return .ints([])
            }
        }
        valid = Array(repeating: nil, count: types.count)
    }

    mutating func null(_ c: Int) {
        if valid[c] == nil { valid[c] = Array(repeating: true, count: rows) }
        valid[c]!.append(false)
    }

    mutating func read(_ handle: OpaquePointer) throws(StoreError) {
        for c in 0..<types.count {
            let i = Int32(c + 1)
            let isNull = sqlite3_column_type(handle, i) == SQLITE_NULL
            if isNull { null(c) } else { valid[c]?.append(true) }
            switch builders[c] {
            case .ints(var a):
                builders[c] = .ints([])
                a.append(isNull ? 0 : try integer(handle, i, c))
                builders[c] = .ints(a)
            case .doubles(var a):
                builders[c] = .doubles([])
                a.append(isNull ? 0 : sqlite3_column_double(handle, i))
                builders[c] = .doubles(a)
            case .strings(var codes, var encoder):
                builders[c] = .ints([])
                if isNull {
                    codes.append(-1)
                } else {
                    let p = sqlite3_column_text(handle, i)
                    let n = Int(sqlite3_column_bytes(handle, i))
                    codes.append(encoder.code(UnsafeBufferPointer(start: p, count: n)))
                }
                builders[c] = .strings(codes, encoder)
            }
        }
        rows += 1
    }

    func integer(_ handle: OpaquePointer, _ i: Int32, _ c: Int) throws(StoreError) -> Int64 {
        switch types[c] {
        case .date:
            guard let p = sqlite3_column_text(handle, i),
                  let day = Day(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i)))) else {
                throw .typeMismatch(table: table, column: names[c], expected: types[c], found: "a malformed date")
            }
            return Int64(day.number)
        case .timestamp:
            guard let p = sqlite3_column_text(handle, i),
                  let t = Timestamp(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i)))) else {
                throw .typeMismatch(table: table, column: names[c], expected: types[c], found: "a malformed timestamp")
            }
            return t.seconds
        default:
            return sqlite3_column_int64(handle, i)
        }
    }

    func finish(cursor: Int64) -> ColumnarScan {
        let columns = builders.map { builder -> ColumnarScan.Values in
            switch builder {
            case .ints(let a): return .ints(a)
            case .doubles(let a): return .doubles(a)
            case .strings(let codes, let encoder): return .strings(codes: codes, dictionary: encoder.values)
            }
        }
        return ColumnarScan(columns: columns, valid: valid, rowCount: rows, cursor: cursor)
    }
}

public import DecisioningCore
import GRDBSQLite

/// Builds columnar arrays row by row, for the stores' `scanColumnar` (SQLite reads its statement
/// directly, column 0 being the rowid; MySQL appends decoded text values).
///
/// Each column appends to an array of its storage kind; nested arrays are mutated in place, so a
/// value costs one decode and one append.
public struct ColumnarReader {
    public enum Kind {
        case int(slot: Int, type: ColumnType)
        case double(slot: Int)
        case text(slot: Int)
    }

    let types: [ColumnType]
    let table: String
    let names: [String]
    public let kinds: [Kind]
    var ints: [[Int64]] = []
    var doubles: [[Double]] = []
    var codes: [[Int32]] = []
    var encoders: [ByteDictionaryEncoder] = []
    var valid: [[Bool]?]
    var rows = 0

    public init(types: [ColumnType], table: String, names: [String]) {
        self.types = types
        self.table = table
        self.names = names
        var kinds: [Kind] = []
        var counts = (0, 0, 0)
        for type in types {
            switch type {
            case .double:
                kinds.append(.double(slot: counts.1))
                counts.1 += 1
            case .text, .longText, .json:
                kinds.append(.text(slot: counts.2))
                counts.2 += 1
            default:
                kinds.append(.int(slot: counts.0, type: type))
                counts.0 += 1
            }
        }
        self.kinds = kinds
        ints = Array(repeating: [], count: counts.0)
        doubles = Array(repeating: [], count: counts.1)
        codes = Array(repeating: [], count: counts.2)
        encoders = (0..<counts.2).map { _ in ByteDictionaryEncoder() }
        valid = Array(repeating: nil, count: types.count)
    }

    public mutating func null(_ c: Int) {
        if valid[c] == nil { valid[c] = Array(repeating: true, count: rows) }
        valid[c]!.append(false)
    }

    /// Appends a present value of column `c` (its kind decides which).
    @inline(__always)
    public mutating func present(_ c: Int) { if valid[c] != nil { valid[c]!.append(true) } }
    @inline(__always)
    public mutating func appendInt(_ slot: Int, _ value: Int64) { ints[slot].append(value) }
    @inline(__always)
    public mutating func appendDouble(_ slot: Int, _ value: Double) { doubles[slot].append(value) }
    @inline(__always)
    public mutating func appendText(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>?) {
        codes[slot].append(bytes.map { encoders[slot].code($0) } ?? -1)
    }
    @inline(__always)
    public mutating func endRow() { rows += 1 }

    mutating func read(_ handle: OpaquePointer) throws(StoreError) {
        for c in 0..<kinds.count {
            let i = Int32(c + 1)
            let isNull = sqlite3_column_type(handle, i) == SQLITE_NULL
            if isNull { null(c) } else if valid[c] != nil { valid[c]!.append(true) }
            switch kinds[c] {
            case .int(let slot, let type):
                ints[slot].append(isNull ? 0 : try integer(handle, i, c, type))
            case .double(let slot):
                doubles[slot].append(isNull ? 0 : sqlite3_column_double(handle, i))
            case .text(let slot):
                if isNull {
                    codes[slot].append(-1)
                } else {
                    let p = sqlite3_column_text(handle, i)
                    let n = Int(sqlite3_column_bytes(handle, i))
                    codes[slot].append(encoders[slot].code(UnsafeBufferPointer(start: p, count: n)))
                }
            }
        }
        rows += 1
    }

    func integer(_ handle: OpaquePointer, _ i: Int32, _ c: Int, _ type: ColumnType) throws(StoreError) -> Int64 {
        switch type {
        case .date:
            guard let p = sqlite3_column_text(handle, i),
                let day = Day(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))))
            else {
                throw .typeMismatch(table: table, column: names[c], expected: type, found: "a malformed date")
            }
            return Int64(day.number)
        case .timestamp:
            guard let p = sqlite3_column_text(handle, i),
                let t = Timestamp(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i))))
            else {
                throw .typeMismatch(table: table, column: names[c], expected: type, found: "a malformed timestamp")
            }
            return t.seconds
        default:
            return sqlite3_column_int64(handle, i)
        }
    }

    public func finish(cursor: Int64) -> ColumnarScan {
        let columns = kinds.map { kind -> ColumnarScan.Values in
            switch kind {
            case .int(let slot, _): return .ints(ints[slot])
            case .double(let slot): return .doubles(doubles[slot])
            case .text(let slot): return .strings(codes: codes[slot], dictionary: encoders[slot].values)
            }
        }
        return ColumnarScan(columns: columns, valid: valid, rowCount: rows, cursor: cursor)
    }
}

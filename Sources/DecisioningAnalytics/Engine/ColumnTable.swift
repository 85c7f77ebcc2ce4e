public import DecisioningCore

/// A table held in columnar form by the engine: the columnar copy of a Store table.
public struct ColumnTable: Sendable {
    public var name: String
    public var fields: [Field]
    public var columns: [Column]
    public var rowCount: Int

    public init(name: String, fields: [Field], columns: [Column], rowCount: Int) {
        self.name = name
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount
    }

    public func column(_ name: String) -> Column? {
        fields.firstIndex { $0.name == name }.map { columns[$0] }
    }
}

/// Builds a `ColumnTable` row by row from typed `Value`s, dictionary-encoding text as it goes.
public struct ColumnTableBuilder {
    enum Buffer {
        case ints([Int64])
        case doubles([Double])
        case strings([Int32], [String], [ByteString: Int32])
    }

    let name: String
    let fields: [Field]
    var buffers: [Buffer]
    var valid: [[Bool]?]
    public private(set) var rowCount = 0

    public init(name: String, fields: [Field], reserve: Int = 0) {
        self.name = name
        self.fields = fields
        buffers = fields.map { field in
            switch field.type {
            case .double:
                var a: [Double] = []
                a.reserveCapacity(reserve)
                return .doubles(a)
            case .text:
                var a: [Int32] = []
                a.reserveCapacity(reserve)
                return .strings(a, [], [:])
            default:
                var a: [Int64] = []
                a.reserveCapacity(reserve)
                return .ints(a)
            }
        }
        valid = Array(repeating: nil, count: fields.count)
    }

    /// Continues an existing table (for rows ingested after loading).
    public init(continuing table: ColumnTable) {
        name = table.name
        fields = table.fields
        rowCount = table.rowCount
        buffers = table.columns.map { column in
            switch column.storage {
            case .ints(let v): return .ints(v.elements)
            case .doubles(let v): return .doubles(v.elements)
            case .strings(let codes, let dictionary): return .strings(codes.elements, dictionary.values, dictionary.lookup)
            }
        }
        valid = table.columns.map(\.valid)
    }

    mutating func markNull(_ c: Int) {
        if valid[c] == nil { valid[c] = Array(repeating: true, count: rowCount) }
        valid[c]!.append(false)
    }

    /// Appends one row; `row` follows the builder's fields.
    public mutating func append(_ row: [Value]) {
        for c in 0..<fields.count {
            let value = row[c]
            if value.isNull { markNull(c) } else { valid[c]?.append(true) }
            switch buffers[c] {
            case .ints(var a):
                buffers[c] = .ints([])
                a.append(Self.integer(value))
                buffers[c] = .ints(a)
            case .doubles(var a):
                buffers[c] = .doubles([])
                if case .double(let d) = value { a.append(d) } else { a.append(0) }
                buffers[c] = .doubles(a)
            case .strings(var codes, var values, var lookup):
                buffers[c] = .ints([])
                if case .null = value {
                    codes.append(-1)
                } else {
                    let text = value.description
                    if let code = lookup[ByteString(text)] {
                        codes.append(code)
                    } else {
                        let code = Int32(values.count)
                        values.append(text)
                        lookup[ByteString(text)] = code
                        codes.append(code)
                    }
                }
                buffers[c] = .strings(codes, values, lookup)
            }
        }
        rowCount += 1
    }

    static func integer(_ value: Value) -> Int64 {
        switch value {
        case .integer(let v), .decimal(let v): return v
        case .date(let d): return Int64(d.number)
        case .timestamp(let t): return t.seconds
        case .boolean(let b): return b ? 1 : 0
        default: return 0
        }
    }

    public func build() -> ColumnTable {
        var columns: [Column] = []
        for (c, field) in fields.enumerated() {
            let storage: Column.Storage
            switch buffers[c] {
            case .ints(let a): storage = .ints(ColumnValues(a))
            case .doubles(let a): storage = .doubles(ColumnValues(a))
            case .strings(let codes, let values, _): storage = .strings(ColumnValues(codes), StringDictionary(values))
            }
            columns.append(Column(type: field.type, storage: storage, valid: valid[c]))
        }
        return ColumnTable(name: name, fields: fields, columns: columns, rowCount: rowCount)
    }
}

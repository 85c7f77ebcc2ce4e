import CFuzzer
public import DecisioningCore
public import DecisioningStore
import Foundation

// MARK: - Entry point

/// Runs libFuzzer with `callback` as the target: call it from `<module>_main` (see Package.swift).
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

// MARK: - Failing a property

/// Stops the process with `message` when `condition` is false. libFuzzer reports the trap as a crash
/// and saves the input; the message is on stderr just above its stack trace.
@inline(__always)
public func check(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fail(message(), file: file, line: line) }
}

public func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    FileHandle.standardError.write(Data("\nFUZZ PROPERTY VIOLATED (\(file):\(line)): \(message)\n".utf8))
    fatalError("fuzz property violated: \(message)", file: file, line: line)
}

// MARK: - Decoding fuzz bytes

/// Takes typed values off the front of the fuzz input; past the end every read returns zero, so a
/// decoder always terminates and short inputs decode to small structures.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) { bytes = Array(UnsafeBufferPointer(start: data, count: size)) }

    public var isAtEnd: Bool { position >= bytes.count }
    public var remaining: Int { max(0, bytes.count - position) }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A value in `0..<count` (0 when count is 0).
    public mutating func index(_ count: Int) -> Int { count <= 0 ? 0 : Int(byte()) % count }

    public mutating func pick<T>(_ items: [T]) -> T { items[index(items.count)] }

    public mutating func uint64() -> UInt64 {
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(byte()) }
        return v
    }

    public mutating func int64() -> Int64 { Int64(bitPattern: uint64()) }

    /// Mostly small numbers, sometimes the extremes of the range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        switch byte() % 8 {
        case 0: return range.lowerBound
        case 1: return range.upperBound
        default:
            let width = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
            let r = uint64()
            return width == 0 ? Int(Int64(bitPattern: r)) : range.lowerBound &+ Int(r % width)
        }
    }

    /// Up to `maxLength` raw bytes (length from one byte).
    public mutating func bytes(maxLength: Int) -> [UInt8] {
        let n = min(index(maxLength + 1), remaining)
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// Text from up to `maxLength` bytes, decoded as UTF-8 (invalid sequences become U+FFFD).
    public mutating func string(maxLength: Int) -> String { String(decoding: bytes(maxLength: maxLength), as: UTF8.self) }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }
}

// MARK: - An in-memory Store

/// A `Store` that keeps the rows of the last committed `writeBatch`, so that targets can compare what
/// ingest wrote with what they expected, without SQLite's cost per input.
public final class MemoryStore: Store, @unchecked Sendable {
    public struct Insert: Hashable {
        public var table: String
        public var columns: [String]
        public var row: [Value]
    }

    public let url = DatabaseURL.sqlite(path: ":memory:")
    /// Rows committed by the last successful batch, in insertion order.
    public private(set) var committed: [Insert] = []
    public private(set) var batches = 0

    public init() {}

    public func migrate() throws(StoreError) -> [String] { [] }
    public func appliedMigrations() throws(StoreError) -> [String] { [] }

    public func writeBatch<T>(_ body: (any BatchWriter) throws -> T) throws -> T {
        let writer = Writer()
        let result = try body(writer)
        committed = writer.rows
        batches += 1
        return result
    }

    final class Writer: BatchWriter {
        var rows: [Insert] = []
        func inserter(for table: TableSchema, columns: [String], onConflict: ConflictPolicy) throws(StoreError) -> any RowInserter {
            for c in columns { check(table.column(c) != nil, "inserter for unknown column \(c) of \(table.name)") }
            check(Set(columns).count == columns.count, "inserter with a repeated column: \(columns)")
            let order = columns.map { table.columnIndex($0)! }
            check(order == order.sorted(), "inserter columns not in table order: \(columns)")
            return Inserter(writer: self, table: table, columns: columns)
        }
        func execute(_ sql: String, arguments: [Value]) throws(StoreError) {}
    }

    struct Inserter: RowInserter {
        let writer: Writer
        let table: TableSchema
        let columns: [String]
        func insert(_ row: [Value]) throws(StoreError) -> Bool {
            check(row.count == columns.count, "row of \(row.count) values for \(columns.count) columns")
            for (name, value) in zip(columns, row) {
                let column = table.column(name)!
                if let problem = MemoryStore.problem(value, column) {
                    fail("ingest wrote \(value) (\(value.kindName)) into \(table.name).\(name) \(column.type): \(problem)")
                }
            }
            writer.rows.append(Insert(table: table.name, columns: columns, row: row))
            return true
        }
    }

    public func scan(_ table: TableSchema, columns: [String]?, batchSize: Int, _ body: ([[Value]]) throws -> Void) throws {}
    public func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
        -> [[Value]]
    { [] }
    public func rowCount(_ table: String) throws(StoreError) -> Int { committed.count }
    public func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?)
        throws(StoreError) -> ColumnarScan
    {
        fatalError("not used by the fuzz targets")
    }
    public func version(of table: String) -> TableVersion { TableVersion() }
    public func createTable(_ schema: TableSchema) throws(StoreError) {}

    /// Why `value` does not belong in `column`, or nil when it does: ingest must only write values that
    /// its schema allows.
    public static func problem(_ value: Value, _ column: ColumnSchema) -> String? {
        switch (value, column.type) {
        case (.null, _):
            return column.nullable ? nil : "NULL in a NOT NULL column"
        case (.text(let s), .text(let max)):
            return s.unicodeScalars.count <= max ? nil : "\(s.unicodeScalars.count) characters, more than \(max)"
        case (.text, .longText), (.integer, .integer), (.date, .date), (.timestamp, .timestamp), (.boolean, .boolean):
            return nil
        case (.decimal(let units), .decimal(let precision, _)):
            guard precision <= 18 else { return nil }
            return units.magnitude < UInt64(FixedPoint.powersOfTen[precision]) ? nil : "more than \(precision) digits"
        case (.double(let d), .double):
            return d.isFinite ? nil : "not finite"
        case (.json(let s), .json):
            return validJSON(s) ? nil : "not valid JSON for Foundation's JSONSerialization"
        case (.vector(let v), .vector(let dimensions)):
            if v.count > dimensions { return "\(v.count) numbers, more than \(dimensions)" }
            return v.allSatisfy(\.isFinite) ? nil : "a number that is not finite"
        default:
            return "wrong kind of value for the column"
        }
    }

    /// A second opinion on JSON text: Foundation's parser (any top-level value).
    public static func validJSON(_ s: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(s.utf8), options: [.fragmentsAllowed])) != nil
    }
}

extension Value {
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .double: return "double"
        case .text: return "text"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .boolean: return "boolean"
        case .json: return "json"
        case .vector: return "vector"
        }
    }
}

// MARK: - Input files

/// Writes fuzz inputs to files under one scratch directory per process (ingest reads files only).
public enum ScratchFiles {
    public static let directory: String = {
        let base = ProcessInfo.processInfo.environment["FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        let dir = (base as NSString).appendingPathComponent("decisioning-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    public static func write(_ bytes: [UInt8], name: String) -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        // Plain stdio: FileManager.createFile writes atomically with an fsync, about 10 ms per input.
        guard let file = fopen(path, "wb") else { fail("cannot write \(path)") }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        check(written == bytes.count, "short write to \(path)")
        return path
    }
}

// MARK: - CSV and JSON text of values

public enum Render {
    /// A CSV field: quoted when it must be (or when `forceQuotes`), with quotes doubled.
    public static func csvField(_ text: String, forceQuotes: Bool = false) -> String {
        let special: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D]  // , " LF CR
        let needs = text.utf8.contains { special.contains($0) }
        guard needs || forceQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The CSV field ingest reads back as `value` in a column of `type`: NULL is an empty unquoted
    /// field, the empty string a quoted one.
    public static func csvField(_ value: Value, _ type: ColumnType) -> String {
        switch value {
        case .null: return ""
        case .text(let s), .json(let s): return csvField(s, forceQuotes: s.isEmpty)
        default: return csvField(value.rendered(as: type))
        }
    }

    /// A JSON string literal; `style` picks, per scalar, between the raw character (where JSON allows it),
    /// a short escape and a \u escape (surrogate pairs above U+FFFF).
    public static func jsonString(_ text: String, style: (Unicode.Scalar) -> UInt8 = { _ in 0 }) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            let choice = style(scalar) % 3
            let v = scalar.value
            let short: String? =
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                case "\u{08}": "\\b"
                case "\u{0C}": "\\f"
                case "/": "\\/"
                default: nil
                }
            let mustEscape = v < 0x20 || scalar == "\"" || scalar == "\\"
            if choice == 0 && !mustEscape {
                out.unicodeScalars.append(scalar)
            } else if choice == 1, let short {
                out += short
            } else if v > 0xFFFF {
                let u = v - 0x10000
                out += hex4(0xD800 + (u >> 10)) + hex4(0xDC00 + (u & 0x3FF))
            } else {
                out += hex4(v)
            }
        }
        return out + "\""
    }

    static func hex4(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: v & 1 == 0)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The JSON value ingest reads back as `value` in a column of `type`.
    public static func jsonValue(_ value: Value, _ type: ColumnType) -> String {
        switch value {
        case .null: return "null"
        case .text(let s): return jsonString(s)
        case .json(let s): return s
        case .integer(let v): return String(v)
        case .boolean(let b): return b ? "true" : "false"
        case .double(let d): return "\(d)"
        case .vector(let v): return "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
        case .decimal, .date, .timestamp: return jsonString(value.rendered(as: type))
        }
    }
}

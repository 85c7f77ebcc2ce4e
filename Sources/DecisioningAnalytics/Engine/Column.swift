import Foundation
import Synchronization

/// A string compared and hashed by its UTF-8 bytes, as SQLite's BINARY collation and MySQL's
/// `utf8mb4_bin` do; Swift's `String ==` would merge canonically equivalent spellings ("é" and "e\u{301}").
struct ByteString: Hashable, Sendable {
    let string: String
    init(_ string: String) { self.string = string }
    static func == (a: ByteString, b: ByteString) -> Bool { order(a.string, b.string) == 0 }
    func hash(into hasher: inout Hasher) {
        // Every spelling of the same bytes feeds the hasher the same bytes, at once.
        if string.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (binary order).
    static func precedes(_ a: String, _ b: String) -> Bool { order(a, b) < 0 }

    /// -1, 0 or 1 as `a`'s UTF-8 bytes sort before, equal or after `b`'s: one `memcmp` for native
    /// strings (whose UTF-8 is contiguous), byte by byte otherwise.
    static func order(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Int in
                let common = min(x.count, y.count)
                if common > 0, let xa = x.baseAddress, let ya = y.baseAddress {
                    let c = memcmp(xa, ya, common)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return x.count < y.count ? -1 : x.count == y.count ? 0 : 1
            }
        }
        if let fast, let order = fast { return order }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

/// The distinct strings of a text column, in first-seen order; rows hold 32-bit codes into it.
///
/// The code of each string and each code's rank are built on first use: a table read from its
/// snapshot has dictionaries of up to a million strings that many queries never look up or sort.
/// Read `lookup` and `ranks` once per operation, outside loops (each read takes a lock).
public final class StringDictionary: Sendable {
    public let values: [String]
    private let lookupTable = Mutex<[ByteString: Int32]?>(nil)
    private let rankTable = Mutex<[Int32]?>(nil)

    public init(_ values: [String]) {
        self.values = values
    }

    /// Each string's code.
    var lookup: [ByteString: Int32] {
        lookupTable.withLock { table in
            if let table { return table }
            var built: [ByteString: Int32] = [:]
            built.reserveCapacity(values.count)
            for (i, v) in values.enumerated() { built[ByteString(v)] = Int32(i) }
            table = built
            return built
        }
    }

    /// Each code's position in binary (UTF-8 byte) order, the collation of SQLite and `utf8mb4_bin`.
    var ranks: [Int32] {
        rankTable.withLock { table in
            if let table { return table }
            let order = values.indices.sorted { ByteString.precedes(values[$0], values[$1]) }
            var built = [Int32](repeating: 0, count: values.count)
            for (rank, code) in order.enumerated() { built[code] = Int32(rank) }
            table = built
            return built
        }
    }

    public var count: Int { values.count }

    private let translations = TranslationCache()

    /// For each of this dictionary's codes, the code of the same string in `other` (-1 when absent).
    /// Dictionaries never change, so the answer is kept for the next join between the same columns.
    func translation(to other: StringDictionary) -> [Int32] {
        if other === self { return (0..<Int32(values.count)).map { $0 } }
        if let done = translations.get(other) { return done }
        let codes = other.lookup
        let map = values.map { codes[ByteString($0)] ?? -1 }
        translations.set(other, map)
        return map
    }

    public func code(of value: String) -> Int32? { lookup[ByteString(value)] }

    static let empty = StringDictionary([])
}

/// One column of values in columnar form. Integers, decimals (as units), dates (as day numbers),
/// timestamps (as seconds) and booleans share 64-bit integer storage; the `DataType` gives meaning.
public struct Column: Sendable {
    public enum Storage: Sendable {
        case ints(ColumnValues<Int64>)
        case doubles(ColumnValues<Double>)
        /// Codes into the dictionary; the code of a NULL row is -1.
        case strings(ColumnValues<Int32>, StringDictionary)
    }

    public var type: DataType
    public var storage: Storage
    /// nil when every value is present.
    public var valid: [Bool]?

    public init(type: DataType, storage: Storage, valid: [Bool]?) {
        self.type = type
        self.storage = storage
        self.valid = valid
    }

    public var count: Int {
        switch storage {
        case .ints(let v): return v.count
        case .doubles(let v): return v.count
        case .strings(let c, _): return c.count
        }
    }

    @inline(__always) func isValid(_ i: Int) -> Bool { valid?[i] ?? true }

    /// The value at row `i`, for results and tests (not for kernels).
    public func value(_ i: Int) -> EngineValue {
        guard isValid(i) else { return .null }
        switch storage {
        case .ints(let v): return .int(v[i])
        case .doubles(let v): return .double(v[i])
        case .strings(let codes, let dictionary): return codes[i] < 0 ? .null : .text(dictionary.values[Int(codes[i])])
        }
    }

    /// Rows picked by `index`; an index of -1 yields NULL (the unmatched side of a left join).
    func gather(_ index: [Int32]) -> Column {
        var valid: [Bool]? = nil
        let n = index.count
        let hasMissing = index.contains { $0 < 0 }
        if self.valid != nil || hasMissing {
            let source = self.valid
            valid = index.map { $0 >= 0 && (source?[Int($0)] ?? true) }
        }
        switch storage {
        case .ints(let v):
            let out = [Int64](unsafeUninitializedCapacity: n) { buffer, count in
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n {
                        let r = index[i]
                        buffer[i] = r >= 0 ? src[Int(r)] : 0
                    }
                }
                count = n
            }
            return Column(type: type, storage: .ints(ColumnValues(out)), valid: valid)
        case .doubles(let v):
            let out = [Double](unsafeUninitializedCapacity: n) { buffer, count in
                v.withUnsafeBufferPointer { src in
                    for i in 0..<n {
                        let r = index[i]
                        buffer[i] = r >= 0 ? src[Int(r)] : 0
                    }
                }
                count = n
            }
            return Column(type: type, storage: .doubles(ColumnValues(out)), valid: valid)
        case .strings(let codes, let dictionary):
            let out = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
                codes.withUnsafeBufferPointer { src in
                    for i in 0..<n {
                        let r = index[i]
                        buffer[i] = r >= 0 ? src[Int(r)] : -1
                    }
                }
                count = n
            }
            return Column(type: type, storage: .strings(ColumnValues(out), dictionary), valid: valid)
        }
    }
}

/// A single value read out of a column.
public enum EngineValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
}

/// Remembers translations to a few other dictionaries (weakly: a dropped table frees its entries).
final class TranslationCache: Sendable {
    private struct Entry {
        weak var target: StringDictionary?
        var map: [Int32]
    }
    private let entries = Mutex<[Entry]>([])

    func get(_ target: StringDictionary) -> [Int32]? {
        entries.withLock { entries in entries.first { $0.target === target }?.map }
    }

    func set(_ target: StringDictionary, _ map: [Int32]) {
        entries.withLock { entries in
            entries.removeAll { $0.target == nil }
            if entries.count >= 8 { entries.removeFirst() }
            entries.append(Entry(target: target, map: map))
        }
    }
}

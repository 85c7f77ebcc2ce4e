/// A table's columns read in one pass, already in columnar form, for loading the column engine.
///
/// Integers, decimals (units), dates (day numbers), timestamps (seconds) and booleans arrive as
/// `Int64`; text arrives dictionary-encoded. `cursor` resumes the scan after the last row read,
/// so rows appended later can be read without reading the table again.
public struct ColumnarScan: Sendable {
    public enum Values: Sendable {
        case ints([Int64])
        case doubles([Double])
        /// Codes into `dictionary`; a NULL row has code -1.
        case strings(codes: [Int32], dictionary: [String])
    }

    public var columns: [Values]
    /// Per column: nil when every value is present.
    public var valid: [[Bool]?]
    public var rowCount: Int
    /// Where the next incremental scan starts (SQLite: the last rowid read).
    public var cursor: Int64

    public init(columns: [Values], valid: [[Bool]?], rowCount: Int, cursor: Int64) {
        self.columns = columns
        self.valid = valid
        self.rowCount = rowCount
        self.cursor = cursor
    }
}

/// How a table changed since a reader last looked: appended rows can be read incrementally,
/// anything else (upserts, deletes) means the reader must read the table again.
public struct TableVersion: Sendable, Hashable {
    public var appends: Int
    public var rewrites: Int
    public init(appends: Int = 0, rewrites: Int = 0) {
        self.appends = appends
        self.rewrites = rewrites
    }
}

/// Dictionary-encodes UTF-8 strings straight from bytes, allocating a `String` only for new values.
public struct ByteDictionaryEncoder {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var arena: [UInt8] = []
    public private(set) var values: [String] = []
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    public mutating func code(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if hashes[Int(code)] == h && equal(Int(code), bytes) { return code }
            slot = (slot + 1) & mask
        }
        let code = Int32(values.count)
        slots[slot] = code
        hashes.append(h)
        starts.append(arena.count)
        arena.append(contentsOf: bytes)
        values.append(String(decoding: bytes, as: UTF8.self))
        if values.count * 2 > slots.count { grow() }
        return code
    }

    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[code]
        let end = code + 1 < starts.count ? starts[code + 1] : arena.count
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for i in 0..<bytes.count where a[start + i] != bytes[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (code, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
        }
    }
}

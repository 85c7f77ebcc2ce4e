import Crypto
public import DecisioningCore

/// A checksum over some columns of a table's rows that does not depend on the order the rows are
/// read in, so both engines give the same value: each row's canonical text (the values joined by
/// U+001F; DECIMALs in exact fixed-point form, NULL as U+0000) is hashed with SHA-256, and the
/// digests are added as four 64-bit lanes, wrapping.
public struct TableChecksum: Sendable, Hashable, CustomStringConvertible {
    public private(set) var rows = 0
    private var lanes: [UInt64] = [0, 0, 0, 0]
    private let types: [ColumnType]

    public init(types: [ColumnType]) { self.types = types }

    public mutating func add(_ row: [Value]) {
        var text = ""
        for (i, value) in row.enumerated() {
            if i > 0 { text.unicodeScalars.append("\u{1F}") }
            text += Self.canonical(value, as: i < types.count ? types[i] : .longText)
        }
        let digest = SHA256.hash(data: Array(text.utf8))
        var lane = 0
        var word: UInt64 = 0
        for (i, byte) in digest.enumerated() {
            word = word << 8 | UInt64(byte)
            if i % 8 == 7 {
                lanes[lane] &+= word
                lane += 1
                word = 0
            }
        }
        rows += 1
    }

    static func canonical(_ value: Value, as type: ColumnType) -> String {
        switch value {
        case .null: return "\u{0}"
        case .decimal(let units): return FixedPoint.format(units, scale: type.decimalScale ?? 0)
        default: return value.description
        }
    }

    /// The 256-bit sum in hexadecimal.
    public var hex: String {
        lanes.map { lane in
            let digits = String(lane, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public var description: String { "\(rows) rows, \(hex)" }

    public static func == (a: TableChecksum, b: TableChecksum) -> Bool { a.rows == b.rows && a.lanes == b.lanes }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rows)
        hasher.combine(lanes)
    }
}

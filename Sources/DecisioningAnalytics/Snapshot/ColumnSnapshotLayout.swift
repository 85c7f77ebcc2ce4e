import DecisioningCore

/// The layout of one column in a snapshot file, after the header (little-endian, every part padded
/// to a multiple of 8 bytes so that values can be copied straight into the engine's arrays):
///
/// 1. 24 bytes: name length (u32), type tag (u8), decimal scale (u8), storage (u8), flags (u8, bit 0:
///    a validity bitmap follows), dictionary count (u64), dictionary bytes (u64);
/// 2. the name (UTF-8);
/// 3. with flag bit 0, the validity bitmap: bit `i % 8` of byte `i / 8` is set when row `i` is present;
/// 4. the values: rows × 8 bytes (Int64 or Double) or rows × 4 bytes (Int32 dictionary codes, -1 for NULL);
/// 5. text only: dictionary count + 1 offsets (u64) into the dictionary bytes, then the bytes (UTF-8).
enum ColumnSnapshotLayout {
    static let columnHeaderSize = 24
    static let maxNameLength = 1024

    enum Storage: UInt8 {
        case ints = 1
        case doubles = 2
        case codes = 3
    }

    static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    static func tag(_ type: DataType) -> (tag: UInt8, scale: UInt8) {
        switch type {
        case .integer: return (1, 0)
        case .decimal(let scale): return (2, UInt8(clamping: scale))
        case .double: return (3, 0)
        case .text: return (4, 0)
        case .date: return (5, 0)
        case .timestamp: return (6, 0)
        case .boolean: return (7, 0)
        }
    }

    static func type(tag: UInt8, scale: UInt8) -> DataType? {
        switch tag {
        case 1: return .integer
        case 2: return .decimal(scale: Int(scale))
        case 3: return .double
        case 4: return .text
        case 5: return .date
        case 6: return .timestamp
        case 7: return .boolean
        default: return nil
        }
    }

    /// The storage the engine uses for a type (as `ColumnTableBuilder` does).
    static func storage(_ type: DataType) -> Storage {
        switch type {
        case .double: return .doubles
        case .text: return .codes
        default: return .ints
        }
    }

    /// FNV-1a over the table's schema and the applied migrations: a snapshot written under another
    /// schema or migration history is not read.
    static func fingerprint(_ schema: TableSchema, migrations: [String]) -> UInt64 {
        var text = "\(ColumnSnapshotHeader.formatVersion)|\(schema.name)"
        for column in schema.columns { text += "|\(column.name):\(column.type.description):\(column.nullable)" }
        text += "|key:" + schema.primaryKey.joined(separator: ",") + "|migrations:" + migrations.joined(separator: ",")
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

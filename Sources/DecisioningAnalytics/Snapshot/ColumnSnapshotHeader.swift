/// The fixed 128-byte header of a column snapshot file, little-endian:
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | magic `DCOLSNAP` |
/// | 8 | 4 | format version (1) |
/// | 12 | 4 | column count |
/// | 16 | 8 | schema fingerprint (the table's schema and the applied migrations) |
/// | 24 | 8 | change counter: the table's rewrites (`table_changes.rewrites`) when read |
/// | 32 | 8 | cursor: the rowid of the last row held |
/// | 40 | 8 | row count |
/// | 48 | 8 | file length in bytes, header included |
/// | 56 | 8 | checksum of the bytes after the header |
/// | 64 | 48 | store identity token (UTF-8, zero-padded) |
/// | 112 | 8 | reserved, zero |
/// | 120 | 8 | checksum of bytes 0..<120 |
struct ColumnSnapshotHeader: Equatable {
    static let size = 128
    static let magic = Array("DCOLSNAP".utf8)
    static let formatVersion: UInt32 = 1
    static let identityCapacity = 48

    var columnCount: Int
    var fingerprint: UInt64
    var rewrites: Int64
    var cursor: Int64
    var rowCount: Int
    var fileLength: Int
    var payloadChecksum: UInt64
    var identity: String

    func encoded() -> [UInt8] {
        var bytes = Self.magic
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        put(Self.formatVersion)
        put(UInt32(columnCount))
        put(fingerprint)
        put(rewrites)
        put(cursor)
        put(Int64(rowCount))
        put(UInt64(fileLength))
        put(payloadChecksum)
        let token = Array(identity.utf8.prefix(Self.identityCapacity))
        bytes.append(contentsOf: token + [UInt8](repeating: 0, count: Self.identityCapacity - token.count))
        put(UInt64(0))
        let sum = bytes.withUnsafeBytes { SnapshotChecksum.of($0) }
        put(sum)
        return bytes
    }

    /// Reads and checks a header: magic, version, its own checksum and sane sizes.
    static func decode(_ raw: UnsafeRawBufferPointer) throws(ColumnSnapshotRejection) -> ColumnSnapshotHeader {
        guard raw.count >= size else { throw .truncated("the file has \(raw.count) bytes, less than a header") }
        guard raw.prefix(8).elementsEqual(magic) else { throw .notASnapshot }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        let version = get(8, UInt32.self)
        guard version == formatVersion else { throw .formatVersion(version) }
        guard SnapshotChecksum.of(UnsafeRawBufferPointer(rebasing: raw[0..<120])) == get(120, UInt64.self) else {
            throw .corrupt("the header's checksum does not match")
        }
        let columns = get(12, UInt32.self)
        let rows = get(40, Int64.self)
        let length = get(48, UInt64.self)
        guard columns <= 4096, rows >= 0, rows <= Int64(Int32.max), length <= UInt64(Int.max) else {
            throw .corrupt("implausible sizes (\(columns) columns, \(rows) rows, \(length) bytes)")
        }
        let token = raw[64..<(64 + identityCapacity)].prefix { $0 != 0 }
        return ColumnSnapshotHeader(
            columnCount: Int(columns), fingerprint: get(16, UInt64.self), rewrites: get(24, Int64.self), cursor: get(32, Int64.self),
            rowCount: Int(rows), fileLength: Int(length), payloadChecksum: get(56, UInt64.self),
            identity: String(decoding: token, as: UTF8.self))
    }
}

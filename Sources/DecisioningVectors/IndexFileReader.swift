/// Reads little-endian values from a byte buffer, throwing (never trapping) past its end.
struct IndexFileReader {
    let raw: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    func truncated(_ what: String) -> VectorFileError {
        VectorFileError(
            file: file, kind: .sizeMismatch, "the file ends inside \(what) (\(raw.count) bytes); it is truncated, save the index again")
    }

    mutating func u32(_ what: String) throws(VectorFileError) -> UInt32 {
        guard raw.count - offset >= 4 else { throw truncated(what) }
        defer { offset += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64(_ what: String) throws(VectorFileError) -> UInt64 {
        guard raw.count - offset >= 8 else { throw truncated(what) }
        defer { offset += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func bytes(_ count: Int, _ what: String) throws(VectorFileError) -> [UInt8] {
        guard count >= 0, raw.count - offset >= count else { throw truncated(what) }
        defer { offset += count }
        return Array(raw[offset..<offset + count])
    }

    mutating func floats(_ count: Int, _ what: String) throws(VectorFileError) -> [Float] {
        guard count >= 0, (raw.count - offset) / 4 >= count else { throw truncated(what) }
        let start = offset
        offset += count * 4
        return (0..<count).map {
            Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self)))
        }
    }

    mutating func int32s(_ count: Int, _ what: String) throws(VectorFileError) -> [Int32] {
        guard count >= 0, (raw.count - offset) / 4 >= count else { throw truncated(what) }
        let start = offset
        offset += count * 4
        return (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: Int32.self)) }
    }

    /// FNV-1a's offset basis: the checksum of nothing.
    static let checksumSeed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// FNV-1a over the little-endian 64-bit words of `raw[0..<end]`, then its remaining bytes, continuing
    /// from `hash` (the checksum of the bytes before, whose count is a multiple of 8).
    static func checksum(_ raw: UnsafeRawBufferPointer, end: Int, from hash: UInt64 = checksumSeed) -> UInt64 {
        var hash = hash
        let prime: UInt64 = 0x0000_0100_0000_01B3
        var i = 0
        while i + 8 <= end {
            hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* prime
            i += 8
        }
        while i < end {
            hash = (hash ^ UInt64(raw[i])) &* prime
            i += 1
        }
        return hash
    }
}

/// A 64-bit checksum of a column snapshot's bytes (xxHash64's round on four lanes of little-endian
/// words), fed in pieces of any length. It detects truncation and corruption, not tampering.
struct SnapshotChecksum {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9

    private var lane0: UInt64 = 0x6A09_E667_F3BC_C908
    private var lane1: UInt64 = 0xBB67_AE85_84CA_A73B
    private var lane2: UInt64 = 0x3C6E_F372_FE94_F82B
    private var lane3: UInt64 = 0xA54F_F53A_5F1D_36F1
    /// Whole words fed so far: the next word goes to lane `words % 4`.
    private var words: UInt64 = 0
    /// Bytes of a word not yet complete, little-endian.
    private var carry: UInt64 = 0
    private var carried = 0
    private var length: UInt64 = 0

    init() {}

    @inline(__always) static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = lane &+ word &* prime2
        return ((mixed << 31) | (mixed >> 33)) &* prime1
    }

    @inline(__always) private mutating func feed(_ word: UInt64) {
        switch words & 3 {
        case 0: lane0 = Self.round(lane0, word)
        case 1: lane1 = Self.round(lane1, word)
        case 2: lane2 = Self.round(lane2, word)
        default: lane3 = Self.round(lane3, word)
        }
        words &+= 1
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while carried > 0 && i < n {
            carry |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(carried))
            carried += 1
            i += 1
            if carried == 8 {
                feed(carry)
                carry = 0
                carried = 0
            }
        }
        while words & 3 != 0 && n - i >= 8 {
            feed(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        var (a, b, c, d) = (lane0, lane1, lane2, lane3)
        while n - i >= 32 {
            a = Self.round(a, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            b = Self.round(b, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)))
            c = Self.round(c, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)))
            d = Self.round(d, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)))
            words &+= 4
            i += 32
        }
        (lane0, lane1, lane2, lane3) = (a, b, c, d)
        while n - i >= 8 {
            feed(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < n {
            carry |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(carried))
            carried += 1
            i += 1
        }
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    func finish() -> UInt64 {
        func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
        var h = rotate(lane0, 1) &+ rotate(lane1, 7) &+ rotate(lane2, 12) &+ rotate(lane3, 18)
        h ^= length &* Self.prime3
        h = Self.round(h, carry ^ UInt64(carried))
        h ^= h >> 33
        h &*= Self.prime2
        h ^= h >> 29
        h &*= Self.prime3
        h ^= h >> 32
        return h
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var sum = SnapshotChecksum()
        sum.update(bytes)
        return sum.finish()
    }
}

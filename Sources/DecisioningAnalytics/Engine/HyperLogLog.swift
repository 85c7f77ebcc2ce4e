import Foundation

/// A HyperLogLog sketch of distinct 64-bit keys (Flajolet et al. 2007): 2^14 one-byte registers, a relative standard error of about 0.8%, and the same
/// estimate whatever the order of the keys or the chunking, since registers merge by maximum.
struct HyperLogLog: Sendable {
    static let precision = 14
    static let registerCount = 1 << precision
    /// Inputs with fewer rows are counted exactly: the sketch is for tables too large to hash whole.
    static let exactBelow = 1 << 20

    var registers: [UInt8]

    init() {
        registers = [UInt8](repeating: 0, count: Self.registerCount)
    }

    /// A 64-bit mix of the key (SplitMix64's finaliser): neighbouring keys land far apart.
    @inline(__always) static func hash(_ key: Int64) -> UInt64 {
        var z = UInt64(bitPattern: key) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) mutating func add(_ key: Int64) {
        let h = Self.hash(key)
        let index = Int(h >> UInt64(64 - Self.precision))
        // The rank of the first 1 bit among the remaining 50 bits (51 when they are all 0).
        let rest = h << UInt64(Self.precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    mutating func merge(_ other: HyperLogLog) {
        for i in 0..<Self.registerCount where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// Keys that are not NULL (`Int64.min`), sketched.
    static func sketch(_ keys: [Int64]) -> HyperLogLog {
        var sketch = HyperLogLog()
        for k in keys where k != Int64.min { sketch.add(k) }
        return sketch
    }

    /// Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
    /// 2017): unbiased from a handful of keys to billions without bias-correction tables or a switch
    /// to linear counting.
    var estimate: Int64 {
        let m = Double(Self.registerCount)
        let q = 64 - Self.precision
        var histogram = [Double](repeating: 0, count: q + 2)
        for r in registers { histogram[Int(r)] += 1 }
        var z = m * Self.tau(1 - histogram[q + 1] / m)
        for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + histogram[k]) }
        z += m * Self.sigma(histogram[0] / m)
        guard z.isFinite, z > 0 else { return 0 }
        return Int64((m * m / (2 * Foundation.log(2.0)) / z).rounded())
    }

    static func sigma(_ x: Double) -> Double {
        guard x < 1 else { return .infinity }
        var x = x
        var y = 1.0
        var z = x
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    static func tau(_ x: Double) -> Double {
        guard x > 0, x < 1 else { return 0 }
        var x = x
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }
}

extension HyperLogLog {
    /// Groups whose sketches would take more memory than this many registers are counted exactly.
    static let maxRegisters = 1 << 22

    /// Whether the estimate is used for `column`: numbers (dictionary-coded text and narrow ranges are
    /// counted exactly by a bitmap at the same cost) over at least `exactBelow` rows.
    static func applies(to column: Column, groups: Int) -> Bool {
        guard column.count >= exactBelow, groups * registerCount <= maxRegisters else { return false }
        switch column.storage {
        case .strings: return false
        case .ints(let v):
            var lo = Int64.max
            var hi = Int64.min
            for x in v {
                lo = min(lo, x)
                hi = max(hi, x)
            }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            return overflow || span >= 1 << 26
        case .doubles: return true
        }
    }

    /// One estimate per group, or nil when the column is counted exactly instead.
    static func estimates(_ column: Column, _ ids: [Int32], _ n: Int) -> [Int64]? {
        guard applies(to: column, groups: n) else { return nil }
        return sketches(GroupIndex.keyParts(column), ids, n).map(\.estimate)
    }

    static func sketches(_ keys: ColumnValues<Int64>, _ ids: [Int32], _ n: Int) -> [HyperLogLog] {
        if n == 1 {
            // Fixed chunks sketched in parallel and merged: registers merge by maximum, so the result is that of one pass.
            let parts = Parallel.map(keys.count) { range -> HyperLogLog in
                var sketch = HyperLogLog()
                for i in range where keys[i] != Int64.min { sketch.add(keys[i]) }
                return sketch
            }
            var total = HyperLogLog()
            for p in parts { total.merge(p) }
            return [total]
        }
        var sketches = [HyperLogLog](repeating: HyperLogLog(), count: n)
        for i in keys.indices where keys[i] != Int64.min { sketches[Int(ids[i])].add(keys[i]) }
        return sketches
    }
}

import DecisioningCore
import Foundation

/// Per-group aggregate state, computed over fixed chunks and merged in chunk order so that results
/// are identical whatever the number of threads (floating sums included).
enum Accumulate {
    static func run(_ m: Measure, argument: Column?, groups: GroupIndex, resultType: DataType) throws(PlanError) -> Column {
        let n = groups.groupCount
        let ids = groups.ids
        guard let argument else {
            var counts = [Int64](repeating: 0, count: n)
            for g in ids { counts[Int(g)] += 1 }
            return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
        }
        switch m.function {
        case .count:
            var counts = [Int64](repeating: 0, count: n)
            let valid = present(argument)
            for i in 0..<ids.count where valid?[i] ?? true { counts[Int(ids[i])] += 1 }
            return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
        case .approxCountDistinct:
            if let estimates = HyperLogLog.estimates(argument, ids, n) {
                return Column(type: .integer, storage: .ints(ColumnValues(estimates)), valid: nil)
            }
            return try run(Measure(m.name, .countDistinct, m.argument), argument: argument, groups: groups, resultType: resultType)
        case .countDistinct:
            if case .strings(let codes, let dictionary) = argument.storage, n * dictionary.count <= 1 << 24 {
                // A bitmap per group over the dictionary codes.
                let width = dictionary.count
                var seen = [Bool](repeating: false, count: n * width)
                var counts = [Int64](repeating: 0, count: n)
                let valid = argument.valid
                for i in 0..<ids.count {
                    let code = codes[i]
                    guard code >= 0, valid?[i] ?? true else { continue }
                    let g = Int(ids[i])
                    let slot = g * width + Int(code)
                    if !seen[slot] {
                        seen[slot] = true
                        counts[g] += 1
                    }
                }
                return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
            }
            let parts = GroupIndex.keyParts(argument)
            if n == 1 { return Column(type: .integer, storage: .ints([Int64(DistinctCounter.count(parts))]), valid: nil) }
            if let counts = DistinctCounter.perGroup(parts, ids, n) {
                return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
            }
            var sets = [Set<Int64>](repeating: [], count: n)
            for i in 0..<ids.count where parts[i] != Int64.min { sets[Int(ids[i])].insert(parts[i]) }
            return Column(type: .integer, storage: .ints(ColumnValues(sets.map { Int64($0.count) })), valid: nil)
        case .sum:
            guard let column = sum(argument, ids, n, resultType) else {
                throw PlanError.integerOverflow("SUM(\(m.argument.map { "\($0)" } ?? "*")) AS \(m.name)", resultType)
            }
            return column
        case .avg, .stddevPop, .stddevSamp:
            return moments(m.function, argument, ids, n)
        case .min, .max:
            return extreme(m.function == .min, argument, ids, n)
        }
    }

    static func present(_ c: Column) -> [Bool]? {
        if case .strings(let codes, _) = c.storage, codes.contains(-1) {
            return codes.enumerated().map { $0.element >= 0 && c.isValid($0.offset) }
        }
        return c.valid
    }

    /// Exact 64-bit sums per group, each with the number of times it wrapped (up +1, down -1):
    /// the true sum is `total + carries · 2^64`, so a group's sum fits exactly when its carries are 0,
    /// whatever the order of the rows (intermediate overflow that later cancels is not an error).
    /// The hot loop only keeps one overflow flag; the carries are counted in a second pass when it is set.
    static func wrappingSums(_ v: ColumnValues<Int64>, _ valid: [Bool]?, _ ids: [Int32], _ n: Int) -> (
        totals: [Int64], carries: [Int64], seen: [Bool]
    ) {
        var totals = [Int64](repeating: 0, count: n)
        var carries = [Int64](repeating: 0, count: n)
        var seen = [Bool](repeating: false, count: n)
        var overflow = false
        if n == 1 && valid == nil {
            // One group (no GROUP BY): a tight loop over the values alone.
            var total: Int64 = 0
            v.withUnsafeBufferPointer { v in
                for x in v {
                    let (r, o) = total.addingReportingOverflow(x)
                    total = r
                    overflow = overflow || o
                }
            }
            totals[0] = total
            seen[0] = !v.isEmpty
        } else {
            v.withUnsafeBufferPointer { v in
                ids.withUnsafeBufferPointer { ids in
                    totals.withUnsafeMutableBufferPointer { totals in
                        seen.withUnsafeMutableBufferPointer { seen in
                            @inline(__always) func add(_ i: Int) {
                                let g = Int(ids[i])
                                let (r, o) = totals[g].addingReportingOverflow(v[i])
                                totals[g] = r
                                overflow = overflow || o
                                seen[g] = true
                            }
                            if let valid {
                                for i in 0..<v.count where valid[i] { add(i) }
                            } else {
                                for i in 0..<v.count { add(i) }
                            }
                        }
                    }
                }
            }
        }
        guard overflow else { return (totals, carries, seen) }
        // Some running total wrapped: count the carries exactly (rare, so a plain loop).
        for g in 0..<n { totals[g] = 0 }
        for i in 0..<v.count where valid?[i] ?? true {
            let g = n == 1 ? 0 : Int(ids[i])
            let x = v[i]
            let (r, o) = totals[g].addingReportingOverflow(x)
            totals[g] = r
            if o { carries[g] += x < 0 ? -1 : 1 }
        }
        return (totals, carries, seen)
    }

    /// nil when a group's sum does not fit in 64 bits.
    static func sum(_ c: Column, _ ids: [Int32], _ n: Int, _ type: DataType) -> Column? {
        let valid = c.valid
        var seen = [Bool](repeating: false, count: n)
        switch c.storage {
        case .ints(let v):
            let (totals, carries, seen) = wrappingSums(v, valid, ids, n)
            if carries.contains(where: { $0 != 0 }) { return nil }
            return Column(type: type, storage: .ints(ColumnValues(totals)), valid: seen.contains(false) ? seen : nil)
        case .doubles(let v):
            // Fixed chunks, partial sums merged in chunk order: deterministic at any thread count.
            let small = n <= 4096
            let partials =
                small
                ? Parallel.map(v.count) { range -> ([Double], [Bool]) in
                    var t = [Double](repeating: 0, count: n)
                    var s = [Bool](repeating: false, count: n)
                    for i in range where valid?[i] ?? true {
                        let g = Int(ids[i])
                        t[g] += v[i]
                        s[g] = true
                    }
                    return (t, s)
                } : [sequentialDoubleSum(v, valid, ids, n)]
            var totals = [Double](repeating: 0, count: n)
            for (t, s) in partials {
                for g in 0..<n where s[g] {
                    totals[g] += t[g]
                    seen[g] = true
                }
            }
            return Column(type: .double, storage: .doubles(ColumnValues(totals)), valid: seen.contains(false) ? seen : nil)
        case .strings:
            return Column(type: type, storage: .ints(ColumnValues(Array(repeating: 0, count: n))), valid: Array(repeating: false, count: n))
        }
    }

    static func sequentialDoubleSum(_ v: ColumnValues<Double>, _ valid: [Bool]?, _ ids: [Int32], _ n: Int) -> ([Double], [Bool]) {
        var t = [Double](repeating: 0, count: n)
        var s = [Bool](repeating: false, count: n)
        for i in 0..<v.count where valid?[i] ?? true {
            let g = Int(ids[i])
            t[g] += v[i]
            s[g] = true
        }
        return (t, s)
    }

    /// Count, mean and sum of squared deviations per group (Chan et al.'s parallel merge).
    static func moments(_ f: Measure.Function, _ c: Column, _ ids: [Int32], _ n: Int) -> Column {
        let valid = c.valid
        let scale = Kernels.scale(c.type)
        let values: ColumnValues<Double>
        switch c.storage {
        case .ints(let v):
            if f == .avg {
                // Exact integer sums for averages of integers and decimals, wider than 64 bits: the
                // average of 64-bit values always fits even when their sum does not.
                let (totals, carries, _) = wrappingSums(v, valid, ids, n)
                var counts = [Int64](repeating: 0, count: n)
                if n == 1 && valid == nil {
                    counts[0] = Int64(v.count)
                } else {
                    for i in 0..<v.count where valid?[i] ?? true { counts[Int(ids[i])] += 1 }
                }
                let p = Double(FixedPoint.powersOfTen[scale])
                let out = (0..<n).map { g in
                    counts[g] > 0 ? WideInt(wrapped: totals[g], carries: carries[g]).divided(by: counts[g]) / p : 0
                }
                return Column(type: .double, storage: .doubles(ColumnValues(out)), valid: counts.contains(0) ? counts.map { $0 > 0 } : nil)
            }
            let p = Double(FixedPoint.powersOfTen[scale])
            values = ColumnValues(scale == 0 ? v.map { Double($0) } : v.map { Double($0) / p })
        case .doubles(let v):
            values = v
        case .strings:
            return Column(
                type: .double, storage: .doubles(ColumnValues(Array(repeating: 0, count: n))), valid: Array(repeating: false, count: n))
        }
        struct State: Sendable {
            var count: [Double]
            var mean: [Double]
            var m2: [Double]
        }
        @Sendable func chunk(_ range: Range<Int>) -> State {
            var s = State(count: Array(repeating: 0, count: n), mean: Array(repeating: 0, count: n), m2: Array(repeating: 0, count: n))
            for i in range where valid?[i] ?? true {
                let g = Int(ids[i])
                s.count[g] += 1
                let delta = values[i] - s.mean[g]
                s.mean[g] += delta / s.count[g]
                s.m2[g] += delta * (values[i] - s.mean[g])
            }
            return s
        }
        let partials = n <= 4096 ? Parallel.map(values.count) { chunk($0) } : [chunk(0..<values.count)]
        var total = State(count: Array(repeating: 0, count: n), mean: Array(repeating: 0, count: n), m2: Array(repeating: 0, count: n))
        for p in partials {
            for g in 0..<n where p.count[g] > 0 {
                let na = total.count[g]
                let nb = p.count[g]
                let nt = na + nb
                let delta = p.mean[g] - total.mean[g]
                total.mean[g] += delta * nb / nt
                total.m2[g] += p.m2[g] + delta * delta * na * nb / nt
                total.count[g] = nt
            }
        }
        var out = [Double](repeating: 0, count: n)
        var outValid = [Bool](repeating: true, count: n)
        for g in 0..<n {
            let k = total.count[g]
            switch f {
            case .avg:
                if k > 0 { out[g] = total.mean[g] } else { outValid[g] = false }
            case .stddevPop:
                if k > 0 { out[g] = (max(0, total.m2[g]) / k).squareRoot() } else { outValid[g] = false }
            default:
                if k > 1 { out[g] = (max(0, total.m2[g]) / (k - 1)).squareRoot() } else { outValid[g] = false }
            }
        }
        return Column(type: .double, storage: .doubles(ColumnValues(out)), valid: outValid.contains(false) ? outValid : nil)
    }

    /// MIN or MAX per group, one specialised pass per storage type (text compares dictionary ranks).
    static func extreme(_ isMin: Bool, _ c: Column, _ ids: [Int32], _ n: Int) -> Column {
        if n == 1 { return extremeOfAll(isMin, c) }
        let valid = c.valid
        var seen = [Bool](repeating: false, count: n)
        func finish(_ storage: Column.Storage) -> Column {
            Column(type: c.type, storage: storage, valid: seen.contains(false) ? seen : nil)
        }
        switch c.storage {
        case .ints(let v):
            var best = [Int64](repeating: isMin ? Int64.max : Int64.min, count: n)
            for i in 0..<v.count where valid?[i] ?? true {
                let g = Int(ids[i])
                seen[g] = true
                if isMin ? v[i] < best[g] : v[i] > best[g] { best[g] = v[i] }
            }
            for g in 0..<n where !seen[g] { best[g] = 0 }
            return finish(.ints(ColumnValues(best)))
        case .doubles(let v):
            var best = [Double](repeating: isMin ? .infinity : -.infinity, count: n)
            for i in 0..<v.count where valid?[i] ?? true {
                let g = Int(ids[i])
                seen[g] = true
                if isMin ? v[i] < best[g] : v[i] > best[g] { best[g] = v[i] }
            }
            for g in 0..<n where !seen[g] { best[g] = 0 }
            return finish(.doubles(ColumnValues(best)))
        case .strings(let codes, let dictionary):
            let ranks = dictionary.ranks
            var best = [Int32](repeating: isMin ? Int32.max : -1, count: n)
            for i in 0..<codes.count {
                let code = codes[i]
                guard code >= 0, valid?[i] ?? true else { continue }
                let g = Int(ids[i])
                let r = ranks[Int(code)]
                seen[g] = true
                if isMin ? r < best[g] : r > best[g] { best[g] = r }
            }
            var byRank = [Int32](repeating: -1, count: ranks.count)
            for (code, rank) in ranks.enumerated() { byRank[Int(rank)] = Int32(code) }
            return finish(.strings(ColumnValues(best.enumerated().map { seen[$0.offset] ? byRank[Int($0.element)] : -1 }), dictionary))
        }
    }
}

/// Counts distinct 64-bit keys (Int64.min = NULL, not counted): a bitmap for small ranges,
/// open addressing otherwise.
enum DistinctCounter {
    static func count(_ keys: ColumnValues<Int64>) -> Int {
        guard let (lo, hi) = GroupIndex.range(keys) else { return 0 }
        if case (let span, false) = hi.subtractingReportingOverflow(lo), span < 1 << 26 {
            var seen = [Bool](repeating: false, count: Int(hi - lo) + 1)
            var distinct = 0
            for k in keys where k != Int64.min {
                let i = Int(k - lo)
                if !seen[i] {
                    seen[i] = true
                    distinct += 1
                }
            }
            return distinct
        }
        var size = 16
        while size < keys.count * 2 { size <<= 1 }
        let mask = size - 1
        var table = [Int64](repeating: Int64.min, count: size)
        var distinct = 0
        table.withUnsafeMutableBufferPointer { t in
            for k in keys where k != Int64.min {
                var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: k) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
                while true {
                    let v = t[slot]
                    if v == Int64.min {
                        t[slot] = k
                        distinct += 1
                        break
                    }
                    if v == k { break }
                    slot = (slot + 1) & mask
                }
            }
        }
        return distinct
    }

    /// Distinct keys per group (`ids[i]` the group of `keys[i]`, `n` groups) when the keys span a small
    /// range: each key is numbered by rank among the distinct keys, then one bit per (group, rank) pair
    /// marks what each group has seen. Nil when the range or the groups × ranks bitmap is too large.
    static func perGroup(_ keys: ColumnValues<Int64>, _ ids: [Int32], _ n: Int) -> [Int64]? {
        var counts = [Int64](repeating: 0, count: n)
        guard let (lo, hi) = GroupIndex.range(keys) else { return counts }
        guard case (let span, false) = hi.subtractingReportingOverflow(lo), span < 1 << 24 else { return nil }
        var rankOf = [Int32](repeating: -1, count: Int(span) + 1)
        var ranks: Int32 = 0
        for k in keys where k != Int64.min {
            let i = Int(k - lo)
            if rankOf[i] < 0 {
                rankOf[i] = ranks
                ranks += 1
            }
        }
        let width = Int(ranks)
        guard case (let bits, false) = n.multipliedReportingOverflow(by: width), bits <= 1 << 28 else { return nil }
        var seen = [UInt64](repeating: 0, count: (bits + 63) / 64)
        seen.withUnsafeMutableBufferPointer { seen in
            for i in 0..<keys.count where keys[i] != Int64.min {
                let g = Int(ids[i])
                let slot = g * width + Int(rankOf[Int(keys[i] - lo)])
                let bit = UInt64(1) << UInt64(slot & 63)
                if seen[slot >> 6] & bit == 0 {
                    seen[slot >> 6] |= bit
                    counts[g] += 1
                }
            }
        }
        return counts
    }
}

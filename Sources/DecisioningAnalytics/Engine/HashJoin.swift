/// Equi-joins two relations. Text keys go through the dictionaries: each left dictionary code is
/// matched to the right side once, then rows are probed with array lookups.
enum HashJoin {
    /// Matching (left row, right row) pairs in left-row order, right rows ascending; -1 marks a left row with no match.
    static func match(_ kind: JoinKind, left: [Column], right: [Column], leftCount: Int, rightCount: Int) -> (left: [Int32], right: [Int32])
    {
        if left.count == 1, case .strings(let lc, let ld) = left[0].storage, case .strings(let rc, let rd) = right[0].storage {
            return matchCodes(kind, lc, left[0].valid, ld, rc, right[0].valid, rd)
        }
        let (leftKeys, rightKeys) = keys(left, right, leftCount: leftCount, rightCount: rightCount)
        // Key slots: dense keys (dictionary codes, small integer ranges) index arrays directly; others are hashed once each.
        var lo = Int64.max
        var hi = Int64.min
        for k in rightKeys where k != Int64.min {
            lo = min(lo, k)
            hi = max(hi, k)
        }
        let span = hi.subtractingReportingOverflow(lo)
        let dense = lo <= hi && !span.overflow && span.partialValue < 1 << 24
        var hashed: [Int64: Int32] = [:]
        func slot(_ k: Int64, create: Bool) -> Int {
            if dense { return k >= lo && k <= hi ? Int(k - lo) : -1 }
            if let s = hashed[k] { return Int(s) }
            guard create else { return -1 }
            let s = Int32(hashed.count)
            hashed[k] = s
            return Int(s)
        }
        // Right rows chained per slot, ascending: heads[slot] is the first row, next[row] the following one.
        var heads = [Int32](repeating: -1, count: dense ? Int(hi - lo) + 1 : 0)
        var next = [Int32](repeating: -1, count: rightCount)
        for r in stride(from: rightCount - 1, through: 0, by: -1) {
            let k = rightKeys[r]
            if k == Int64.min { continue }
            let s = slot(k, create: true)
            if s >= heads.count { heads.append(-1) }
            next[r] = heads[s]
            heads[s] = Int32(r)
        }
        // Left keys repeat: the slot of each distinct non-dense key is looked up once.
        let leftSlots: [Int32]
        if dense {
            leftSlots = leftKeys.map { $0 >= lo && $0 <= hi ? Int32(truncatingIfNeeded: $0 - lo) : -1 }
        } else {
            leftSlots = leftKeys.map { k in k == Int64.min ? -1 : Int32(slot(k, create: false)) }
        }
        return probe(kind, count: leftCount, heads: heads, next: next, slots: ArraySlots(slots: leftSlots))
    }

    /// The dictionary-coded join: right rows chained per right code, left codes translated once.
    static func matchCodes(
        _ kind: JoinKind, _ lc: ColumnValues<Int32>, _ lv: [Bool]?, _ ld: StringDictionary,
        _ rc: ColumnValues<Int32>, _ rv: [Bool]?, _ rd: StringDictionary
    ) -> (left: [Int32], right: [Int32]) {
        var heads = [Int32](repeating: -1, count: rd.count)
        var next = [Int32](repeating: -1, count: rc.count)
        rc.withUnsafeBufferPointer { rc in
            for r in stride(from: rc.count - 1, through: 0, by: -1) {
                let code = rc[r]
                guard code >= 0, rv?[r] ?? true else { continue }
                next[r] = heads[Int(code)]
                heads[Int(code)] = Int32(r)
            }
        }
        let translate = ld.translation(to: rd)
        return lc.withUnsafeBufferPointer { codes in
            probe(kind, count: lc.count, heads: heads, next: next, slots: CodeSlots(codes: codes, valid: lv, translate: translate))
        }
    }

    /// Walks the right-side chain of each left row's slot (-1: no match) in fixed parallel chunks,
    /// emitting (left, right) pairs in left-row order; a LEFT join keeps unmatched rows with -1.
    static func probe<S: SlotSource>(_ kind: JoinKind, count: Int, heads: [Int32], next: [Int32], slots: S) -> (
        left: [Int32], right: [Int32]
    ) {
        let parts = Parallel.map(count) { range -> ([Int32], [Int32]) in
            var outLeft: [Int32] = []
            var outRight: [Int32] = []
            outLeft.reserveCapacity(range.count)
            outRight.reserveCapacity(range.count)
            heads.withUnsafeBufferPointer { heads in
                next.withUnsafeBufferPointer { next in
                    for l in range {
                        let s = slots.slot(l)
                        var r: Int32 = s >= 0 ? heads[Int(s)] : -1
                        if r < 0 {
                            if kind == .left {
                                outLeft.append(Int32(l))
                                outRight.append(-1)
                            }
                            continue
                        }
                        while r >= 0 {
                            outLeft.append(Int32(l))
                            outRight.append(r)
                            r = next[Int(r)]
                        }
                    }
                }
            }
            return (outLeft, outRight)
        }
        if parts.count == 1 { return parts[0] }
        var outLeft: [Int32] = []
        var outRight: [Int32] = []
        let total = parts.reduce(0) { $0 + $1.0.count }
        outLeft.reserveCapacity(total)
        outRight.reserveCapacity(total)
        for p in parts {
            outLeft.append(contentsOf: p.0)
            outRight.append(contentsOf: p.1)
        }
        return (outLeft, outRight)
    }

    /// One 64-bit key per row on each side (Int64.min for a NULL key, which never matches).
    static func keys(_ left: [Column], _ right: [Column], leftCount: Int, rightCount: Int) -> ([Int64], [Int64]) {
        if left.count == 1 { return keyPair(left[0], right[0]) }
        // Several keys: number the distinct right tuples, then look the left tuples up.
        let lparts = zip(left, right).map { keyPair($0, $1) }
        var ids: [[Int64]: Int64] = [:]
        var rightKeys = [Int64](repeating: Int64.min, count: rightCount)
        for r in 0..<rightCount {
            let tuple = lparts.map { $0.1[r] }
            if tuple.contains(Int64.min) { continue }
            if let id = ids[tuple] {
                rightKeys[r] = id
            } else {
                let id = Int64(ids.count)
                ids[tuple] = id
                rightKeys[r] = id
            }
        }
        var leftKeys = [Int64](repeating: Int64.min, count: leftCount)
        for l in 0..<leftCount {
            let tuple = lparts.map { $0.0[l] }
            if tuple.contains(Int64.min) { continue }
            leftKeys[l] = ids[tuple] ?? Int64.min + 1
        }
        return (leftKeys, rightKeys)
    }

    /// Comparable keys for one column pair: shared dictionary codes for text, common units for numbers.
    static func keyPair(_ a: Column, _ b: Column) -> ([Int64], [Int64]) {
        if case .strings(let ca, let da) = a.storage, case .strings(let cb, let db) = b.storage {
            // Translate the left dictionary into right codes once.
            let codes = da === db ? [:] : db.lookup
            let translate: [Int64] =
                da === db ? (0..<da.count).map { Int64($0) } : da.values.map { codes[ByteString($0)].map(Int64.init) ?? Int64.min + 1 }
            let left = (0..<ca.count).map { i -> Int64 in ca[i] >= 0 && a.isValid(i) ? translate[Int(ca[i])] : Int64.min }
            let right = (0..<cb.count).map { i -> Int64 in cb[i] >= 0 && b.isValid(i) ? Int64(cb[i]) : Int64.min }
            return (left, right)
        }
        let common = TypeChecker.widen(a.type.isNumeric ? a.type : .integer, b.type.isNumeric ? b.type : .integer)
        if common == .double || a.type == .double || b.type == .double {
            func bits(_ c: Column) -> [Int64] {
                let v: ColumnValues<Double>
                switch Kernels.numbers(.column(c), asDouble: true, targetScale: 0) {
                case .doubles(let d, _): v = d
                default: v = []
                }
                return (0..<c.count).map { c.isValid($0) ? Int64(bitPattern: (v[$0] == 0 ? 0.0 : v[$0]).bitPattern) : Int64.min }
            }
            return (bits(a), bits(b))
        }
        let target = a.type.isNumeric ? Kernels.scale(common) : 0
        func units(_ c: Column) -> [Int64] {
            guard case .ints(let v) = c.storage else { return Array(repeating: Int64.min, count: c.count) }
            let f = Kernels.powers[max(0, target - Kernels.scale(c.type))]
            // A key that does not fit at the common scale cannot equal any key of the other side
            // (whose keys are at that scale already): it matches nothing, like NULL.
            return (0..<v.count).map { i -> Int64 in
                let (k, beyond) = v[i].multipliedReportingOverflow(by: f)
                return c.isValid(i) && !beyond ? k : Int64.min
            }
        }
        return (units(a), units(b))
    }
}

/// Where a left row's matches start: a slot of the right side's chains, or -1.
protocol SlotSource: Sendable {
    func slot(_ row: Int) -> Int32
}

/// Slots computed beforehand.
struct ArraySlots: SlotSource {
    let slots: [Int32]
    @inline(__always) func slot(_ row: Int) -> Int32 { slots[row] }
}

/// Slots read through the left dictionary's translation into right codes.
struct CodeSlots: SlotSource, @unchecked Sendable {
    // Unchecked: `codes` is read-only and outlives the probe, which runs inside `withUnsafeBufferPointer`.
    let codes: UnsafeBufferPointer<Int32>
    let valid: [Bool]?
    let translate: [Int32]
    @inline(__always) func slot(_ row: Int) -> Int32 {
        let code = codes[row]
        return code >= 0 && (valid?[row] ?? true) ? translate[Int(code)] : -1
    }
}

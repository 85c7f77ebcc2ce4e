/// Assigns each row a dense group number, in order of the group's first row.
struct GroupIndex {
    var ids: [Int32]
    /// The first row of each group.
    var firstRows: [Int32]

    var groupCount: Int { firstRows.count }

    /// One group for everything (a global aggregate always has exactly one output row).
    static func single(count: Int) -> GroupIndex {
        GroupIndex(ids: Array(repeating: 0, count: count), firstRows: [0])
    }

    /// A key part per row: the value (a dictionary code, integer units or a double's bits) and whether it is NULL.
    static func keyParts(_ c: Column) -> ColumnValues<Int64> {
        switch c.storage {
        case .ints(let v):
            guard let valid = c.valid else { return v }
            return ColumnValues(v.mapRows { row, value in valid[row] ? value : Int64.min })
        case .doubles(let v):
            return ColumnValues(
                v.mapRows { row, value in
                    guard c.isValid(row) else { return Int64.min }
                    let d = value == 0 ? 0.0 : value  // -0.0 and 0.0 are one group
                    return Int64(bitPattern: d.bitPattern)
                })
        case .strings(let codes, _):
            return ColumnValues(codes.mapRows { row, code in code >= 0 && c.isValid(row) ? Int64(code) : Int64.min })
        }
    }

    /// The smallest and largest key parts that are not NULL (`Int64.min`); nil when all are NULL.
    static func range(_ parts: ColumnValues<Int64>) -> (lo: Int64, hi: Int64)? {
        var lo = Int64.max
        var hi = Int64.min
        parts.withUnsafeBufferPointer { parts in
            for p in parts where p != Int64.min {
                lo = min(lo, p)
                hi = max(hi, p)
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// Groups rows by `keys`: the first key's groups, split by each further key in turn (rows share a
    /// group when they shared one before and have the same next key), so no row ever needs a key of its
    /// own on the heap. The last split numbers the groups in order of their first row.
    static func build(_ keys: [Column], count: Int) -> GroupIndex {
        guard let first = keys.first else { return single(count: count) }
        return keys.dropFirst().reduce(split(nil, by: first)) { split($0, by: $1) }
    }

    /// `prior`'s groups (every row in one when nil) split by `key`. Each row gets a slot of the key (its dictionary code, or its
    /// integer offset from the smallest when the values span less than 2^20, NULL one slot more); a
    /// (group, slot) pair is numbered through a dense table when there are few enough pairs (at most
    /// twice the rows, or 2^16, and never over 2^22: the table is allocated and cleared per split), else
    /// through a hash table of (group, key part) pairs.
    static func split(_ prior: GroupIndex?, by key: Column) -> GroupIndex {
        let groups = prior?.groupCount ?? 1
        if let (slots, slotCount) = slots(key), case (let pairs, false) = groups.multipliedReportingOverflow(by: slotCount),
            groups == 1 || pairs <= min(1 << 22, max(1 << 16, 2 * slots.count))
        {
            guard let prior, groups > 1 else { return dense(slots, slots: slotCount) }
            return dense(zip(prior.ids, slots).map { Int($0) * slotCount + $1 }, slots: pairs)
        }
        return hashed(prior?.ids, keyParts(key))
    }

    /// Each row's slot of `key` and the number of slots, or nil when its values span too wide a range.
    static func slots(_ key: Column) -> (slots: [Int], count: Int)? {
        if case .strings(let codes, let dictionary) = key.storage {
            let null = dictionary.count
            return (codes.mapRows { row, code in code >= 0 && key.isValid(row) ? Int(code) : null }, null + 1)
        }
        let parts = keyParts(key)
        guard let (lo, hi) = range(parts) else { return (Array(repeating: 0, count: parts.count), 1) }  // all NULL
        guard case (let span, false) = hi.subtractingReportingOverflow(lo), span < 1 << 20 else { return nil }
        let null = Int(span) + 1
        return (parts.map { $0 == Int64.min ? null : Int($0 - lo) }, null + 1)
    }

    static func dense(_ slots: [Int], slots slotCount: Int) -> GroupIndex {
        var map = [Int32](repeating: -1, count: slotCount)
        var ids = [Int32](repeating: 0, count: slots.count)
        var firstRows: [Int32] = []
        slots.withUnsafeBufferPointer { s in
            map.withUnsafeMutableBufferPointer { m in
                for i in 0..<s.count {
                    var g = m[s[i]]
                    if g < 0 {
                        g = Int32(firstRows.count)
                        m[s[i]] = g
                        firstRows.append(Int32(i))
                    }
                    ids[i] = g
                }
            }
        }
        return GroupIndex(ids: ids, firstRows: firstRows)
    }

    /// Numbers the (group, key part) pairs of the rows in order of their first row (every row in group 0
    /// when `groups` is nil).
    static func hashed(_ groups: [Int32]?, _ parts: ColumnValues<Int64>) -> GroupIndex {
        struct Pair: Hashable {
            var group: Int32
            var part: Int64
        }
        var map: [Pair: Int32] = [:]
        var ids = [Int32](repeating: 0, count: parts.count)
        var firstRows: [Int32] = []
        parts.withUnsafeBufferPointer { parts in
            for i in parts.indices {
                let pair = Pair(group: groups?[i] ?? 0, part: parts[i])
                if let g = map[pair] {
                    ids[i] = g
                } else {
                    let g = Int32(firstRows.count)
                    map[pair] = g
                    firstRows.append(Int32(i))
                    ids[i] = g
                }
            }
        }
        return GroupIndex(ids: ids, firstRows: firstRows)
    }
}

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
    static func keyParts(_ c: Column) -> [Int64] {
        switch c.storage {
        case .ints(let v):
            guard let valid = c.valid else { return v }
            return (0..<v.count).map { valid[$0] ? v[$0] : Int64.min }
        case .doubles(let v):
            return (0..<v.count).map { i in
                guard c.isValid(i) else { return Int64.min }
                let d = v[i] == 0 ? 0.0 : v[i]  // -0.0 and 0.0 are one group
                return Int64(bitPattern: d.bitPattern)
            }
        case .strings(let codes, _):
            return (0..<codes.count).map { codes[$0] >= 0 && c.isValid($0) ? Int64(codes[$0]) : Int64.min }
        }
    }

    static func build(_ keys: [Column], count: Int) -> GroupIndex {
        guard !keys.isEmpty else { return single(count: count) }
        if keys.count == 1 {
            let key = keys[0]
            if case .strings(let codes, let dictionary) = key.storage {
                return dense(
                    codes.enumerated().map { $0.element >= 0 && key.isValid($0.offset) ? Int($0.element) : dictionary.count },
                    slots: dictionary.count + 1)
            }
            let parts = keyParts(key)
            var lo = Int64.max
            var hi = Int64.min
            for p in parts where p != Int64.min {
                lo = min(lo, p)
                hi = max(hi, p)
            }
            if lo <= hi, case (let span, false) = hi.subtractingReportingOverflow(lo), span < 1 << 20 {
                let nullSlot = Int(hi - lo) + 1
                return dense(parts.map { $0 == Int64.min ? nullSlot : Int($0 - lo) }, slots: nullSlot + 1)
            }
            return hashed(parts.map { [$0] }, count: count)
        }
        let columns = keys.map(keyParts)
        return hashed((0..<count).map { i in columns.map { $0[i] } }, count: count)
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

    static func hashed(_ keys: [[Int64]], count: Int) -> GroupIndex {
        var map: [[Int64]: Int32] = [:]
        var ids = [Int32](repeating: 0, count: count)
        var firstRows: [Int32] = []
        for i in 0..<count {
            if let g = map[keys[i]] {
                ids[i] = g
            } else {
                let g = Int32(firstRows.count)
                map[keys[i]] = g
                firstRows.append(Int32(i))
                ids[i] = g
            }
        }
        return GroupIndex(ids: ids, firstRows: firstRows)
    }
}

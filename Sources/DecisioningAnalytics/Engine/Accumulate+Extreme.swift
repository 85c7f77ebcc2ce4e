import DecisioningCore

extension Accumulate {
    /// `extreme` for one group (MIN or MAX of a whole column or chunk, as the catalog profile asks):
    /// no group ids are read, the comparisons are `extreme`'s (so NaN and -0.0 come out the same),
    /// and text marks the codes present, then compares the ranks of the dictionary's present codes once each.
    static func extremeOfAll(_ isMin: Bool, _ c: Column) -> Column {
        let valid = c.valid
        var seen = false
        func finish(_ storage: Column.Storage) -> Column { Column(type: c.type, storage: storage, valid: seen ? nil : [false]) }
        switch c.storage {
        case .ints(let v):
            var best = isMin ? Int64.max : Int64.min
            v.withUnsafeBufferPointer { v in
                for i in v.indices where valid?[i] ?? true {
                    seen = true
                    if isMin ? v[i] < best : v[i] > best { best = v[i] }
                }
            }
            return finish(.ints([seen ? best : 0]))
        case .doubles(let v):
            var best = isMin ? Double.infinity : -Double.infinity
            v.withUnsafeBufferPointer { v in
                for i in v.indices where valid?[i] ?? true {
                    seen = true
                    if isMin ? v[i] < best : v[i] > best { best = v[i] }
                }
            }
            return finish(.doubles([seen ? best : 0]))
        case .strings(let codes, let dictionary):
            var present = [Bool](repeating: false, count: dictionary.count)
            codes.withUnsafeBufferPointer { codes in
                for i in codes.indices where codes[i] >= 0 && (valid?[i] ?? true) { present[Int(codes[i])] = true }
            }
            let ranks = dictionary.ranks
            var best: Int32 = -1
            for code in present.indices where present[code] {
                let r = ranks[code]
                if !seen || (isMin ? r < ranks[Int(best)] : r > ranks[Int(best)]) { best = Int32(code) }
                seen = true
            }
            return finish(.strings([best], dictionary))
        }
    }
}

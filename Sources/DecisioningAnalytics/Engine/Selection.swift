import DecisioningCore

/// Filters as selection vectors: conjunctions narrow the candidate rows step by step, and a
/// comparison of a column with a constant reads the column (through its row index) in place,
/// in parallel over fixed chunks, without building boolean columns.
extension Evaluator {
    /// The rows among `candidates` (all rows when nil), ascending, where `e` is true.
    func select(_ e: Expr, _ relation: Relation, candidates: [Int32]?) throws(PlanError) -> [Int32] {
        switch e {
        case .and(.compare(let op1, .column(let n1), let c1), .compare(let op2, .column(let n2), let c2))
        where n1 == n2 && constant(c1) != nil && constant(c2) != nil:
            // A range on one column (dates between two bounds): one pass instead of two.
            if let rows = try rangeConstant(n1, (op1, c1), (op2, c2), relation, candidates) { return rows }
            return try select(
                .compare(op2, .column(n2), c2), relation,
                candidates: try select(.compare(op1, .column(n1), c1), relation, candidates: candidates))
        case .and(let a, let b):
            let first = try select(a, relation, candidates: candidates)
            return first.isEmpty ? [] : try select(b, relation, candidates: first)
        case .between(let x, let low, let high):
            return try select(.and(.compare(.greaterOrEqual, x, low), .compare(.lessOrEqual, x, high)), relation, candidates: candidates)
        case .compare(let op, .column(let name), let other) where constant(other) != nil:
            if let rows = try compareConstant(op, name, other, relation, candidates) { return rows }
        case .compare(let op, let other, .column(let name)) where constant(other) != nil:
            if let rows = try compareConstant(op.flipped, name, other, relation, candidates) { return rows }
        case .inList(.column(let name), let items) where items.allSatisfy({ constant($0) != nil }):
            if let rows = try inConstants(name, items, relation, candidates) { return rows }
        case .isNull(.column(let name)):
            return nulls(name, relation, candidates, keepNull: true)
        case .not(.isNull(.column(let name))):
            return nulls(name, relation, candidates, keepNull: false)
        default:
            break
        }
        // General case: evaluate over the candidates only, then map back.
        guard let candidates else { return try select(e, relation) }
        let narrowed = relation.select(candidates)
        return try select(e, narrowed).map { candidates[Int($0)] }
    }

    /// The value of an expression that does not depend on any row.
    func constant(_ e: Expr) -> Expr? {
        switch e {
        case .literal, .decimalLiteral, .asOf: return e
        default: return nil
        }
    }

    /// Compares an integer-stored or text column with a constant; nil when the types need the general path.
    func compareConstant(_ op: ComparisonOperator, _ name: String, _ other: Expr, _ relation: Relation, _ candidates: [Int32]?)
        throws(PlanError) -> [Int32]?
    {
        let view = relation.plainView(name)
        let scalar = try evaluate(other, relation)
        guard case .scalar(let value, let scalarType) = scalar else { return nil }
        if case .null = value { return [] }
        switch (view.base.storage, value) {
        case (.strings(let codes, let dictionary), .text(let q)):
            let table = dictionary.values.map { Kernels.outcome(op, Kernels.binaryOrder($0, q)) }
            return scanCodes(codes, view, table, candidates)
        case (.ints(let values), .int(let q)):
            let columnType = view.base.type
            // Same scale (or both plain integers / dates): compare units directly.
            let cs = Kernels.scale(columnType)
            let ss = Kernels.scale(scalarType)
            guard columnType != .double, scalarType != .double else { return nil }
            if cs < ss {
                // The constant has more decimals: compare units u · d with q through q's floor at the
                // column's scale, qf = floor(q / d), and remainder r: u · d > q iff u > qf, and
                // u · d == q iff u == qf and r == 0. Nothing is scaled up, so nothing can overflow.
                let d = Kernels.powers[ss - cs]
                let r = q % d
                let qf = q / d - (r < 0 ? 1 : 0)
                let exact = r == 0
                return scanInts(values, view, candidates) { Kernels.outcome(op, $0 > qf ? 1 : $0 == qf && exact ? 0 : -1) }
            }
            let (target, beyond) = q.multipliedReportingOverflow(by: Kernels.powers[cs - ss])
            if beyond {
                // The constant is beyond every value the column can hold at its scale: the outcome
                // is the same for every non-NULL row.
                let passes = Kernels.outcome(op, q > 0 ? -1 : 1)
                return passes ? scanInts(values, view, candidates) { _ in true } : []
            }
            return scanInts(values, view, candidates) { Kernels.outcome(op, $0 < target ? -1 : $0 == target ? 0 : 1) }
        default:
            return nil
        }
    }

    /// Both bounds of a range on an integer-stored column in one pass; nil when the general path is needed.
    func rangeConstant(
        _ name: String, _ a: (ComparisonOperator, Expr), _ b: (ComparisonOperator, Expr), _ relation: Relation, _ candidates: [Int32]?
    ) throws(PlanError) -> [Int32]? {
        let view = relation.plainView(name)
        guard case .ints(let values) = view.base.storage, view.base.type != .double else { return nil }
        var lower = Int64.min
        var upper = Int64.max
        var empty = false
        for (op, e) in [a, b] {
            guard [.greaterOrEqual, .greater, .lessOrEqual, .less].contains(op) else { return nil }
            guard case .scalar(let v, let t) = try evaluate(e, relation), case .int(let q) = v, t != .double else { return nil }
            let cs = Kernels.scale(view.base.type)
            let ss = Kernels.scale(t)
            guard cs >= ss else { return nil }
            let isLower = op == .greaterOrEqual || op == .greater
            let (bound, beyond) = q.multipliedReportingOverflow(by: Kernels.powers[cs - ss])
            if beyond {
                // A bound beyond every storable value: no constraint on one side, nothing on the other.
                if isLower == (q > 0) { empty = true }
                continue
            }
            switch op {
            case .greaterOrEqual: lower = max(lower, bound)
            case .greater: if bound == Int64.max { empty = true } else { lower = max(lower, bound + 1) }
            case .lessOrEqual: upper = min(upper, bound)
            default: if bound == Int64.min { empty = true } else { upper = min(upper, bound - 1) }
            }
        }
        if empty { return [] }
        let lo = lower
        let hi = upper
        guard candidates == nil, view.index == nil, view.base.valid == nil else {
            return scanInts(values, view, candidates) { $0 >= lo && $0 <= hi }
        }
        // The common case, a range over a whole base column: a tight loop per chunk.
        let parts = Parallel.map(values.count) { range -> [Int32] in
            var out: [Int32] = []
            out.reserveCapacity(range.count)
            values.withUnsafeBufferPointer { v in
                for i in range where v[i] >= lo && v[i] <= hi { out.append(Int32(i)) }
            }
            return out
        }
        return Parallel.joined(parts)
    }

    func inConstants(_ name: String, _ items: [Expr], _ relation: Relation, _ candidates: [Int32]?) throws(PlanError) -> [Int32]? {
        let view = relation.plainView(name)
        guard case .strings(let codes, let dictionary) = view.base.storage else { return nil }
        var wanted = Set<ByteString>()
        for item in items {
            guard case .scalar(let v, _) = try evaluate(item, relation) else { return nil }
            switch v {
            case .text(let s): wanted.insert(ByteString(s))
            case .null: break
            default: return nil
            }
        }
        return scanCodes(codes, view, dictionary.values.map { wanted.contains(ByteString($0)) }, candidates)
    }

    /// Rows whose dictionary code passes `table` (NULL codes never pass).
    func scanCodes(_ codes: ColumnValues<Int32>, _ view: ColumnView, _ table: [Bool], _ candidates: [Int32]?) -> [Int32] {
        let index = view.index?.rows
        let valid = view.base.valid
        if candidates == nil && index == nil && valid == nil {
            let parts = Parallel.map(codes.count) { range -> [Int32] in
                var out: [Int32] = []
                out.reserveCapacity(range.count)
                codes.withUnsafeBufferPointer { c in
                    table.withUnsafeBufferPointer { t in
                        for i in range {
                            let code = c[i]
                            if code >= 0 && t[Int(code)] { out.append(Int32(i)) }
                        }
                    }
                }
                return out
            }
            return Parallel.joined(parts)
        }
        return scan(count: candidates?.count ?? view.count) { i in
            let row = candidates.map { Int($0[i]) } ?? i
            let base = index.map { Int($0[row]) } ?? row
            guard base >= 0 else { return -1 }
            let code = codes[base]
            return code >= 0 && table[Int(code)] && (valid?[base] ?? true) ? Int32(row) : -1
        }
    }

    func scanInts(_ values: ColumnValues<Int64>, _ view: ColumnView, _ candidates: [Int32]?, _ test: @escaping @Sendable (Int64) -> Bool)
        -> [Int32]
    {
        let index = view.index?.rows
        let valid = view.base.valid
        if candidates == nil && index == nil && valid == nil {
            return scan(count: values.count) { i in test(values[i]) ? Int32(i) : -1 }
        }
        return scan(count: candidates?.count ?? view.count) { i in
            let row = candidates.map { Int($0[i]) } ?? i
            let base = index.map { Int($0[row]) } ?? row
            guard base >= 0, valid?[base] ?? true else { return -1 }
            return test(values[base]) ? Int32(row) : -1
        }
    }

    /// The rows among `candidates` where the column is NULL (`keepNull`) or is not, read in place through
    /// its row index (a row a left join found no match for is NULL) without gathering the column.
    func nulls(_ name: String, _ relation: Relation, _ candidates: [Int32]?, keepNull: Bool) -> [Int32] {
        let view = relation.view(name)
        let index = view.index?.rows
        let valid = view.base.valid
        let codes: ColumnValues<Int32>?
        if case .strings(let c, _) = view.base.storage { codes = c } else { codes = nil }
        if index == nil && valid == nil && codes == nil {
            // Nothing in the column can be NULL.
            return keepNull ? [] : candidates ?? (0..<view.count).map { Int32($0) }
        }
        return scan(count: candidates?.count ?? view.count) { i in
            let row = candidates.map { Int($0[i]) } ?? i
            let base = index.map { Int($0[row]) } ?? row
            let isNull = base < 0 || !(valid?[base] ?? true) || (codes.map { $0[base] < 0 } ?? false)
            return isNull == keepNull ? Int32(row) : -1
        }
    }

    /// Runs `keep` over 0..<count in fixed parallel chunks; collects the non-negative results in order.
    func scan(count: Int, _ keep: @escaping @Sendable (Int) -> Int32) -> [Int32] {
        let parts = Parallel.map(count) { range -> [Int32] in
            var out: [Int32] = []
            out.reserveCapacity(range.count)
            for i in range {
                let r = keep(i)
                if r >= 0 { out.append(r) }
            }
            return out
        }
        if parts.count == 1 { return parts[0] }
        var all: [Int32] = []
        all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { all.append(contentsOf: p) }
        return all
    }
}

import DecisioningCore

/// The vectorised kernels behind `Evaluator`. Each works on whole arrays; scalars broadcast.
///
/// Integer and decimal arithmetic is checked: the hot loops use the `…ReportingOverflow`
/// operations and carry one overflow flag per loop; only when it is set does an exact two-word
/// slow path decide, row by row (and only over rows that are not NULL), whether a value truly
/// does not fit (`ArithmeticOverflow`) or only an intermediate did (rescaling an operand).
enum Kernels {
    static let powers: [Int64] = FixedPoint.powersOfTen

    // MARK: - Numbers

    enum Numbers {
        case ints(ColumnValues<Int64>, [Bool]?)
        case doubles(ColumnValues<Double>, [Bool]?)
        case int(Int64)
        case double(Double)
        case null
    }

    static func scale(_ t: DataType?) -> Int {
        if case .decimal(let s)? = t { return s }
        return 0
    }

    /// The operand as integers of scale `target` (rescaling decimals) or, with `asDouble`, as real values.
    /// Rescaled values that do not fit wrap; use the variant with `overflow` to learn of it.
    static func numbers(_ op: Operand, asDouble: Bool, targetScale: Int) -> Numbers {
        var overflow = false
        return numbers(op, asDouble: asDouble, targetScale: targetScale, overflow: &overflow)
    }

    /// As above; sets `overflow` when rescaling a non-NULL value to `targetScale` wrapped.
    static func numbers(_ op: Operand, asDouble: Bool, targetScale: Int, overflow: inout Bool) -> Numbers {
        let s = scale(op.type)
        switch op {
        case .scalar(let v, _):
            switch v {
            case .null, .text: return .null
            case .int(let i):
                if asDouble { return .double(Double(i) / Double(powers[s])) }
                let (r, o) = i.multipliedReportingOverflow(by: powers[targetScale - s])
                if o { overflow = true }
                return .int(r)
            case .double(let d): return .double(d)
            }
        case .column(let c):
            switch c.storage {
            case .ints(let values):
                if asDouble {
                    let p = Double(powers[s])
                    return .doubles(ColumnValues(s == 0 ? values.map { Double($0) } : values.map { Double($0) / p }), c.valid)
                }
                let f = powers[targetScale - s]
                if f == 1 { return .ints(values, c.valid) }
                let (scaled, o) = rescale(values, f, c.valid)
                if o { overflow = true }
                return .ints(ColumnValues(scaled), c.valid)
            case .doubles(let values):
                return .doubles(values, c.valid)
            case .strings:
                return .null
            }
        }
    }

    /// `values` times `f` (wrapping), and whether a non-NULL value overflowed.
    static func rescale(_ values: ColumnValues<Int64>, _ f: Int64, _ valid: [Bool]?) -> ([Int64], Bool) {
        var overflow = false
        let out = [Int64](unsafeUninitializedCapacity: values.count) { buffer, count in
            values.withUnsafeBufferPointer { v in
                for i in 0..<v.count {
                    let (r, o) = v[i].multipliedReportingOverflow(by: f)
                    buffer[i] = r
                    overflow = overflow || o
                }
            }
            count = values.count
        }
        if overflow, let valid {
            overflow = (0..<values.count).contains { valid[$0] && values[$0].multipliedReportingOverflow(by: f).overflow }
        }
        return (out, overflow)
    }

    static func combine(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
        guard let a else { return b }
        guard let b else { return a }
        return zip(a, b).map { $0 && $1 }
    }

    /// Integer and decimal operands read exactly, before rescaling: `units · factor` is the value
    /// at the target scale. nil for operands that are not integer-stored.
    struct ExactInts {
        var values: ColumnValues<Int64>?
        var scalar: Int64
        var valid: [Bool]?
        var factor: Int64

        init?(_ op: Operand, targetScale: Int) {
            let f = Kernels.powers[max(0, targetScale - Kernels.scale(op.type))]
            switch op {
            case .scalar(.int(let i), _):
                values = nil
                scalar = i
                valid = nil
                factor = f
            case .column(let c):
                guard case .ints(let v) = c.storage else { return nil }
                values = v
                scalar = 0
                valid = c.valid
                factor = f
            default: return nil
            }
        }

        @inline(__always) func wide(_ i: Int) -> WideInt { WideInt.product(values?[i] ?? scalar, factor) }
    }

    /// The result of `a op b` at 64 bits, or nil when it does not fit (division by zero gives 0: NULL upstream).
    static func exact(_ op: ArithmeticOperator, _ a: WideInt, _ b: WideInt) -> Int64? {
        switch op {
        case .add: return (a + b).exact
        case .subtract: return (a - b).exact
        case .multiply:
            // Multiplication never rescales: both operands are 64-bit units already.
            guard let p = a.exact, let q = b.exact else { return nil }
            let r = p.multipliedReportingOverflow(by: q)
            return r.overflow ? nil : r.partialValue
        case .divide:
            guard let p = a.exact, let q = b.exact else { return nil }
            if q == 0 { return 0 }
            let r = p.dividedReportingOverflow(by: q)
            return r.overflow ? nil : r.partialValue
        }
    }

    /// The slow path once a loop reported overflow: recomputes every non-NULL row exactly and
    /// throws if one does not fit; otherwise the overflow was in a NULL row or a rescaled operand only.
    static func exactArithmetic(
        _ op: ArithmeticOperator, _ a: Operand, _ b: Operand, _ resultType: DataType,
        targetA: Int, targetB: Int
    ) throws(ArithmeticOverflow) -> Operand {
        guard let x = ExactInts(a, targetScale: targetA), let y = ExactInts(b, targetScale: targetB) else { throw ArithmeticOverflow() }
        guard let n = x.values?.count ?? y.values?.count else {
            guard let r = exact(op, x.wide(0), y.wide(0)) else { throw ArithmeticOverflow() }
            return .scalar(.int(r), resultType)
        }
        let valid = combine(x.valid, y.valid)
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where valid?[i] ?? true {
            guard let r = exact(op, x.wide(i), y.wide(i)) else { throw ArithmeticOverflow() }
            out[i] = r
        }
        return .column(Column(type: resultType, storage: .ints(ColumnValues(out)), valid: valid))
    }

    @inline(__always)
    static func checked(_ op: ArithmeticOperator, _ p: Int64, _ q: Int64) -> (partialValue: Int64, overflow: Bool) {
        switch op {
        case .add: return p.addingReportingOverflow(q)
        case .subtract: return p.subtractingReportingOverflow(q)
        case .multiply: return p.multipliedReportingOverflow(by: q)
        case .divide: return q == 0 ? (0, false) : p.dividedReportingOverflow(by: q)
        }
    }

    /// `out[i] = a(i) op b(i)` over `n` rows with the checked operation; true if any wrapped.
    @inline(__always)
    static func checkedLoop(
        _ op: ArithmeticOperator, _ n: Int, _ out: UnsafeMutableBufferPointer<Int64>,
        _ a: (Int) -> Int64, _ b: (Int) -> Int64
    ) -> Bool {
        var overflow = false
        switch op {
        case .add:
            for i in 0..<n {
                let r = a(i).addingReportingOverflow(b(i))
                out[i] = r.partialValue
                overflow = overflow || r.overflow
            }
        case .subtract:
            for i in 0..<n {
                let r = a(i).subtractingReportingOverflow(b(i))
                out[i] = r.partialValue
                overflow = overflow || r.overflow
            }
        case .multiply:
            for i in 0..<n {
                let r = a(i).multipliedReportingOverflow(by: b(i))
                out[i] = r.partialValue
                overflow = overflow || r.overflow
            }
        case .divide:
            for i in 0..<n {
                let q = b(i)
                if q == 0 {
                    out[i] = 0
                    continue
                }
                let r = a(i).dividedReportingOverflow(by: q)
                out[i] = r.partialValue
                overflow = overflow || r.overflow
            }
        }
        return overflow
    }

    static func arithmetic(
        _ op: ArithmeticOperator, _ a: Operand, _ b: Operand, _ resultType: DataType, count: Int,
        plainIntegers: Bool = false
    ) throws(ArithmeticOverflow) -> Operand {
        let useDouble = resultType == .double
        let target = plainIntegers ? 0 : scale(resultType)
        let rescale = op == .add || op == .subtract
        let targetA = rescale ? target : scale(a.type)
        let targetB = rescale ? target : scale(b.type)
        var overflow = false
        let x = numbers(a, asDouble: useDouble, targetScale: targetA, overflow: &overflow)
        let y = numbers(b, asDouble: useDouble, targetScale: targetB, overflow: &overflow)
        if useDouble {
            return doubleArithmetic(op, x, y, resultType, count: count)
        }
        func slow() throws(ArithmeticOverflow) -> Operand {
            try exactArithmetic(op, a, b, resultType, targetA: targetA, targetB: targetB)
        }
        switch (x, y) {
        case (.null, _), (_, .null): return .scalar(.null, resultType)
        case (.int(let p), .int(let q)):
            let r = checked(op, p, q)
            return overflow || r.overflow ? try slow() : .scalar(.int(r.partialValue), resultType)
        case (.ints(let p, let v), .int(let q)):
            if overflow { return try slow() }
            let (out, o) = p.withUnsafeBufferPointer { p in
                intColumn(p.count) { checkedLoop(op, p.count, $0, { p[$0] }, { _ in q }) }
            }
            return o ? try slow() : .column(Column(type: resultType, storage: .ints(ColumnValues(out)), valid: v))
        case (.int(let p), .ints(let q, let v)):
            if overflow { return try slow() }
            let (out, o) = q.withUnsafeBufferPointer { q in
                intColumn(q.count) { checkedLoop(op, q.count, $0, { _ in p }, { q[$0] }) }
            }
            return o ? try slow() : .column(Column(type: resultType, storage: .ints(ColumnValues(out)), valid: v))
        case (.ints(let p, let vp), .ints(let q, let vq)):
            if overflow { return try slow() }
            let (out, o) = p.withUnsafeBufferPointer { p in
                q.withUnsafeBufferPointer { q in
                    intColumn(p.count) { checkedLoop(op, p.count, $0, { p[$0] }, { q[$0] }) }
                }
            }
            return o ? try slow() : .column(Column(type: resultType, storage: .ints(ColumnValues(out)), valid: combine(vp, vq)))
        default:
            return doubleArithmetic(op, x, y, resultType, count: count)
        }
    }

    /// A new integer column of `n` values written by `fill`, with what `fill` returns.
    @inline(__always)
    static func intColumn<R>(_ n: Int, _ fill: (UnsafeMutableBufferPointer<Int64>) -> R) -> ([Int64], R) {
        var result: R? = nil
        let out = [Int64](unsafeUninitializedCapacity: n) { buffer, count in
            result = fill(buffer)
            count = n
        }
        return (out, result!)
    }

    static func doubleArithmetic(_ op: ArithmeticOperator, _ x: Numbers, _ y: Numbers, _ resultType: DataType, count: Int) -> Operand {
        func vector(_ n: Numbers) -> (ColumnValues<Double>, [Bool]?)? {
            switch n {
            case .doubles(let d, let v): return (d, v)
            case .ints(let i, let v): return (ColumnValues(i.map { Double($0) }), v)
            case .double(let d): return (ColumnValues(Array(repeating: d, count: count)), nil)
            case .int(let i): return (ColumnValues(Array(repeating: Double(i), count: count)), nil)
            case .null: return nil
            }
        }
        if case .double(let p) = x, case .double(let q) = y {
            if op == .divide && q == 0 { return .scalar(.null, .double) }
            return .scalar(.double(apply(op, p, q)), .double)
        }
        guard let (p, vp) = vector(x), let (q, vq) = vector(y) else { return .scalar(.null, .double) }
        var out = [Double](repeating: 0, count: p.count)
        var valid = combine(vp, vq)
        if op == .divide {
            for i in 0..<p.count {
                if q[i] == 0 {
                    if valid == nil { valid = Array(repeating: true, count: p.count) }
                    valid![i] = false
                } else {
                    out[i] = p[i] / q[i]
                }
            }
        } else {
            for i in 0..<p.count { out[i] = apply(op, p[i], q[i]) }
        }
        return .column(Column(type: .double, storage: .doubles(ColumnValues(out)), valid: valid))
    }

    @inline(__always) static func apply(_ op: ArithmeticOperator, _ p: Double, _ q: Double) -> Double {
        switch op {
        case .add: return p + q
        case .subtract: return p - q
        case .multiply: return p * q
        case .divide: return p / q
        }
    }

    static func toDouble(_ op: Operand, count: Int) -> Operand {
        switch numbers(op, asDouble: true, targetScale: 0) {
        case .null: return .scalar(.null, .double)
        case .double(let d): return .scalar(.double(d), .double)
        case .int(let i): return .scalar(.double(Double(i)), .double)
        case .doubles(let d, let v): return .column(Column(type: .double, storage: .doubles(d), valid: v))
        case .ints(let i, let v): return .column(Column(type: .double, storage: .doubles(ColumnValues(i.map { Double($0) })), valid: v))
        }
    }

    static func mapInts(_ op: Operand, to type: DataType, count: Int, _ f: (Int64) -> Int64) -> Operand {
        switch op {
        case .scalar(.int(let v), _): return .scalar(.int(f(v)), type)
        case .scalar: return .scalar(.null, type)
        case .column(let c):
            guard case .ints(let values) = c.storage else { return .scalar(.null, type) }
            // Dates repeat: map each distinct day once when the range is small.
            if let lo = values.min(), let hi = values.max(), case (let span, false) = hi.subtractingReportingOverflow(lo), span < 400_000,
                values.count > 1024
            {
                let table = (lo...hi).map(f)
                return .column(Column(type: type, storage: .ints(ColumnValues(values.map { table[Int($0 - lo)] })), valid: c.valid))
            }
            return .column(Column(type: type, storage: .ints(ColumnValues(values.map(f))), valid: c.valid))
        }
    }

    // MARK: - Comparisons

    static func outcome(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }

    static func boolColumn(_ values: [Int64], _ valid: [Bool]?) -> Operand {
        .column(Column(type: .boolean, storage: .ints(ColumnValues(values)), valid: valid))
    }

    static func compare(_ op: ComparisonOperator, _ a: Operand, _ b: Operand, count: Int) -> Operand {
        if case .scalar(.null, _) = a { return .scalar(.null, .boolean) }
        if case .scalar(.null, _) = b { return .scalar(.null, .boolean) }
        if a.type == .text || b.type == .text { return compareText(op, a, b, count: count) }
        let ta = a.type ?? b.type ?? .integer
        let tb = b.type ?? a.type ?? .integer
        let common = ta.isNumeric && tb.isNumeric ? TypeChecker.widen(ta, tb) : ta
        let useDouble = common == .double
        let target = scale(common)
        var overflow = false
        let x = numbers(a, asDouble: useDouble, targetScale: target, overflow: &overflow)
        let y = numbers(b, asDouble: useDouble, targetScale: target, overflow: &overflow)
        if overflow, let exact = exactCompare(op, a, b, target) { return exact }
        switch (x, y) {
        case (.int(let p), .int(let q)): return .scalar(.int(outcome(op, p < q ? -1 : p == q ? 0 : 1) ? 1 : 0), .boolean)
        case (.ints(let p, let v), .int(let q)):
            return boolColumn(intCompareScalar(op, p, q), v)
        case (.int(let p), .ints(let q, let v)):
            return boolColumn(intCompareScalar(op.flipped, q, p), v)
        case (.ints(let p, let vp), .ints(let q, let vq)):
            var out = [Int64](repeating: 0, count: p.count)
            for i in 0..<p.count { out[i] = outcome(op, p[i] < q[i] ? -1 : p[i] == q[i] ? 0 : 1) ? 1 : 0 }
            return boolColumn(out, combine(vp, vq))
        default:
            func vector(_ n: Numbers) -> (ColumnValues<Double>, [Bool]?) {
                switch n {
                case .doubles(let d, let v): return (d, v)
                case .ints(let i, let v): return (ColumnValues(i.map { Double($0) }), v)
                case .double(let d): return (ColumnValues(Array(repeating: d, count: count)), nil)
                case .int(let i): return (ColumnValues(Array(repeating: Double(i), count: count)), nil)
                case .null: return (ColumnValues(Array(repeating: 0, count: count)), Array(repeating: false, count: count))
                }
            }
            if case .double(let p) = x, case .double(let q) = y {
                return .scalar(.int(outcome(op, p < q ? -1 : p == q ? 0 : 1) ? 1 : 0), .boolean)
            }
            let (p, vp) = vector(x)
            let (q, vq) = vector(y)
            var out = [Int64](repeating: 0, count: p.count)
            for i in 0..<p.count { out[i] = outcome(op, p[i] < q[i] ? -1 : p[i] == q[i] ? 0 : 1) ? 1 : 0 }
            return boolColumn(out, combine(vp, vq))
        }
    }

    /// Compares at the common scale without rescaling to 64 bits: a value that does not fit at that
    /// scale is still greater or smaller than every value that does.
    static func exactCompare(_ op: ComparisonOperator, _ a: Operand, _ b: Operand, _ target: Int) -> Operand? {
        guard let x = ExactInts(a, targetScale: target), let y = ExactInts(b, targetScale: target) else { return nil }
        func order(_ i: Int) -> Int {
            let p = x.wide(i)
            let q = y.wide(i)
            return p < q ? -1 : p == q ? 0 : 1
        }
        guard let n = x.values?.count ?? y.values?.count else {
            return .scalar(.int(outcome(op, order(0)) ? 1 : 0), .boolean)
        }
        let valid = combine(x.valid, y.valid)
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where valid?[i] ?? true { out[i] = outcome(op, order(i)) ? 1 : 0 }
        return boolColumn(out, valid)
    }

    static func intCompareScalar(_ op: ComparisonOperator, _ p: ColumnValues<Int64>, _ q: Int64) -> [Int64] {
        let parts = Parallel.map(p.count) { range -> [Int64] in
            var out = [Int64](repeating: 0, count: range.count)
            p.withUnsafeBufferPointer { v in
                let base = range.lowerBound
                switch op {
                case .equal: for i in range { out[i - base] = v[i] == q ? 1 : 0 }
                case .notEqual: for i in range { out[i - base] = v[i] != q ? 1 : 0 }
                case .less: for i in range { out[i - base] = v[i] < q ? 1 : 0 }
                case .lessOrEqual: for i in range { out[i - base] = v[i] <= q ? 1 : 0 }
                case .greater: for i in range { out[i - base] = v[i] > q ? 1 : 0 }
                case .greaterOrEqual: for i in range { out[i - base] = v[i] >= q ? 1 : 0 }
                }
            }
            return out
        }
        return Parallel.joined(parts)
    }

    static func binaryOrder(_ a: String, _ b: String) -> Int { ByteString.order(a, b) }

    static func compareText(_ op: ComparisonOperator, _ a: Operand, _ b: Operand, count: Int) -> Operand {
        switch (a, b) {
        case (.scalar(.text(let p), _), .scalar(.text(let q), _)):
            return .scalar(.int(outcome(op, binaryOrder(p, q)) ? 1 : 0), .boolean)
        case (.column(let c), .scalar(.text(let q), _)):
            return textAgainstScalar(op, c, q)
        case (.scalar(.text(let p), _), .column(let c)):
            return textAgainstScalar(op.flipped, c, p)
        case (.column(let c), .column(let d)):
            guard case .strings(let ca, let da) = c.storage, case .strings(let cb, let db) = d.storage else {
                return .scalar(.null, .boolean)
            }
            var out = [Int64](repeating: 0, count: ca.count)
            var valid = [Bool](repeating: true, count: ca.count)
            if da === db {
                let ranks = da.ranks
                for i in 0..<ca.count {
                    if ca[i] < 0 || cb[i] < 0 {
                        valid[i] = false
                        continue
                    }
                    let ra = ranks[Int(ca[i])]
                    let rb = ranks[Int(cb[i])]
                    out[i] = outcome(op, ra < rb ? -1 : ra == rb ? 0 : 1) ? 1 : 0
                }
            } else {
                for i in 0..<ca.count {
                    if ca[i] < 0 || cb[i] < 0 {
                        valid[i] = false
                        continue
                    }
                    out[i] = outcome(op, binaryOrder(da.values[Int(ca[i])], db.values[Int(cb[i])])) ? 1 : 0
                }
            }
            return boolColumn(out, valid)
        default:
            return .scalar(.null, .boolean)
        }
    }

    /// Compares each dictionary entry once, then maps codes to outcomes.
    static func textAgainstScalar(_ op: ComparisonOperator, _ c: Column, _ q: String) -> Operand {
        guard case .strings(let codes, let dictionary) = c.storage else { return .scalar(.null, .boolean) }
        let table = dictionary.values.map { outcome(op, binaryOrder($0, q)) ? Int64(1) : 0 }
        let hasNull = c.valid != nil || codes.contains(-1)
        let parts = Parallel.map(codes.count) { range -> [Int64] in
            var out = [Int64](repeating: 0, count: range.count)
            codes.withUnsafeBufferPointer { v in
                table.withUnsafeBufferPointer { t in
                    let base = range.lowerBound
                    for i in range {
                        let code = v[i]
                        out[i - base] = code >= 0 ? t[Int(code)] : 0
                    }
                }
            }
            return out
        }
        let values = Parallel.joined(parts)
        return boolColumn(values, hasNull ? codes.map { $0 >= 0 } : nil)
    }

    // MARK: - Logic

    /// 0 false, 1 true, 2 unknown.
    static func truth(_ op: Operand, count: Int) -> (scalar: Int8?, column: [Int8]?) {
        switch op {
        case .scalar(.int(let v), _): return (v != 0 ? 1 : 0, nil)
        case .scalar: return (2, nil)
        case .column(let c):
            guard case .ints(let values) = c.storage else { return (2, nil) }
            if let valid = c.valid { return (nil, (0..<values.count).map { valid[$0] ? Int8(values[$0] != 0 ? 1 : 0) : 2 }) }
            return (nil, values.map { $0 != 0 ? 1 : 0 })
        }
    }

    static func fromTruth(_ t: [Int8]) -> Operand {
        let hasUnknown = t.contains(2)
        return boolColumn(t.map { $0 == 1 ? 1 : 0 }, hasUnknown ? t.map { $0 != 2 } : nil)
    }

    static func logical(and: Bool, _ a: Operand, _ b: Operand, count: Int) -> Operand {
        func combine(_ p: Int8, _ q: Int8) -> Int8 {
            if and {
                if p == 0 || q == 0 { return 0 }
                return p == 2 || q == 2 ? 2 : 1
            }
            if p == 1 || q == 1 { return 1 }
            return p == 2 || q == 2 ? 2 : 0
        }
        let x = truth(a, count: count)
        let y = truth(b, count: count)
        if let p = x.scalar, let q = y.scalar {
            let r = combine(p, q)
            return r == 2 ? .scalar(.null, .boolean) : .scalar(.int(Int64(r)), .boolean)
        }
        let p = x.column ?? Array(repeating: x.scalar!, count: count)
        let q = y.column ?? Array(repeating: y.scalar!, count: count)
        var out = [Int8](repeating: 0, count: count)
        for i in 0..<count { out[i] = combine(p[i], q[i]) }
        return fromTruth(out)
    }

    static func not(_ a: Operand, count: Int) -> Operand {
        let x = truth(a, count: count)
        if let p = x.scalar { return p == 2 ? .scalar(.null, .boolean) : .scalar(.int(p == 1 ? 0 : 1), .boolean) }
        return fromTruth(x.column!.map { $0 == 2 ? 2 : 1 - $0 })
    }

    static func isNull(_ a: Operand, count: Int) -> Operand {
        switch a {
        case .scalar(.null, _): return .scalar(.int(1), .boolean)
        case .scalar: return .scalar(.int(0), .boolean)
        case .column(let c):
            if case .strings(let codes, _) = c.storage {
                return boolColumn(codes.enumerated().map { $0.element < 0 || !c.isValid($0.offset) ? 1 : 0 }, nil)
            }
            guard let valid = c.valid else { return .scalar(.int(0), .boolean) }
            return boolColumn(valid.map { $0 ? 0 : 1 }, nil)
        }
    }

    // MARK: - CASE

    /// Later branches are applied first so that the first true condition wins. A branch value that
    /// does not fit the result's scale fails only if a row takes that branch (and is not NULL).
    static func caseWhen(_ branches: [(Operand, Operand)], _ fallback: Operand, _ type: DataType, count: Int) throws(ArithmeticOverflow)
        -> Operand
    {
        if type == .text { return caseText(branches, fallback, count: count) }
        let useDouble = type == .double
        let target = scale(type)
        struct Dense {
            var ints: [Int64]?
            var doubles: [Double]?
            var valid: [Bool]
            var overflows: [Bool]?
        }
        func dense(_ op: Operand) -> Dense {
            var overflow = false
            let numbers = numbers(op, asDouble: useDouble, targetScale: target, overflow: &overflow)
            // Which rows wrapped when rescaled (rare: looked for only once a loop reported it).
            var overflows: [Bool]? = nil
            if overflow, let x = ExactInts(op, targetScale: target) {
                overflows = (0..<count).map { x.wide($0).exact == nil }
            }
            switch numbers {
            case .null:
                return Dense(
                    ints: useDouble ? nil : Array(repeating: 0, count: count), doubles: useDouble ? Array(repeating: 0, count: count) : nil,
                    valid: Array(repeating: false, count: count), overflows: nil)
            case .int(let i):
                return Dense(
                    ints: Array(repeating: i, count: count), doubles: nil, valid: Array(repeating: true, count: count), overflows: overflows
                )
            case .double(let d):
                return Dense(
                    ints: nil, doubles: Array(repeating: d, count: count), valid: Array(repeating: true, count: count), overflows: nil)
            case .ints(let i, let v):
                return Dense(ints: i.elements, doubles: nil, valid: v ?? Array(repeating: true, count: count), overflows: overflows)
            case .doubles(let d, let v):
                return Dense(ints: nil, doubles: d.elements, valid: v ?? Array(repeating: true, count: count), overflows: nil)
            }
        }
        var result = dense(fallback)
        for (condition, value) in branches.reversed() {
            let t = truth(condition, count: count)
            if let s = t.scalar {
                if s == 1 { result = dense(value) }
                continue
            }
            let mask = t.column!
            let v = dense(value)
            if v.overflows != nil && result.overflows == nil { result.overflows = Array(repeating: false, count: count) }
            for i in 0..<count where mask[i] == 1 {
                if useDouble { result.doubles![i] = v.doubles![i] } else { result.ints![i] = v.ints![i] }
                result.valid[i] = v.valid[i]
                if result.overflows != nil { result.overflows![i] = v.overflows?[i] ?? false }
            }
        }
        if let overflows = result.overflows, (0..<count).contains(where: { overflows[$0] && result.valid[$0] }) {
            throw ArithmeticOverflow()
        }
        let valid = result.valid.contains(false) ? result.valid : nil
        if useDouble { return .column(Column(type: type, storage: .doubles(ColumnValues(result.doubles!)), valid: valid)) }
        return .column(Column(type: type, storage: .ints(ColumnValues(result.ints!)), valid: valid))
    }

    static func caseText(_ branches: [(Operand, Operand)], _ fallback: Operand, count: Int) -> Operand {
        var values: [String] = []
        var lookup: [ByteString: Int32] = [:]
        func code(_ s: String) -> Int32 {
            if let c = lookup[ByteString(s)] { return c }
            let c = Int32(values.count)
            values.append(s)
            lookup[ByteString(s)] = c
            return c
        }
        func codes(_ op: Operand) -> [Int32] {
            switch op {
            case .scalar(.text(let s), _): return Array(repeating: code(s), count: count)
            case .scalar: return Array(repeating: -1, count: count)
            case .column(let c):
                guard case .strings(let raw, let dictionary) = c.storage else { return Array(repeating: -1, count: count) }
                let remap = dictionary.values.map(code)
                return raw.enumerated().map { $0.element >= 0 && c.isValid($0.offset) ? remap[Int($0.element)] : -1 }
            }
        }
        var result = codes(fallback)
        for (condition, value) in branches.reversed() {
            let t = truth(condition, count: count)
            let v = codes(value)
            if let s = t.scalar {
                if s == 1 { result = v }
                continue
            }
            let mask = t.column!
            for i in 0..<count where mask[i] == 1 { result[i] = v[i] }
        }
        return .column(Column(type: .text, storage: .strings(ColumnValues(result), StringDictionary(values)), valid: nil))
    }
}

extension ComparisonOperator {
    /// The operator with its operands swapped: a < b is b > a.
    var flipped: ComparisonOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}

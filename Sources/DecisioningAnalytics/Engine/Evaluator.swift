import DecisioningCore

/// A value being computed: a whole column, or one value that stands for every row.
enum Operand {
    case column(Column)
    case scalar(EngineValue, DataType?)

    var type: DataType? {
        switch self {
        case .column(let c): return c.type
        case .scalar(_, let t): return t
        }
    }
}

/// Evaluates expressions over a relation with vectorised kernels and SQL's NULL semantics
/// (three-valued logic; NULL in, NULL out; division by zero gives NULL, as in MySQL).
struct Evaluator {
    let checker: TypeChecker
    let asOf: Day

    func type(_ e: Expr, _ relation: Relation) throws(PlanError) -> DataType? {
        try checker.type(e, in: relation.fields)
    }

    /// The expression as a dense column of `relation.count` rows.
    func column(_ e: Expr, _ relation: Relation) throws(PlanError) -> Column {
        materialize(try evaluate(e, relation), count: relation.count, type: try type(e, relation))
    }

    /// Rows (ascending) where the predicate is true; NULL counts as false.
    func select(_ e: Expr, _ relation: Relation) throws(PlanError) -> [Int32] {
        let truth = try evaluate(e, relation)
        switch truth {
        case .scalar(let v, _):
            if case .int(1) = v { return (0..<relation.count).map { Int32($0) } }
            return []
        case .column(let c):
            guard case .ints(let values) = c.storage else { return [] }
            let valid = c.valid
            let parts = Parallel.map(values.count) { range -> [Int32] in
                var out: [Int32] = []
                out.reserveCapacity(range.count / 4)
                values.withUnsafeBufferPointer { v in
                    if let valid {
                        for i in range where v[i] == 1 && valid[i] { out.append(Int32(i)) }
                    } else {
                        for i in range where v[i] == 1 { out.append(Int32(i)) }
                    }
                }
                return out
            }
            return Parallel.joined(parts)
        }
    }

    /// Runs a checked kernel; a value beyond 64 bits fails the query naming `e` and its type.
    func checked(_ e: Expr, _ type: DataType?, _ kernel: () throws(ArithmeticOverflow) -> Operand) throws(PlanError) -> Operand {
        do {
            return try kernel()
        } catch {
            throw PlanError.integerOverflow("\(e)", type)
        }
    }

    func materialize(_ op: Operand, count: Int, type: DataType?) -> Column {
        switch op {
        case .column(let c): return c
        case .scalar(let v, let t):
            let t = t ?? type ?? .integer
            switch v {
            case .null:
                let storage: Column.Storage
                switch t {
                case .double: storage = .doubles(ColumnValues(Array(repeating: 0, count: count)))
                case .text: storage = .strings(ColumnValues(Array(repeating: -1, count: count)), .empty)
                default: storage = .ints(ColumnValues(Array(repeating: 0, count: count)))
                }
                return Column(type: t, storage: storage, valid: Array(repeating: false, count: count))
            case .int(let i): return Column(type: t, storage: .ints(ColumnValues(Array(repeating: i, count: count))), valid: nil)
            case .double(let d): return Column(type: t, storage: .doubles(ColumnValues(Array(repeating: d, count: count))), valid: nil)
            case .text(let s):
                return Column(
                    type: .text, storage: .strings(ColumnValues(Array(repeating: 0, count: count)), StringDictionary([s])), valid: nil)
            }
        }
    }

    func evaluate(_ e: Expr, _ relation: Relation) throws(PlanError) -> Operand {
        switch e {
        case .column(let name):
            return .column(relation.dense(name))
        case .literal(let v):
            let t = try type(e, relation)
            switch v {
            case .null: return .scalar(.null, nil)
            case .integer(let i): return .scalar(.int(i), t)
            case .double(let d): return .scalar(.double(d), t)
            case .text(let s), .json(let s): return .scalar(.text(s), t)
            case .date(let d): return .scalar(.int(Int64(d.number)), t)
            case .timestamp(let ts): return .scalar(.int(ts.seconds), t)
            case .boolean(let b): return .scalar(.int(b ? 1 : 0), t)
            case .decimal(let u): return .scalar(.int(u), t)
            case .vector: throw PlanError("vectors cannot be used in plans")
            }
        case .decimalLiteral(let units, let scale):
            return .scalar(.int(units), .decimal(scale: scale))
        case .asOf(let months, let days):
            return .scalar(.int(Int64(asOf.adding(months: months).adding(days: days).number)), .date)
        case .arithmetic(let op, let a, let b):
            let resultType = try type(e, relation) ?? .integer
            let x = try evaluate(a, relation)
            let y = try evaluate(b, relation)
            return try checked(e, resultType) { () throws(ArithmeticOverflow) in
                try Kernels.arithmetic(op, x, y, resultType, count: relation.count)
            }
        case .negate(let a):
            let x = try evaluate(a, relation)
            return try checked(e, x.type) { () throws(ArithmeticOverflow) in
                try Kernels.arithmetic(.subtract, .scalar(.int(0), .integer), x, x.type ?? .integer, count: relation.count)
            }
        case .compare(let op, let a, let b):
            return Kernels.compare(op, try evaluate(a, relation), try evaluate(b, relation), count: relation.count)
        case .and(let a, let b):
            return Kernels.logical(and: true, try evaluate(a, relation), try evaluate(b, relation), count: relation.count)
        case .or(let a, let b):
            return Kernels.logical(and: false, try evaluate(a, relation), try evaluate(b, relation), count: relation.count)
        case .not(let a):
            return Kernels.not(try evaluate(a, relation), count: relation.count)
        case .isNull(let a):
            return Kernels.isNull(try evaluate(a, relation), count: relation.count)
        case .inList(let a, let list):
            let subject = try evaluate(a, relation)
            var result: Operand = .scalar(.int(0), .boolean)
            for item in list {
                let eq = Kernels.compare(.equal, subject, try evaluate(item, relation), count: relation.count)
                result = Kernels.logical(and: false, result, eq, count: relation.count)
            }
            return result
        case .between(let a, let low, let high):
            let x = try evaluate(a, relation)
            let lower = Kernels.compare(.greaterOrEqual, x, try evaluate(low, relation), count: relation.count)
            let upper = Kernels.compare(.lessOrEqual, x, try evaluate(high, relation), count: relation.count)
            return Kernels.logical(and: true, lower, upper, count: relation.count)
        case .caseWhen(let clauses, let otherwise):
            let resultType = try type(e, relation)
            var branches: [(Operand, Operand)] = []
            for c in clauses { branches.append((try evaluate(c.condition, relation), try evaluate(c.result, relation))) }
            let fallback = try otherwise.map { o throws(PlanError) in try evaluate(o, relation) } ?? .scalar(.null, resultType)
            return try checked(e, resultType) { () throws(ArithmeticOverflow) in
                try Kernels.caseWhen(branches, fallback, resultType ?? .integer, count: relation.count)
            }
        case .coalesce(let list):
            let resultType = try type(e, relation) ?? .integer
            var branches: [(Operand, Operand)] = []
            for item in list.dropLast() {
                let value = try evaluate(item, relation)
                branches.append((Kernels.not(Kernels.isNull(value, count: relation.count), count: relation.count), value))
            }
            let last = try evaluate(list.last!, relation)
            return try checked(e, resultType) { () throws(ArithmeticOverflow) in
                try Kernels.caseWhen(branches, last, resultType, count: relation.count)
            }
        case .year(let a):
            let x = try evaluate(a, relation)
            let isTimestamp = x.type == .timestamp
            return Kernels.mapInts(x, to: .integer, count: relation.count) { v in
                Int64(isTimestamp ? Timestamp(seconds: v).day.year : Day(number: Int32(truncatingIfNeeded: v)).year)
            }
        case .monthStart(let a):
            return Kernels.mapInts(try evaluate(a, relation), to: .date, count: relation.count) { v in
                Int64(Day(number: Int32(truncatingIfNeeded: v)).firstOfMonth.number)
            }
        case .daysBetween(let a, let b):
            let x = try evaluate(b, relation)
            let y = try evaluate(a, relation)
            return try checked(e, .integer) { () throws(ArithmeticOverflow) in
                try Kernels.arithmetic(.subtract, x, y, .integer, count: relation.count, plainIntegers: true)
            }
        case .toDouble(let a):
            return Kernels.toDouble(try evaluate(a, relation), count: relation.count)
        }
    }
}

/// Types every expression and every plan node, rejecting ill-typed plans with a message that
/// names the offending expression before anything runs.
public struct TypeChecker: Sendable {
    public let catalog: TableCatalog

    public init(catalog: TableCatalog = .standard) { self.catalog = catalog }

    /// The output columns of `plan`.
    public func fields(_ plan: Plan) throws(PlanError) -> [Field] {
        switch plan {
        case .scan(let tableName, let columns):
            guard let table = catalog.table(tableName) else {
                throw PlanError("unknown table '\(tableName)'; known tables: \(catalog.tables.keys.sorted().joined(separator: ", "))")
            }
            guard !columns.isEmpty else { throw PlanError("scan of \(tableName) reads no columns") }
            var fields: [Field] = []
            for c in columns {
                guard let column = table.column(c.source) else {
                    throw PlanError("table \(tableName) has no column '\(c.source)'; it has: \(table.columnNames.joined(separator: ", "))")
                }
                guard let type = DataType(column.type) else {
                    throw PlanError("column \(tableName).\(c.source) (\(column.type)) cannot be used in plans")
                }
                fields.append(Field(c.name, type))
            }
            return try unique(fields, "scan of \(tableName)")
        case .filter(let input, let predicate):
            let fields = try fields(input)
            try expectBoolean(predicate, in: fields, "filter")
            return fields
        case .join(_, let left, let right, let keys):
            let l = try fields(left)
            let r = try fields(right)
            guard !keys.isEmpty else { throw PlanError("a join needs at least one key") }
            for key in keys {
                let lt = try type(.column(key.left), in: l)
                let rt = try type(.column(key.right), in: r)
                guard let lt, let rt, Self.comparable(lt, rt) else {
                    throw PlanError(
                        "join key \(key.left) = \(key.right) compares \(lt?.description ?? "null") with \(rt?.description ?? "null")")
                }
            }
            let joined = l + r
            for name in Set(l.map(\.name)).intersection(r.map(\.name)).sorted() {
                throw PlanError(
                    "column '\(name)' comes from both sides of the join; rename one side in its scan (ScanColumn(\"\(name)\", as: ...))")
            }
            return joined
        case .aggregate(let input, let groups, let measures):
            let fields = try fields(input)
            var out: [Field] = []
            for g in groups {
                guard let t = try type(g.expr, in: fields) else { throw PlanError("group key \(g.name) is NULL") }
                out.append(Field(g.name, t))
            }
            for m in measures { out.append(Field(m.name, try measureType(m, in: fields))) }
            guard !out.isEmpty else { throw PlanError("an aggregate needs a group key or a measure") }
            return try unique(out, "aggregate")
        case .window(let input, let partitionBy, let orderBy, let lags):
            let fields = try fields(input)
            for name in partitionBy + orderBy.map(\.column) { _ = try type(.column(name), in: fields) }
            guard !orderBy.isEmpty else { throw PlanError("LAG needs an ORDER BY") }
            var out = fields
            for lag in lags {
                guard lag.offset >= 1 else { throw PlanError("LAG offset must be 1 or more, found \(lag.offset)") }
                guard let t = try type(.column(lag.column), in: fields) else { throw PlanError("LAG of NULL") }
                out.append(Field(lag.name, t))
            }
            return try unique(out, "window")
        case .project(let input, let columns):
            let fields = try fields(input)
            var out: [Field] = []
            for c in columns {
                guard let t = try type(c.expr, in: fields) else {
                    throw PlanError("projection \(c.name) is an untyped NULL; write coalesce(NULL, <typed value>) or a CASE")
                }
                out.append(Field(c.name, t))
            }
            guard !out.isEmpty else { throw PlanError("a projection needs at least one column") }
            return try unique(out, "projection")
        case .sort(let input, let keys):
            let fields = try fields(input)
            for k in keys { _ = try type(.column(k.column), in: fields) }
            return fields
        case .limit(let input, let n):
            guard n >= 0 else { throw PlanError("LIMIT must be 0 or more, found \(n)") }
            return try fields(input)
        }
    }

    func unique(_ fields: [Field], _ context: String) throws(PlanError) -> [Field] {
        var seen = Set<String>()
        for f in fields where !seen.insert(f.name).inserted { throw PlanError("\(context) has two columns named '\(f.name)'") }
        return fields
    }

    func expectBoolean(_ e: Expr, in fields: [Field], _ context: String) throws(PlanError) {
        let t = try type(e, in: fields)
        guard t == nil || t == .boolean else { throw PlanError("\(context) condition \(e) is \(t!), not boolean") }
    }

    public func measureType(_ m: Measure, in fields: [Field]) throws(PlanError) -> DataType {
        guard let argument = m.argument else {
            guard m.function == .count else { throw PlanError("\(m.function.rawValue) needs an argument") }
            return .integer
        }
        let t = try type(argument, in: fields)
        switch m.function {
        case .count, .countDistinct, .approxCountDistinct:
            return .integer
        case .sum:
            guard let t, t.isNumeric else { throw PlanError("SUM(\(argument)) needs a number, found \(t?.description ?? "NULL")") }
            return t
        case .avg, .stddevPop, .stddevSamp:
            guard let t, t.isNumeric else {
                throw PlanError("\(m.function.rawValue)(\(argument)) needs a number, found \(t?.description ?? "NULL")")
            }
            return .double
        case .min, .max:
            guard let t, t != .boolean else { throw PlanError("\(m.function.rawValue)(\(argument)) needs an orderable value") }
            return t
        }
    }

    /// The type of `e` over `fields`; nil for an untyped NULL literal.
    public func type(_ e: Expr, in fields: [Field]) throws(PlanError) -> DataType? {
        switch e {
        case .column(let name):
            guard let f = fields.first(where: { $0.name == name }) else {
                throw PlanError("unknown column '\(name)'; available: \(fields.map(\.name).joined(separator: ", "))")
            }
            return f.type
        case .literal(let v):
            switch v {
            case .null: return nil
            case .integer: return .integer
            case .double: return .double
            case .text, .json: return .text
            case .date: return .date
            case .timestamp: return .timestamp
            case .boolean: return .boolean
            case .decimal: throw PlanError("a decimal literal needs its scale: use Expr.decimal(\"1.10\")")
            case .vector: throw PlanError("vectors cannot be used in plans")
            }
        case .decimalLiteral(_, let scale):
            return .decimal(scale: scale)
        case .asOf:
            return .date
        case .arithmetic(let op, let a, let b):
            let ta = try type(a, in: fields)
            let tb = try type(b, in: fields)
            for (t, side) in [(ta, a), (tb, b)] where t != nil && !t!.isNumeric {
                throw PlanError("\(e): \(side) is \(t!), arithmetic needs numbers")
            }
            return Self.arithmeticType(op, ta ?? tb ?? .integer, tb ?? ta ?? .integer)
        case .negate(let a):
            let t = try type(a, in: fields)
            guard t == nil || t!.isNumeric else { throw PlanError("-(\(a)) needs a number, found \(t!)") }
            return t
        case .compare(_, let a, let b):
            let ta = try type(a, in: fields)
            let tb = try type(b, in: fields)
            if let ta, let tb, !Self.comparable(ta, tb) { throw PlanError("\(e) compares \(ta) with \(tb)") }
            return .boolean
        case .and(let a, let b), .or(let a, let b):
            try expectBoolean(a, in: fields, "AND/OR")
            try expectBoolean(b, in: fields, "AND/OR")
            return .boolean
        case .not(let a):
            try expectBoolean(a, in: fields, "NOT")
            return .boolean
        case .isNull(let a):
            _ = try type(a, in: fields)
            return .boolean
        case .inList(let a, let list):
            guard !list.isEmpty else { throw PlanError("\(a) IN () needs at least one value") }
            let ta = try type(a, in: fields)
            for item in list {
                if let ta, let ti = try type(item, in: fields), !Self.comparable(ta, ti) {
                    throw PlanError("\(e) compares \(ta) with \(ti)")
                }
            }
            return .boolean
        case .between(let a, let low, let high):
            let ta = try type(a, in: fields)
            for bound in [low, high] {
                if let ta, let tb = try type(bound, in: fields), !Self.comparable(ta, tb) {
                    throw PlanError("\(e) compares \(ta) with \(tb)")
                }
            }
            return .boolean
        case .caseWhen(let clauses, let otherwise):
            guard !clauses.isEmpty else { throw PlanError("CASE needs at least one WHEN") }
            var result: DataType?
            for c in clauses {
                try expectBoolean(c.condition, in: fields, "WHEN")
                result = try unify(result, try type(c.result, in: fields), e)
            }
            if let otherwise { result = try unify(result, try type(otherwise, in: fields), e) }
            return result
        case .coalesce(let list):
            guard !list.isEmpty else { throw PlanError("COALESCE needs at least one value") }
            var result: DataType?
            for item in list { result = try unify(result, try type(item, in: fields), e) }
            return result
        case .year(let a):
            let t = try type(a, in: fields)
            guard t == nil || t == .date || t == .timestamp else { throw PlanError("YEAR(\(a)) needs a date, found \(t!)") }
            return .integer
        case .monthStart(let a):
            let t = try type(a, in: fields)
            guard t == nil || t == .date else { throw PlanError("first day of month of \(a) needs a date, found \(t!)") }
            return .date
        case .daysBetween(let a, let b):
            for side in [a, b] {
                let t = try type(side, in: fields)
                guard t == nil || t == .date else { throw PlanError("days between needs dates, \(side) is \(t!)") }
            }
            return .integer
        case .toDouble(let a):
            let t = try type(a, in: fields)
            guard t == nil || t!.isNumeric else { throw PlanError("\(a) is \(t!), not a number") }
            return .double
        }
    }

    func unify(_ a: DataType?, _ b: DataType?, _ context: Expr) throws(PlanError) -> DataType? {
        guard let a else { return b }
        guard let b else { return a }
        if a == b { return a }
        if a.isNumeric && b.isNumeric { return Self.widen(a, b) }
        throw PlanError("\(context) mixes \(a) and \(b)")
    }

    static func widen(_ a: DataType, _ b: DataType) -> DataType {
        switch (a, b) {
        case (.double, _), (_, .double): return .double
        case (.decimal(let s1), .decimal(let s2)): return .decimal(scale: max(s1, s2))
        case (.decimal(let s), _), (_, .decimal(let s)): return .decimal(scale: s)
        default: return .integer
        }
    }

    static func comparable(_ a: DataType, _ b: DataType) -> Bool {
        if a.isNumeric && b.isNumeric { return true }
        return a == b
    }

    /// Result type of arithmetic: exact where it can stay exact, double otherwise.
    public static func arithmeticType(_ op: ArithmeticOperator, _ a: DataType, _ b: DataType) -> DataType {
        switch op {
        case .divide: return .double
        case .add, .subtract: return widen(a, b)
        case .multiply:
            switch (a, b) {
            case (.double, _), (_, .double): return .double
            case (.decimal(let s1), .decimal(let s2)): return s1 + s2 <= 6 ? .decimal(scale: s1 + s2) : .double
            case (.decimal(let s), _), (_, .decimal(let s)): return .decimal(scale: s)
            default: return .integer
            }
        }
    }
}

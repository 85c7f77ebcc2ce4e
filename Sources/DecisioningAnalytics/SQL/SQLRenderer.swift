public import DecisioningCore

/// Renders a plan to one SQL statement for a dialect: every value bound, every identifier quoted.
///
/// Consecutive nodes merge into one `SELECT … FROM … JOIN … WHERE … GROUP BY … HAVING … ORDER BY … LIMIT`
/// block where SQL allows; where it does not (a filter over a window, a join of an aggregate, …)
/// the block so far becomes a named CTE (`WITH s1 AS (…)`) and the next block reads from it.
///
/// On SQLite, `DECIMAL(p,s)` columns hold integer units of 10^-s, so the renderer rescales
/// decimals before comparing or adding them and divides by 10^s where a double is needed.
///
/// On MySQL and MariaDB (and HeatWave), text compares by its bytes as on SQLite and in the column
/// engine, whatever the tables' collation (`utf8mb4_bin` pads with spaces: 'a' = 'a ') and the
/// connection's (bound text would otherwise compare case-insensitively with bound text): see `text(_:)`.
/// A group key that is not a plain column is grouped by its expression and selected as the group's
/// `MIN` of it (all of the group's values are equal): ONLY_FULL_GROUP_BY cannot match an expression in
/// SELECT or HAVING with the GROUP BY one when their bound values have placeholders of their own, and
/// MariaDB refuses any expression over a grouped expression (`YEAR(d) + 1 … GROUP BY YEAR(d)`). (Computing
/// the keys in a CTE first trips MariaDB's condition pushdown on prepared statements instead.)
public struct SQLRenderer: Sendable {
    public let dialect: SQLDialect
    public let asOf: Day
    public let checker: TypeChecker
    /// What the dialect renders differently: one `SQLDialectRules` conformance per dialect.
    let rules: any SQLDialectRules

    public init(dialect: SQLDialect, asOf: Day, catalog: TableCatalog = .standard) {
        self.dialect = dialect
        self.rules = dialect.rules
        self.asOf = asOf
        self.checker = TypeChecker(catalog: catalog)
    }

    public func render(_ plan: Plan) throws(PlanError) -> RenderedQuery {
        let fields = try checker.fields(plan)
        var state = State()
        let block = try render(plan, &state)
        var statement = Fragment("")
        if !state.ctes.isEmpty {
            statement = "WITH " + Fragment.join(state.ctes.map { "\(rules.quote($0.name)) AS (\n" + indent($0.body) + "\n)" }, ",\n") + "\n"
        }
        statement = statement + select(block, outputs: fields.map(\.name), hint: true)
        return RenderedQuery(sql: number(statement.text), bindings: statement.bindings, fields: fields, dialect: dialect)
    }

    // MARK: - Blocks

    struct Scoped {
        var sql: Fragment
        var type: DataType?
        /// A column of a table or CTE, as it is (`t1.\`x\``), rather than an expression.
        var isColumn = false
        /// For a text column read as bytes (`text(_:)`), the column as it is: what an index serves, and
        /// equal whenever the bytes are equal.
        var column: Fragment?
    }

    struct Block {
        var from: Fragment
        var singleSource: Bool
        var scope: [String: Scoped]
        var wheres: [Fragment] = []
        var groupBy: [Fragment]?
        var havings: [Fragment] = []
        var orderBy: [Fragment] = []
        var limit: Fragment?
        var hasWindow = false
        /// Some output is computed (not a plain column): under a LEFT JOIN it must be computed before
        /// the join, or unmatched rows would get values where SQL semantics demand NULL.
        var hasComputed = false

        var isPlain: Bool { groupBy == nil && orderBy.isEmpty && limit == nil && !hasWindow }
    }

    struct State {
        var ctes: [(name: String, body: Fragment)] = []
        var aliases = 0
        mutating func alias() -> String {
            aliases += 1
            return "t\(aliases)"
        }
    }

    func render(_ plan: Plan, _ state: inout State) throws(PlanError) -> Block {
        switch plan {
        case .scan(let table, let columns):
            let alias = state.alias()
            let types = Dictionary(uniqueKeysWithValues: try checker.fields(plan).map { ($0.name, $0.type) })
            var scope: [String: Scoped] = [:]
            for c in columns {
                let column = Scoped(sql: Fragment("\(alias).\(rules.quote(c.source))"), type: types[c.name], isColumn: true)
                scope[c.name] = column.type == .text ? text(column) : column
            }
            return Block(from: Fragment("\(rules.quote(table)) AS \(alias)"), singleSource: true, scope: scope)

        case .filter(let input, let predicate):
            var block = try render(input, &state)
            if block.limit != nil || block.hasWindow { block = wrap(block, fields: try checker.fields(input), &state) }
            let condition = try expr(predicate, block.scope).sql
            if block.groupBy == nil { block.wheres.append(condition) } else { block.havings.append(condition) }
            return block

        case .join(let kind, let left, let right, let keys):
            var l = try render(left, &state)
            if !l.isPlain { l = wrap(l, fields: try checker.fields(left), &state) }
            var r = try render(right, &state)
            if !r.isPlain || !r.singleSource || (kind == .left && (!r.wheres.isEmpty || r.hasComputed)) {
                if kind == .left && rules.materializesComputedLeftJoinSide && r.hasComputed && r.groupBy == nil && r.limit == nil
                    && !r.hasWindow
                {
                    // MariaDB merges such a CTE into the joining query, and its window functions then see a
                    // constant column (`1 AS one`) on unmatched rows too, where it is NULL. A CTE with a LIMIT
                    // is materialised instead.
                    r.limit = .bound(.integer(Int64.max))
                }
                r = wrap(r, fields: try checker.fields(right), &state)
            }
            var conditions: [Fragment] = []
            for key in keys {
                let left = l.scope[key.left]!
                let right = r.scope[key.right]!
                if let a = left.column, let b = right.column {
                    // Text read as bytes: the columns' own equality first, for their indexes, then the bytes'.
                    conditions.append(a + " = " + b + " AND " + left.sql + " = " + right.sql)
                    continue
                }
                let (a, b) = try comparable(left, right)
                conditions.append(a + " = " + b)
            }
            var block = l
            block.from = l.from + "\n" + (kind == .left ? "LEFT JOIN " : "JOIN ") + r.from + " ON " + Fragment.join(conditions, " AND ")
            block.singleSource = false
            block.wheres += r.wheres
            block.scope.merge(r.scope) { a, _ in a }
            return block

        case .aggregate(let input, let groups, let measures):
            var block = try render(input, &state)
            if !block.isPlain { block = wrap(block, fields: try checker.fields(input), &state) }
            let inputFields = try checker.fields(input)
            var deviations: [Int: (x: Scoped, mean: Scoped)] = [:]
            if !rules.hasStddev, measures.contains(where: { $0.function == .stddevPop || $0.function == .stddevSamp }) {
                // SQLite has no STDDEV and its one-pass moments cancel catastrophically when the mean is large:
                // compute each group's mean first (a window over the same rows), then the squared deviations.
                let partition = try groups.map { g throws(PlanError) in try expr(g.expr, block.scope).sql }
                let over = partition.isEmpty ? Fragment("OVER ()") : "OVER (PARTITION BY " + Fragment.join(partition, ", ") + ")"
                var extra: [Field] = []
                for (i, m) in measures.enumerated() where m.function == .stddevPop || m.function == .stddevSamp {
                    let x = double(try expr(m.argument!, block.scope))
                    block.scope["__dx\(i)"] = x
                    block.scope["__dmean\(i)"] = Scoped(sql: "AVG(" + x.sql + ") " + over, type: .double)
                    extra += [Field("__dx\(i)", .double), Field("__dmean\(i)", .double)]
                }
                block = wrap(block, fields: inputFields + extra, &state)
                for i in measures.indices where block.scope["__dx\(i)"] != nil {
                    deviations[i] = (block.scope["__dx\(i)"]!, block.scope["__dmean\(i)"]!)
                }
            }
            var scope: [String: Scoped] = [:]
            var keys: [Fragment] = []
            let keyExprs = try groups.map { g throws(PlanError) in try expr(g.expr, block.scope) }
            func columnName(_ e: Scoped) -> Substring? { (e.isColumn ? e.sql : e.column)?.text.drop { $0 != "." } }
            let names = keyExprs.compactMap(columnName)
            for (g, e) in zip(groups, keyExprs) {
                scope[g.name] = e
                guard rules.guardsGroupKeys else {
                    keys.append(e.sql)
                    continue
                }
                // A constant in GROUP BY is a position (`GROUP BY TRUE` groups by the first column, `GROUP BY ?`
                // bound to 100 by the hundredth, and MariaDB folds `NOT TRUE` into the constant 0): a function of
                // it is a value. A key reads a column if its text names one (`t3.` then a quoted name).
                let constant = !Self.readsAColumn(e.sql.text)
                keys.append(constant ? "COALESCE(" + e.sql + ", NULL)" : e.sql)
                if let name = columnName(e), names.filter({ $0 == name }).count == 1 {
                    // Text read as bytes: grouping by the column too changes no group (equal bytes are equal
                    // columns) and lets ONLY_FULL_GROUP_BY accept expressions over the key.
                    if let raw = e.column { keys.append(raw) }
                } else {
                    // A key that is an expression, or a column whose name another key's column has (MariaDB then
                    // cannot resolve either in HAVING: error 1463), is selected as the MIN of its group's values,
                    // all equal (see the type's comment).
                    scope[g.name] = Scoped(sql: "MIN(" + e.sql + ")", type: e.type)
                }
            }
            for (i, m) in measures.enumerated() {
                let type = try checker.measureType(m, in: inputFields)
                if let d = deviations[i] {
                    let square = "((" + d.x.sql + " - " + d.mean.sql + ") * (" + d.x.sql + " - " + d.mean.sql + "))"
                    scope[m.name] = Scoped(
                        sql: m.function == .stddevPop
                            ? "sqrt(AVG(" + square + "))"
                            : "sqrt(SUM(" + square + ") / (COUNT(" + d.x.sql + ") - 1))", type: type)
                } else {
                    scope[m.name] = Scoped(sql: try measure(m, block.scope), type: type)
                }
            }
            block.scope = scope
            block.groupBy = keys
            block.hasComputed = true
            return block

        case .window(let input, let partitionBy, let orderBy, let lags):
            let inputFields = try checker.fields(input)
            var block = wrap(try render(input, &state), fields: inputFields, &state)
            var over = Fragment("")
            if !partitionBy.isEmpty {
                over = over + "PARTITION BY " + Fragment.join(partitionBy.map { block.scope[$0]!.sql }, ", ") + " "
            }
            over =
                over + "ORDER BY " + Fragment.join(orderBy.map { block.scope[$0.column]!.sql + ($0.descending ? " DESC" : " ASC") }, ", ")
            for lag in lags {
                let source = block.scope[lag.column]!
                block.scope[lag.name] = Scoped(sql: "LAG(" + source.sql + ", \(lag.offset)) OVER (" + over + ")", type: source.type)
            }
            block.hasWindow = true
            block.hasComputed = true
            return block

        case .project(let input, let columns):
            var block = try render(input, &state)
            // A global aggregate stays one row only while an aggregate function is selected: keep it in its own block.
            let globalAggregate = block.groupBy?.isEmpty == true
            if !block.orderBy.isEmpty || block.limit != nil || globalAggregate {
                block = wrap(block, fields: try checker.fields(input), &state)
            }
            var scope: [String: Scoped] = [:]
            for c in columns {
                scope[c.name] = try expr(c.expr, block.scope)
                if case .column = c.expr {} else { block.hasComputed = true }
            }
            block.scope = scope
            return block

        case .sort(let input, let keys):
            var block = try render(input, &state)
            if block.limit != nil { block = wrap(block, fields: try checker.fields(input), &state) }
            block.orderBy = keys.map { key in
                let direction = key.descending ? " DESC" : " ASC"
                // A text column is selected as it is (see `select`): order by its bytes, not by the output's name.
                if let e = block.scope[key.column], e.column != nil { return e.sql + direction }
                return Fragment(rules.quote(key.column) + direction)
            }
            return block

        case .limit(let input, let n):
            var block = try render(input, &state)
            if block.limit != nil { block = wrap(block, fields: try checker.fields(input), &state) }
            block.limit = .bound(.integer(Int64(n)))
            return block
        }
    }

    /// Whether SQL text of the MySQL family names a column: an alias (`t` and digits), a dot, a quoted name.
    /// Values are always bound, so no text literal can look like one.
    static func readsAColumn(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "t"),
                i == 0
                    || !(bytes[i - 1] == UInt8(ascii: "_")
                        || (bytes[i - 1] | 0x20) >= UInt8(ascii: "a") && (bytes[i - 1] | 0x20) <= UInt8(ascii: "z"))
            {
                var j = i + 1
                while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
                if j > i + 1, j + 1 < bytes.count, bytes[j] == UInt8(ascii: "."), bytes[j + 1] == UInt8(ascii: "`") { return true }
            }
            i += 1
        }
        return false
    }

    /// Turns a block into a CTE and starts a new block reading from it.
    func wrap(_ block: Block, fields: [Field], _ state: inout State) -> Block {
        let name = "s\(state.ctes.count + 1)"
        state.ctes.append((name, select(block, outputs: fields.map(\.name), hint: false)))
        let alias = state.alias()
        var scope: [String: Scoped] = [:]
        for f in fields {
            let column = Scoped(sql: Fragment("\(alias).\(rules.quote(f.name))"), type: f.type, isColumn: true)
            // A text column the CTE selected as it is is read as bytes again (see `select`).
            scope[f.name] = block.scope[f.name]?.column != nil ? text(column) : column
        }
        return Block(from: Fragment("\(rules.quote(name)) AS \(alias)"), singleSource: true, scope: scope)
    }

    /// A block as a `SELECT`; `hint`: with the dialect's optimizer hint, if it has one (the outermost `SELECT`).
    func select(_ block: Block, outputs: [String], hint: Bool) -> Fragment {
        // Text columns read as bytes are selected as they are: the same bytes, and a CTE column that
        // stays a column of its table for the joins and filters of the query it merges into.
        let columns = outputs.map { (block.scope[$0]!.column ?? block.scope[$0]!.sql) + " AS " + rules.quote($0) }
        let optimizerHint = hint ? rules.statementHint : nil
        var out = Fragment(optimizerHint.map { "SELECT " + $0 + "\n    " } ?? "SELECT\n    ")
        out = out + Fragment.join(columns, ",\n    ") + "\nFROM " + block.from
        if !block.wheres.isEmpty { out = out + "\nWHERE " + Fragment.join(block.wheres, "\n  AND ") }
        if let groups = block.groupBy, !groups.isEmpty { out = out + "\nGROUP BY " + Fragment.join(groups, ", ") }
        if !block.havings.isEmpty { out = out + "\nHAVING " + Fragment.join(block.havings, " AND ") }
        if !block.orderBy.isEmpty { out = out + "\nORDER BY " + Fragment.join(block.orderBy, ", ") }
        if let limit = block.limit { out = out + "\nLIMIT " + limit }
        return out
    }

    func indent(_ f: Fragment) -> Fragment {
        Fragment("    " + f.text.replacingOccurrences(of: "\n", with: "\n    "), f.bindings)
    }

    /// Numbers the placeholders: `?1, ?2, …` on SQLite (so the sqlite3 shell can bind them), `?` on MySQL.
    func number(_ text: String) -> String {
        var out = ""
        var n = 0
        for ch in text {
            if ch == Fragment.marker {
                n += 1
                out += rules.placeholder(n)
            } else {
                out.append(ch)
            }
        }
        return out
    }

    // MARK: - Expressions

    func measure(_ m: Measure, _ scope: [String: Scoped]) throws(PlanError) -> Fragment {
        guard let argument = m.argument else { return Fragment("COUNT(*)") }
        let e = try expr(argument, scope)
        switch m.function {
        case .count: return "COUNT(" + e.sql + ")"
        case .countDistinct, .approxCountDistinct: return "COUNT(DISTINCT " + e.sql + ")"
        case .sum: return "SUM(" + e.sql + ")"
        case .min: return "MIN(" + e.sql + ")"
        case .max: return "MAX(" + e.sql + ")"
        case .avg:
            return rules.average(e)
        case .stddevPop, .stddevSamp:
            return rules.stddev(m.function, of: double(e).sql)
        }
    }

    /// A column or bound value of text, made to compare by its bytes, without padding, on the MySQL family
    /// as it does on SQLite (BINARY collation) and in the column engine. MySQL and MariaDB: a binary string
    /// (`VARBINARY`), whatever the table's collation; HeatWave, whose RAPID engine does not take `VARBINARY`:
    /// `utf8mb4_0900_bin`, MySQL 8's byte-order collation without padding. Everything computed from such
    /// values (CASE, COALESCE, MIN, CTE columns) keeps their comparison.
    func text(_ e: Scoped) -> Scoped { rules.text(e) }

    /// A text column compared with text literals only, on the MySQL family: the column as it is, which its
    /// index can serve; the literals' bytes (`text(_:)`) keep the comparison bytewise. nil otherwise.
    func againstLiterals(_ subject: Scoped, _ others: [Expr]) -> Fragment? {
        guard let column = subject.column else { return nil }
        for other in others {
            guard case .literal(.text) = other else { return nil }
        }
        return column
    }

    /// The expression as a double.
    func double(_ e: Scoped) -> Scoped { rules.double(e) }

    /// The expression converted to `type` (a widening among numbers).
    func convert(_ e: Scoped, to type: DataType?) -> Scoped {
        guard let type, let from = e.type, from != type else { return e }
        switch type {
        case .double: return double(e)
        case .decimal(let s): return rules.widen(e, from: from, toDecimalScale: s)
        default:
            return Scoped(sql: e.sql, type: type)
        }
    }

    func comparable(_ a: Scoped, _ b: Scoped) throws(PlanError) -> (Fragment, Fragment) {
        guard let ta = a.type, let tb = b.type, ta != tb, ta.isNumeric, tb.isNumeric else { return (a.sql, b.sql) }
        let common = TypeChecker.widen(ta, tb)
        return (convert(a, to: common).sql, convert(b, to: common).sql)
    }

    func expr(_ e: Expr, _ scope: [String: Scoped]) throws(PlanError) -> Scoped {
        let fields = scope.map { Field($0.key, $0.value.type ?? .integer) }
        let type = try checker.type(e, in: fields)
        switch e {
        case .column(let name):
            return scope[name]!
        case .literal(let v):
            if case .null = v { return Scoped(sql: Fragment("NULL"), type: nil) }
            if case .boolean(let b) = v { return Scoped(sql: Fragment(b ? "TRUE" : "FALSE"), type: .boolean) }
            if type == .text { return text(Scoped(sql: .bound(v), type: .text)) }
            return Scoped(sql: .bound(v), type: type)
        case .decimalLiteral(let units, let scale):
            return rules.decimalLiteral(units: units, scale: scale, type: type)
        case .asOf(let months, let days):
            return Scoped(sql: .bound(.date(asOf.adding(months: months).adding(days: days))), type: .date)
        case .arithmetic(let op, let a, let b):
            let x = try expr(a, scope)
            let y = try expr(b, scope)
            if op == .divide {
                return Scoped(sql: "(" + double(x).sql + " / " + double(y).sql + ")", type: .double)
            }
            if type == .double || op != .multiply {
                return Scoped(sql: "(" + convert(x, to: type).sql + " \(op.rawValue) " + convert(y, to: type).sql + ")", type: type)
            }
            return Scoped(sql: "(" + x.sql + " * " + y.sql + ")", type: type)
        case .negate(let a):
            let x = try expr(a, scope)
            return Scoped(sql: "(-" + x.sql + ")", type: x.type)
        case .compare(let op, let a, let b):
            let ea = try expr(a, scope)
            let eb = try expr(b, scope)
            var (x, y) = try comparable(ea, eb)
            x = againstLiterals(ea, [b]) ?? x
            y = againstLiterals(eb, [a]) ?? y
            return Scoped(sql: "(" + x + " \(op.rawValue) " + y + ")", type: .boolean)
        case .and(let a, let b):
            return Scoped(sql: "(" + (try expr(a, scope)).sql + " AND " + (try expr(b, scope)).sql + ")", type: .boolean)
        case .or(let a, let b):
            return Scoped(sql: "(" + (try expr(a, scope)).sql + " OR " + (try expr(b, scope)).sql + ")", type: .boolean)
        case .not(let a):
            return Scoped(sql: "(NOT " + (try expr(a, scope)).sql + ")", type: .boolean)
        case .isNull(let a):
            return Scoped(sql: "(" + (try expr(a, scope)).sql + " IS NULL)", type: .boolean)
        case .inList(let a, let list):
            let subject = try expr(a, scope)
            let items = try list.map { item throws(PlanError) in try expr(item, scope) }
            let common = items.reduce(subject.type) { t, i in
                guard let t, let it = i.type, t.isNumeric, it.isNumeric else { return t ?? i.type }
                return TypeChecker.widen(t, it)
            }
            let x = againstLiterals(subject, list) ?? convert(subject, to: common).sql
            return Scoped(sql: "(" + x + " IN (" + Fragment.join(items.map { convert($0, to: common).sql }, ", ") + "))", type: .boolean)
        case .between(let a, let low, let high):
            let x = try expr(a, scope)
            let l = try expr(low, scope)
            let h = try expr(high, scope)
            var common = x.type
            for t in [l.type, h.type] { if let c = common, let t, c.isNumeric, t.isNumeric { common = TypeChecker.widen(c, t) } }
            let subject = againstLiterals(x, [low, high]) ?? convert(x, to: common).sql
            return Scoped(
                sql: "(" + subject + " BETWEEN " + convert(l, to: common).sql + " AND " + convert(h, to: common).sql + ")", type: .boolean)
        case .caseWhen(let clauses, let otherwise):
            var sql = Fragment("CASE")
            for c in clauses {
                sql = sql + " WHEN " + (try expr(c.condition, scope)).sql + " THEN " + convert(try expr(c.result, scope), to: type).sql
            }
            if let otherwise { sql = sql + " ELSE " + convert(try expr(otherwise, scope), to: type).sql }
            return Scoped(sql: sql + " END", type: type)
        case .coalesce(let list):
            let items = try list.map { item throws(PlanError) in convert(try expr(item, scope), to: type).sql }
            return Scoped(sql: "COALESCE(" + Fragment.join(items, ", ") + ")", type: type)
        case .year(let a):
            let x = try expr(a, scope)
            return Scoped(sql: rules.year(x.sql), type: .integer)
        case .monthStart(let a):
            let x = try expr(a, scope)
            return Scoped(sql: rules.monthStart(x.sql), type: .date)
        case .daysBetween(let a, let b):
            let x = try expr(a, scope)
            let y = try expr(b, scope)
            return Scoped(sql: rules.daysBetween(from: x.sql, to: y.sql), type: .integer)
        case .toDouble(let a):
            return double(try expr(a, scope))
        }
    }
}

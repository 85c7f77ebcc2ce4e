public import DecisioningCore

/// Runs plans over columnar tables. Identical sub-plans within one call are computed once.
public struct Executor: Sendable {
    public let tables: [String: ColumnTable]
    public let asOf: Day
    let checker: TypeChecker
    var evaluator: Evaluator { Evaluator(checker: checker, asOf: asOf) }

    public init(tables: [String: ColumnTable], asOf: Day, catalog: TableCatalog = .standard) {
        self.tables = tables
        self.asOf = asOf
        self.checker = TypeChecker(catalog: catalog)
    }

    public func run(_ plan: Plan) throws(PlanError) -> ColumnResult {
        try run([plan])[0]
    }

    public func run(_ plans: [Plan]) throws(PlanError) -> [ColumnResult] {
        var memo: [Plan: Relation] = [:]
        var results: [ColumnResult] = []
        for plan in plans {
            _ = try checker.fields(plan)
            let relation = try execute(plan, &memo)
            results.append(ColumnResult(fields: relation.fields, columns: relation.materialized(), rowCount: relation.count))
        }
        return results
    }

    func execute(_ plan: Plan, _ memo: inout [Plan: Relation]) throws(PlanError) -> Relation {
        if let done = memo[plan] { return done }
        let result = try compute(plan, &memo)
        memo[plan] = result
        return result
    }

    func compute(_ plan: Plan, _ memo: inout [Plan: Relation]) throws(PlanError) -> Relation {
        switch plan {
        case .scan(let name, let columns):
            guard let table = tables[name] else { throw PlanError("table \(name) is not loaded into the column engine") }
            var fields: [Field] = [], views: [ColumnView] = []
            for c in columns {
                guard let i = table.fields.firstIndex(where: { $0.name == c.source }) else {
                    throw PlanError("column \(name).\(c.source) is not loaded into the column engine")
                }
                fields.append(Field(c.name, table.fields[i].type))
                views.append(ColumnView(base: table.columns[i], index: nil))
            }
            return Relation(fields: fields, views: views, count: table.rowCount)

        case .filter(let input, let predicate):
            let relation = try execute(input, &memo)
            return relation.select(try evaluator.select(predicate, relation))

        case .join(let kind, let left, let right, let keys):
            let l = try execute(left, &memo), r = try execute(right, &memo)
            let lk = keys.map { l.view($0.left).materialize() }, rk = keys.map { r.view($0.right).materialize() }
            let (li, ri) = HashJoin.match(kind, left: lk, right: rk, leftCount: l.count, rightCount: r.count)
            let ls = l.select(li), rs = r.select(ri)
            return Relation(fields: l.fields + r.fields, views: ls.views + rs.views, count: li.count)

        case .aggregate(let input, let groups, let measures):
            let relation = try execute(input, &memo)
            let keyColumns = try groups.map { g throws(PlanError) in try evaluator.column(g.expr, relation) }
            let index = relation.count == 0 && !groups.isEmpty
                ? GroupIndex(ids: [], firstRows: [])
                : GroupIndex.build(keyColumns, count: relation.count)
            var fields: [Field] = [], columns: [Column] = []
            for (g, column) in zip(groups, keyColumns) {
                fields.append(Field(g.name, column.type))
                columns.append(relation.count == 0 ? column : column.gather(index.firstRows))
            }
            for m in measures {
                let type = try checker.measureType(m, in: relation.fields)
                let argument = try m.argument.map { a throws(PlanError) in try evaluator.column(a, relation) }
                fields.append(Field(m.name, type))
                var column = Accumulate.run(m, argument: argument, groups: index, resultType: type)
                column.type = type
                columns.append(column)
            }
            return Relation(fields: fields, columns: columns, count: index.groupCount)

        case .window(let input, let partitionBy, let orderBy, let lags):
            let relation = try execute(input, &memo)
            let partition = partitionBy.map { relation.view($0).materialize() }
            let keys = orderBy.map { (relation.view($0.column).materialize(), $0.descending) }
            let order = Sorting.permutation(partition.map { ($0, false) } + keys, count: relation.count)
            var fields = relation.fields, views = relation.views
            for lag in lags {
                let source = relation.view(lag.column).materialize()
                var rows = [Int32](repeating: -1, count: relation.count)
                for k in 0..<order.count where k >= lag.offset {
                    let row = Int(order[k]), previous = Int(order[k - lag.offset])
                    if partition.allSatisfy({ Sorting.compare($0, row, previous) == 0 }) { rows[row] = Int32(previous) }
                }
                fields.append(Field(lag.name, source.type))
                views.append(ColumnView(base: source.gather(rows), index: nil))
            }
            return Relation(fields: fields, views: views, count: relation.count)

        case .project(let input, let columns):
            let relation = try execute(input, &memo)
            var fields: [Field] = [], views: [ColumnView] = []
            for c in columns {
                if case .column(let name) = c.expr {
                    let i = relation.fields.firstIndex { $0.name == name }!
                    fields.append(Field(c.name, relation.fields[i].type))
                    views.append(relation.views[i])
                } else {
                    let column = try evaluator.column(c.expr, relation)
                    fields.append(Field(c.name, try checker.type(c.expr, in: relation.fields) ?? column.type))
                    views.append(ColumnView(base: column, index: nil))
                }
            }
            return Relation(fields: fields, views: views, count: relation.count)

        case .sort(let input, let keys):
            let relation = try execute(input, &memo)
            let columns = keys.map { (relation.view($0.column).materialize(), $0.descending) }
            return relation.select(Sorting.permutation(columns, count: relation.count))

        case .limit(let input, let n):
            let relation = try execute(input, &memo)
            guard n < relation.count else { return relation }
            return relation.select((0..<n).map { Int32($0) })
        }
    }
}

/// Orders rows by key columns: NULLs first ascending and last descending (as SQLite and MySQL do),
/// ties kept in input order so that every engine-side ordering is deterministic.
enum Sorting {
    static func compare(_ c: Column, _ a: Int, _ b: Int) -> Int {
        let va = c.isValid(a), vb = c.isValid(b)
        switch c.storage {
        case .ints(let v):
            if !va || !vb { return va == vb ? 0 : (va ? 1 : -1) }
            return v[a] < v[b] ? -1 : v[a] == v[b] ? 0 : 1
        case .doubles(let v):
            if !va || !vb { return va == vb ? 0 : (va ? 1 : -1) }
            return v[a] < v[b] ? -1 : v[a] == v[b] ? 0 : 1
        case .strings(let codes, let d):
            let pa = va && codes[a] >= 0, pb = vb && codes[b] >= 0
            if !pa || !pb { return pa == pb ? 0 : (pa ? 1 : -1) }
            let ra = d.ranks[Int(codes[a])], rb = d.ranks[Int(codes[b])]
            return ra < rb ? -1 : ra == rb ? 0 : 1
        }
    }

    static func permutation(_ keys: [(Column, Bool)], count: Int) -> [Int32] {
        var rows = (0..<count).map { Int32($0) }
        rows.sort { x, y in
            for (column, descending) in keys {
                let order = compare(column, Int(x), Int(y))
                if order != 0 { return descending ? order > 0 : order < 0 }
            }
            return x < y
        }
        return rows
    }
}

/// What the column engine returns: typed columns, readable row by row as `Value`s.
public struct ColumnResult: Sendable {
    public var fields: [Field]
    public var columns: [Column]
    public var rowCount: Int

    public func value(row: Int, column: Int) -> Value {
        let c = columns[column]
        switch c.value(row) {
        case .null: return .null
        case .double(let d): return .double(d)
        case .text(let s): return .text(s)
        case .int(let v):
            switch fields[column].type {
            case .integer: return .integer(v)
            case .decimal: return .decimal(v)
            case .date: return .date(Day(number: Int32(truncatingIfNeeded: v)))
            case .timestamp: return .timestamp(Timestamp(seconds: v))
            case .boolean: return .boolean(v != 0)
            case .double: return .double(Double(v))
            case .text: return .text(String(v))
            }
        }
    }

    public var rows: [[Value]] {
        (0..<rowCount).map { r in (0..<fields.count).map { value(row: r, column: $0) } }
    }
}

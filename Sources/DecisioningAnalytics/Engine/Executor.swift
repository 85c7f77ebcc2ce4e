public import DecisioningCore
import Foundation
public import Logging

/// Runs plans over columnar tables. Identical sub-plans within one call are computed once.
public struct Executor: Sendable {
    public let tables: [String: ColumnTable]
    public let asOf: Day
    /// Each node's time and rows, at trace level.
    public let logger: Logger?
    let checker: TypeChecker
    /// Large GROUP BYs in parallel chunks (`ChunkedAggregate`); off only to compare with the whole-input path.
    var chunkedAggregates = true
    var evaluator: Evaluator { Evaluator(checker: checker, asOf: asOf) }

    public init(tables: [String: ColumnTable], asOf: Day, catalog: TableCatalog = .standard, logger: Logger? = nil) {
        self.tables = tables
        self.asOf = asOf
        self.checker = TypeChecker(catalog: catalog)
        self.logger = logger.flatMap { $0.logLevel <= .trace ? $0 : nil }
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
        let start = ContinuousClock.now
        let result = try compute(plan, &memo)
        logger?.trace(
            "engine node",
            metadata: [
                "node": "\(plan.kind)", "ms": "\(String(format: "%.2f", (ContinuousClock.now - start).milliseconds))",
                "rows": "\(result.count)",
            ])
        memo[plan] = result
        return result
    }

    /// `SUM(CASE WHEN c THEN x ELSE 0 END)` and `AGG(CASE WHEN c THEN x END)`: aggregates `x` over
    /// the rows selected by `c` only, instead of building the CASE column for every row.
    func conditionalMeasure(_ m: Measure, _ relation: Relation, _ index: GroupIndex, _ type: DataType) throws(PlanError) -> Column? {
        guard case .caseWhen(let clauses, let otherwise)? = m.argument, clauses.count == 1, m.function != .countDistinct,
            m.function != .approxCountDistinct
        else { return nil }
        let elseZero: Bool
        switch otherwise {
        case nil, .literal(.null)?: elseZero = false
        case .literal(.integer(0))?, .decimalLiteral(0, _)?, .literal(.double(0))?: elseZero = true
        default: return nil
        }
        guard !elseZero || m.function == .sum else { return nil }
        let value = clauses[0].result
        guard let caseType = try checker.type(m.argument!, in: relation.fields), try checker.type(value, in: relation.fields) == caseType
        else { return nil }
        let rows = try evaluator.select(clauses[0].condition, relation, candidates: nil)
        let narrowed = relation.select(rows)
        let argument = try evaluator.column(value, narrowed)
        let ids = rows.map { index.ids[Int($0)] }
        var column = try Accumulate.run(m, argument: argument, groups: GroupIndex(ids: ids, firstRows: index.firstRows), resultType: type)
        if elseZero && relation.count > 0, let valid = column.valid {
            // A group with a row that took the ELSE branch sums at least one zero: 0, not NULL. A group
            // whose rows all matched with NULL values stays NULL, as in SQL.
            var matched = [Bool](repeating: false, count: relation.count)
            for r in rows { matched[Int(r)] = true }
            var tookElse = [Bool](repeating: false, count: valid.count)
            for r in 0..<relation.count where !matched[r] { tookElse[Int(index.ids[r])] = true }
            var stillNull = valid
            for g in 0..<valid.count where !valid[g] && tookElse[g] { stillNull[g] = true }
            if case .ints(let values) = column.storage {
                var v = values.elements
                for g in 0..<v.count where !valid[g] && tookElse[g] { v[g] = 0 }
                column.storage = .ints(ColumnValues(v))
            } else if case .doubles(let values) = column.storage {
                var v = values.elements
                for g in 0..<v.count where !valid[g] && tookElse[g] { v[g] = 0 }
                column.storage = .doubles(ColumnValues(v))
            }
            column.valid = stillNull.contains(false) ? stillNull : nil
        }
        return column
    }

    func compute(_ plan: Plan, _ memo: inout [Plan: Relation]) throws(PlanError) -> Relation {
        switch plan {
        case .scan(let name, let columns):
            guard let table = tables[name] else { throw PlanError("table \(name) is not loaded into the column engine") }
            var fields: [Field] = []
            var views: [ColumnView] = []
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
            return relation.select(try evaluator.select(predicate, relation, candidates: nil))

        case .join(let kind, let left, let right, let keys):
            let l = try execute(left, &memo)
            let r = try execute(right, &memo)
            let lk = keys.map { l.view($0.left).materialize() }
            let rk = keys.map { r.view($0.right).materialize() }
            let (li, ri) = HashJoin.match(kind, left: lk, right: rk, leftCount: l.count, rightCount: r.count)
            let ls = l.select(li)
            let rs = r.select(ri)
            return Relation(fields: l.fields + r.fields, views: ls.views + rs.views, count: li.count)

        case .aggregate(let input, let groups, let measures):
            let relation = try execute(input, &memo)
            if chunkedAggregates, let chunked = try ChunkedAggregate(executor: self).run(relation, groups: groups, measures: measures) {
                return chunked
            }
            let keyColumns = try groups.map { g throws(PlanError) in try evaluator.column(g.expr, relation) }
            let index =
                relation.count == 0 && !groups.isEmpty
                ? GroupIndex(ids: [], firstRows: [])
                : GroupIndex.build(keyColumns, count: relation.count)
            var fields: [Field] = []
            var columns: [Column] = []
            for (g, column) in zip(groups, keyColumns) {
                fields.append(Field(g.name, column.type))
                columns.append(relation.count == 0 ? column : column.gather(index.firstRows))
            }
            for m in measures {
                let type = try checker.measureType(m, in: relation.fields)
                fields.append(Field(m.name, type))
                if var column = try conditionalMeasure(m, relation, index, type) {
                    column.type = type
                    columns.append(column)
                    continue
                }
                let argument = try m.argument.map { a throws(PlanError) in try evaluator.column(a, relation) }
                var column = try Accumulate.run(m, argument: argument, groups: index, resultType: type)
                column.type = type
                columns.append(column)
            }
            return Relation(fields: fields, columns: columns, count: index.groupCount)

        case .window(let input, let partitionBy, let orderBy, let lags):
            let relation = try execute(input, &memo)
            let partition = partitionBy.map { relation.view($0).materialize() }
            let keys = orderBy.map { (relation.view($0.column).materialize(), $0.descending) }
            let order = Sorting.permutation(partition.map { ($0, false) } + keys, count: relation.count)
            let partitionKeys = partition.map { Sorting.Key($0, descending: false) }
            var fields = relation.fields
            var views = relation.views
            for lag in lags {
                let source = relation.view(lag.column).materialize()
                var rows = [Int32](repeating: -1, count: relation.count)
                for k in 0..<order.count where k >= lag.offset {
                    let row = Int(order[k])
                    let previous = Int(order[k - lag.offset])
                    if partitionKeys.allSatisfy({ $0.order(row, previous) == 0 }) { rows[row] = Int32(previous) }
                }
                fields.append(Field(lag.name, source.type))
                views.append(ColumnView(base: source.gather(rows), index: nil))
            }
            return Relation(fields: fields, views: views, count: relation.count)

        case .project(let input, let columns):
            let relation = try execute(input, &memo)
            var fields: [Field] = []
            var views: [ColumnView] = []
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

        case .limit(.sort(let input, let keys), let n) where n <= 10_000:
            // Top-k: a bounded heap instead of sorting every row.
            let relation = try execute(input, &memo)
            let columns = keys.map { (relation.view($0.column).materialize(), $0.descending) }
            return relation.select(Sorting.top(n, columns, count: relation.count))

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
    /// A key column as comparisons read it: integers (text as its codes' ranks in binary order, so
    /// each dictionary's ranks are read once) or doubles, plain arrays whatever the column's storage.
    struct Key {
        var ints: [Int64] = []
        var doubles: [Double] = []
        var isDouble = false
        /// nil when every row is present; text rows with code -1 are NULL too.
        var valid: [Bool]?
        var descending: Bool

        init(_ column: Column, descending: Bool) {
            self.descending = descending
            valid = column.valid
            switch column.storage {
            case .ints(let v): ints = v.elements
            case .doubles(let v):
                doubles = v.elements
                isDouble = true
            case .strings(let codes, let dictionary):
                let ranks = dictionary.ranks
                ints = codes.map { $0 >= 0 ? Int64(ranks[Int($0)]) : 0 }
                if codes.contains(where: { $0 < 0 }) {
                    let present = column.valid
                    valid = codes.mapRows { row, code in code >= 0 && (present?[row] ?? true) }
                }
            }
        }

        /// -1, 0 or 1 as row `a` sorts before, with or after row `b` ascending (NULL first).
        @inline(__always) func order(_ a: Int, _ b: Int) -> Int {
            let va = valid?[a] ?? true
            let vb = valid?[b] ?? true
            if !va || !vb { return va == vb ? 0 : (va ? 1 : -1) }
            if isDouble { return doubles[a] < doubles[b] ? -1 : doubles[a] == doubles[b] ? 0 : 1 }
            return ints[a] < ints[b] ? -1 : ints[a] == ints[b] ? 0 : 1
        }
    }

    /// Whether row `x` sorts before row `y` by `keys`, ties broken by row order.
    @inline(__always) static func before(_ keys: [Key], _ x: Int32, _ y: Int32) -> Bool {
        for key in keys {
            let order = key.order(Int(x), Int(y))
            if order != 0 { return key.descending ? order > 0 : order < 0 }
        }
        return x < y
    }

    static func top(_ k: Int, _ columns: [(Column, Bool)], count: Int) -> [Int32] {
        guard k > 0 else { return [] }
        let keys = columns.map { Key($0, descending: $1) }
        func before(_ x: Int32, _ y: Int32) -> Bool { Sorting.before(keys, x, y) }
        // A max-heap of the best k so far: its root is the worst of them.
        var heap: [Int32] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var worst = i
                if l < heap.count && before(heap[worst], heap[l]) { worst = l }
                if r < heap.count && before(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for row in 0..<Int32(count) {
            if heap.count < k {
                heap.append(row)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard before(heap[parent], heap[i]) else { break }
                    heap.swapAt(parent, i)
                    i = parent
                }
            } else if before(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }

    static func permutation(_ columns: [(Column, Bool)], count: Int) -> [Int32] {
        let keys = columns.map { Key($0, descending: $1) }
        var rows = (0..<count).map { Int32($0) }
        rows.sort { before(keys, $0, $1) }
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

extension Plan {
    var kind: String {
        switch self {
        case .scan: return "scan"
        case .filter: return "filter"
        case .join: return "join"
        case .aggregate: return "aggregate"
        case .window: return "window"
        case .project: return "project"
        case .sort: return "sort"
        case .limit: return "limit"
        }
    }
}

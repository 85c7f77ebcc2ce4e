import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// Random tables, random well-typed plans, every engine must agree. 20 datasets × 24 plans = 480 plans,
/// each reproducible from its dataset seed and plan index (`RandomPlanCase(dataset:plan:)`).
/// All 480 also run on MariaDB when the test server is there (SQL rendered for `.mysql`, the datasets'
/// tables loaded into one shared scratch database): about a second more in all, so no subset is needed.
/// `DECISIONING_DIFFTEST_DATASETS=500 swift test --filter RandomPlanDifferentialTests` soaks with more
/// (3,000 datasets, 72,000 plans, take about two minutes with MariaDB).
@Suite struct RandomPlanDifferentialTests {
    static let datasets: [UInt64] = Array(
        0..<UInt64(ProcessInfo.processInfo.environment["DECISIONING_DIFFTEST_DATASETS"].flatMap(Int.init) ?? 20))
    static let plansPerDataset = 24
    /// As-of dates the plans run at, in turn: the generator's as-of, mid-year, and a month end (shifts clamp).
    static let asOfs = ["2026-11-25", "2025-06-15", "2024-03-31"].map { Day(iso: $0)! }

    @Test(arguments: datasets)
    func randomPlansAgreeOnEveryEngine(dataset seed: UInt64) throws {
        let fixture = try RandomFixture(seed: seed)
        defer { TemporaryStore.remove(fixture.store) }
        var disagreements = 0
        var nonEmpty = 0
        for index in 0..<Self.plansPerDataset {
            let c = RandomPlanCase(dataset: seed, plan: index)
            let node = c.node(fixture.dataset)
            let messages = fixture.differential.disagreements(node.plan, asOf: c.asOf, label: c.label, tolerances: node.tolerances)
            if messages.isEmpty, let rows = try? fixture.warehouse.query(node.plan, asOf: c.asOf, on: .sql).rows, !rows.isEmpty {
                nonEmpty += 1
            }
            for m in messages {
                disagreements += 1
                // The first few per dataset are enough to debug; the count says how many more there were.
                if disagreements <= 3 { Issue.record(Comment(rawValue: m + "\n" + fixture.dataset.describeTables(node.plan))) }
            }
        }
        #expect(disagreements == 0, "dataset \(seed): \(disagreements) of \(Self.plansPerDataset) random plans disagree")
        // The comparisons mean something only if the plans find rows (when the dataset has some).
        if fixture.dataset.tables.filter({ $0.rows.count > 1 }).count >= 2 {
            #expect(nonEmpty >= 1, "dataset \(seed): no plan returned rows")
        }
    }

    /// The generator reaches every construct the brief lists (without running anything).
    @Test func theGeneratorCoversEveryConstruct() {
        var seen = Set<String>()
        var rejected = 0
        for seed in Self.datasets {
            let dataset = RandomDataset(seed: seed)
            for index in 0..<Self.plansPerDataset {
                var generator = RandomPlanGenerator(dataset: dataset, plan: UInt64(index))
                let node = generator.wellTypedPlan()
                rejected += generator.rejected
                PlanCoverage.collect(node.plan, TypeChecker(catalog: dataset.catalog), into: &seen)
            }
            for table in dataset.tables {
                seen.insert(table.rows.isEmpty ? "table: empty" : table.rows.count == 1 ? "table: one row" : "table: rows")
            }
        }
        let expected: Set<String> = [
            "scan", "filter", "join: inner", "join: left", "join: two keys", "join: mixed numeric keys",
            "aggregate: global", "aggregate: grouped", "aggregate: expression key", "having",
            "window", "window: partition", "window: offset 2", "project", "sort", "limit", "limit 0",
            "measure: count(*)", "measure: count", "measure: countDistinct", "measure: sum", "measure: avg",
            "measure: min", "measure: max", "measure: stddevPop", "measure: stddevSamp",
            "expr: compare", "expr: and", "expr: or", "expr: not", "expr: isNull", "expr: in", "expr: between",
            "expr: case", "expr: coalesce", "expr: +", "expr: -", "expr: *", "expr: /", "expr: negate", "expr: toDouble",
            "expr: year", "expr: monthStart", "expr: daysBetween", "expr: asOf months", "expr: asOf days",
            "expr: decimal literal", "expr: NULL", "expr: range", "measure: conditional", "compare: decimal-integer",
            "compare: decimal-double", "compare: text", "compare: date",
            "table: empty", "table: one row", "table: rows",
        ]
        #expect(expected.subtracting(seen).isEmpty, "never generated: \(expected.subtracting(seen).sorted())")
        #expect(rejected < Self.datasets.count * Self.plansPerDataset / 10, "the type checker refused \(rejected) generated plans")
    }
}

/// One random plan: its dataset seed and index, enough to regenerate it exactly.
struct RandomPlanCase {
    var dataset: UInt64
    var plan: Int

    var asOf: Day { RandomPlanDifferentialTests.asOfs[plan % RandomPlanDifferentialTests.asOfs.count] }
    var label: String { "random plan \(plan) of dataset \(dataset) (regenerate with RandomPlanCase(dataset: \(dataset), plan: \(plan)))" }

    func node(_ dataset: RandomDataset) -> GenNode {
        var generator = RandomPlanGenerator(dataset: dataset, plan: UInt64(plan))
        return generator.wellTypedPlan()
    }
}

/// A random dataset loaded into a temporary SQLite store, with a Warehouse over it, and into the
/// shared MariaDB scratch database when the test server is there.
struct RandomFixture {
    let dataset: RandomDataset
    let store: SQLiteStore
    let warehouse: Warehouse
    let differential: Differential

    init(seed: UInt64) throws {
        dataset = RandomDataset(seed: seed)
        store = try TemporaryStore.make("random-\(seed)")
        for table in dataset.tables { try TemporaryStore.load(table.schema, rows: table.rows, into: store) }
        warehouse = Warehouse(store: store, catalog: dataset.catalog)
        differential = Differential(
            engines: try warehouse.differentialEngines(loading: dataset.tables.map { ($0.schema, $0.rows) }),
            catalog: dataset.catalog)
    }
}

extension RandomDataset {
    /// The tables a plan scans, row by row, for failure messages.
    func describeTables(_ plan: Plan) -> String {
        var names = Set<String>()
        PlanCoverage.scans(plan, into: &names)
        return tables.filter { names.contains($0.schema.name) }.map { table in
            "table \(table.schema.name) (" + table.schema.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
                + "), \(table.rows.count) rows:\n"
                + table.rows.map { "  " + ValueMatch.show($0) }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

/// What a set of plans exercises, by name.
enum PlanCoverage {
    static func scans(_ plan: Plan, into names: inout Set<String>) {
        switch plan {
        case .scan(let table, _): names.insert(table)
        case .filter(let p, _), .aggregate(let p, _, _), .window(let p, _, _, _), .project(let p, _), .sort(let p, _), .limit(let p, _):
            scans(p, into: &names)
        case .join(_, let l, let r, _):
            scans(l, into: &names)
            scans(r, into: &names)
        }
    }

    static func collect(_ plan: Plan, _ checker: TypeChecker, into seen: inout Set<String>) {
        func fields(_ p: Plan) -> [Field] { (try? checker.fields(p)) ?? [] }
        switch plan {
        case .scan: seen.insert("scan")
        case .filter(let p, let e):
            if case .aggregate = p { seen.insert("having") } else { seen.insert("filter") }
            collect(e, fields(p), checker, into: &seen)
            collect(p, checker, into: &seen)
        case .join(let kind, let l, let r, let keys):
            seen.insert("join: \(kind.rawValue)")
            if keys.count > 1 { seen.insert("join: two keys") }
            let lf = fields(l)
            let rf = fields(r)
            for k in keys {
                let lt = lf.first { $0.name == k.left }?.type
                let rt = rf.first { $0.name == k.right }?.type
                if let lt, let rt, lt != rt { seen.insert("join: mixed numeric keys") }
            }
            collect(l, checker, into: &seen)
            collect(r, checker, into: &seen)
        case .aggregate(let p, let groups, let measures):
            seen.insert(groups.isEmpty ? "aggregate: global" : "aggregate: grouped")
            for g in groups {
                if case .column = g.expr {} else { seen.insert("aggregate: expression key") }
                collect(g.expr, fields(p), checker, into: &seen)
            }
            for m in measures {
                seen.insert(m.argument == nil ? "measure: count(*)" : "measure: \(m.function.rawValue)")
                if case .caseWhen(let clauses, _)? = m.argument, clauses.count == 1 { seen.insert("measure: conditional") }
                if let a = m.argument { collect(a, fields(p), checker, into: &seen) }
            }
            collect(p, checker, into: &seen)
        case .window(let p, let partition, _, let lags):
            seen.insert("window")
            if !partition.isEmpty { seen.insert("window: partition") }
            if lags.contains(where: { $0.offset > 1 }) { seen.insert("window: offset 2") }
            collect(p, checker, into: &seen)
        case .project(let p, let columns):
            seen.insert("project")
            for c in columns { collect(c.expr, fields(p), checker, into: &seen) }
            collect(p, checker, into: &seen)
        case .sort(let p, _):
            seen.insert("sort")
            collect(p, checker, into: &seen)
        case .limit(let p, let n):
            seen.insert(n == 0 ? "limit 0" : "limit")
            collect(p, checker, into: &seen)
        }
    }

    static func collect(_ e: Expr, _ fields: [Field], _ checker: TypeChecker, into seen: inout Set<String>) {
        func all(_ list: [Expr]) { for x in list { collect(x, fields, checker, into: &seen) } }
        func type(_ x: Expr) -> DataType? { (try? checker.type(x, in: fields)) ?? nil }
        switch e {
        case .column: break
        case .literal(let v): if case .null = v { seen.insert("expr: NULL") }
        case .decimalLiteral: seen.insert("expr: decimal literal")
        case .asOf(let months, let days):
            if months != 0 { seen.insert("expr: asOf months") }
            if days != 0 { seen.insert("expr: asOf days") }
        case .arithmetic(let op, let a, let b):
            seen.insert("expr: \(op.rawValue)")
            all([a, b])
        case .negate(let a):
            seen.insert("expr: negate")
            all([a])
        case .compare(_, let a, let b):
            seen.insert("expr: compare")
            switch (type(a), type(b)) {
            case (.decimal?, .integer?), (.integer?, .decimal?): seen.insert("compare: decimal-integer")
            case (.decimal?, .double?), (.double?, .decimal?): seen.insert("compare: decimal-double")
            case (.text?, .text?): seen.insert("compare: text")
            case (.date?, .date?): seen.insert("compare: date")
            default: break
            }
            all([a, b])
        case .and(let a, let b):
            seen.insert("expr: and")
            if case .compare(_, .column(let x), _) = a, case .compare(_, .column(let y), _) = b, x == y { seen.insert("expr: range") }
            all([a, b])
        case .or(let a, let b):
            seen.insert("expr: or")
            all([a, b])
        case .not(let a):
            seen.insert("expr: not")
            all([a])
        case .isNull(let a):
            seen.insert("expr: isNull")
            all([a])
        case .inList(let a, let list):
            seen.insert("expr: in")
            all([a] + list)
        case .between(let a, let l, let h):
            seen.insert("expr: between")
            all([a, l, h])
        case .caseWhen(let clauses, let otherwise):
            seen.insert("expr: case")
            all(clauses.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? []))
        case .coalesce(let list):
            seen.insert("expr: coalesce")
            all(list)
        case .year(let a):
            seen.insert("expr: year")
            all([a])
        case .monthStart(let a):
            seen.insert("expr: monthStart")
            all([a])
        case .daysBetween(let a, let b):
            seen.insert("expr: daysBetween")
            all([a, b])
        case .toDouble(let a):
            seen.insert("expr: toDouble")
            all([a])
        }
    }
}

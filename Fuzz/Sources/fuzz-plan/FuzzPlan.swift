// The plan type checker: plans decoded from fuzz bytes over the standard catalog (and a small table of
// every plan type), type-checked with `TypeChecker.fields`, then rendered to SQL in every dialect.
//
// The decoder asks the checker for the fields of each input it built, so that column names usually
// resolve and deep plans type-check; it also names unknown columns, mixes types, repeats names and uses
// empty lists, so the checker's refusals are exercised too.
//
// Properties: type checking returns fields or throws PlanError (no trap) and is deterministic; field
// names of a checked plan are unique; `type(_:in:)` of every expression in a checked projection agrees
// with the field; a plan that type-checks renders in every dialect (or throws PlanError), and the
// rendered query's fields are the checker's fields.
import DecisioningAnalytics
import DecisioningCore
import FuzzSupport

let extraTable = TableSchema(
    name: "fuzz_types",
    columns: [
        ColumnSchema("id", .integer, nullable: false),
        ColumnSchema("amount", .money),
        ColumnSchema("rate", .decimal(precision: 9, scale: 6)),
        ColumnSchema("ratio", .double),
        ColumnSchema("label", .text(maxLength: 20)),
        ColumnSchema("day", .date),
        ColumnSchema("at", .timestamp),
        ColumnSchema("flag", .boolean),
        ColumnSchema("doc", .json),
        ColumnSchema("vec", .vector(dimensions: 4)),
    ],
    primaryKey: ["id"])

let catalog = TableCatalog(Catalog.all + [extraTable])
let checker = TypeChecker(catalog: catalog)
let tables = catalog.tables.keys.sorted()
let asOf = Day(year: 2026, month: 11, day: 30)!

struct PlanDecoder {
    var r: ByteReader
    var nodes = 0

    mutating func name(_ fields: [Field]) -> String {
        switch r.byte() % 10 {
        case 0: return r.pick(["x", "id", "n", "", "a b", "\"q\"", "`t`", "é", "project_id", "amount"])
        case 1: return "c\(r.index(4))"
        default: return fields.isEmpty ? "x" : r.pick(fields).name
        }
    }

    /// Fields of `plan` if it type-checks; none otherwise (names are then guessed).
    func fields(_ plan: Plan) -> [Field] { (try? checker.fields(plan)) ?? [] }

    mutating func plan(_ depth: Int) -> Plan {
        nodes += 1
        let op = depth <= 0 || nodes > 12 ? 0 : r.byte() % 9
        switch op {
        case 0, 8:
            let table = r.byte() % 8 == 0 ? "nope" : r.pick(tables)
            let columns = catalog.table(table)?.columnNames ?? ["x"]
            let count = r.index(5)
            var picked: [ScanColumn] = []
            for _ in 0..<count {
                let source = r.byte() % 16 == 0 ? "missing" : r.pick(columns)
                picked.append(ScanColumn(source, as: r.byte() % 3 == 0 ? "\(source)_\(r.index(4))" : nil))
            }
            if count > 0 && r.byte() % 4 == 0 { picked = columns.map { ScanColumn($0) } }
            return .scan(table: table, columns: picked)
        case 1:
            let input = plan(depth - 1)
            return .filter(input, expr(fields(input), 3))
        case 2:
            let left = plan(depth - 1)
            let right = plan(depth - 1)
            let l = fields(left)
            let rf = fields(right)
            let keys = (0..<r.index(3)).map { _ in JoinKey(name(l), name(rf)) }
            return .join(r.bool() ? .inner : .left, left, right, on: keys)
        case 3:
            let input = plan(depth - 1)
            let f = fields(input)
            let groups = (0..<r.index(3)).map { _ in NamedExpr(name(f) + (r.bool() ? "" : "_g"), expr(f, 1)) }
            let measures = (0..<r.index(4)).map { i in
                Measure("m\(i)", r.pick(Measure.Function.allCases), r.byte() % 5 == 0 ? nil : expr(f, 2))
            }
            return .aggregate(input, groupBy: groups, measures: measures)
        case 4:
            let input = plan(depth - 1)
            let f = fields(input)
            let partition = (0..<r.index(3)).map { _ in name(f) }
            let order = (0..<r.index(3)).map { _ in SortKey(name(f), descending: r.bool()) }
            let lags = (0..<r.index(3)).map { i in Lag("lag\(i)", of: name(f), offset: r.int(in: -1...3)) }
            return .window(input, partitionBy: partition, orderBy: order, lags: lags)
        case 5:
            let input = plan(depth - 1)
            let f = fields(input)
            return .project(input, (0..<r.index(5)).map { i in NamedExpr(r.byte() % 6 == 0 ? name(f) : "p\(i)", expr(f, 3)) })
        case 6:
            let input = plan(depth - 1)
            let f = fields(input)
            return .sort(input, (0..<r.index(4)).map { _ in SortKey(name(f), descending: r.bool()) })
        default:
            return .limit(plan(depth - 1), r.byte() % 4 == 0 ? Int(r.int64()) : r.int(in: -1...100))
        }
    }

    mutating func literal() -> Expr {
        switch r.byte() % 12 {
        case 0: return .null
        case 1: return .literal(.integer(r.byte() % 4 == 0 ? r.int64() : Int64(r.int(in: -10...10))))
        case 2: return .literal(.double(r.pick([0, -0.0, 1.5, -2.25, 1e308, .infinity, .nan, .leastNonzeroMagnitude])))
        case 3: return .literal(.text(r.string(maxLength: 8)))
        case 4: return .literal(.date(Day(number: Int32(r.int(in: -719_162...2_932_896)))))  // years 1 to 9999
        case 5: return .literal(.timestamp(Timestamp(seconds: Int64(r.int(in: -62_135_596_800...253_402_300_799)))))
        case 6: return .literal(.boolean(r.bool()))
        case 7: return .literal(r.bool() ? .decimal(r.int64()) : .json("{}"))
        case 8: return .literal(.vector([1, 2]))
        case 9: return .decimalLiteral(units: r.byte() % 4 == 0 ? r.int64() : Int64(r.int(in: -1000...1000)), scale: r.int(in: 0...18))
        case 10: return .asOf(months: r.int(in: -1200...1200), days: r.int(in: -100_000...100_000))
        default: return .asOf
        }
    }

    mutating func expr(_ fields: [Field], _ depth: Int) -> Expr {
        if depth <= 0 || r.isAtEnd { return r.bool() && !fields.isEmpty ? .column(name(fields)) : literal() }
        let d = depth - 1
        switch r.byte() % 22 {
        case 0, 1, 2: return .column(name(fields))
        case 3, 4: return literal()
        case 5: return .arithmetic(r.pick([.add, .subtract, .multiply, .divide]), expr(fields, d), expr(fields, d))
        case 6: return .negate(expr(fields, d))
        case 7:
            return .compare(r.pick([.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]), expr(fields, d), expr(fields, d))
        case 8: return .and(expr(fields, d), expr(fields, d))
        case 9: return .or(expr(fields, d), expr(fields, d))
        case 10: return .not(expr(fields, d))
        case 11: return .isNull(expr(fields, d))
        case 12: return .inList(expr(fields, d), (0..<r.index(4)).map { _ in expr(fields, d) })
        case 13: return .between(expr(fields, d), expr(fields, d), expr(fields, d))
        case 14:
            let clauses = (0..<r.index(3)).map { _ in WhenClause(condition: expr(fields, d), result: expr(fields, d)) }
            return .caseWhen(clauses, otherwise: r.bool() ? expr(fields, d) : nil)
        case 15: return .coalesce((0..<r.index(4)).map { _ in expr(fields, d) })
        case 16: return .year(expr(fields, d))
        case 17: return .monthStart(expr(fields, d))
        case 18: return .daysBetween(expr(fields, d), expr(fields, d))
        case 19: return .toDouble(expr(fields, d))
        default: return literal()
        }
    }
}

/// The process entry point: SwiftPM makes `main` an alias of `fuzz_plan_main` (see Package.swift).
@_cdecl("fuzz_plan_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var decoder = PlanDecoder(r: ByteReader(data, size))
    let plan = decoder.plan(4)
    let fields: [Field]
    do throws(PlanError) {
        fields = try checker.fields(plan)
    } catch {
        _ = error.description
        check((try? checker.fields(plan)) == nil, "type checking is not deterministic: a refused plan passed the second time")
        return 0
    }
    check((try? checker.fields(plan)) == fields, "type checking is not deterministic")
    check(!fields.isEmpty, "a checked plan without output columns")
    check(Set(fields.map(\.name)).count == fields.count, "a checked plan with repeated output names: \(fields.map(\.name))")
    if case .project(let input, let columns) = plan, let inputFields = try? checker.fields(input) {
        for (c, f) in zip(columns, fields) {
            check((try? checker.type(c.expr, in: inputFields)) == f.type, "projection \(c.name): type(_:in:) disagrees with fields()")
        }
    }
    for dialect in SQLDialect.allCases {
        do throws(PlanError) {
            let query = try SQLRenderer(dialect: dialect, asOf: asOf, catalog: catalog).render(plan)
            check(query.fields == fields, "\(dialect) rendering has fields \(query.fields), the checker \(fields)")
            check(!query.sql.isEmpty, "empty SQL")
            _ = query.pasteable
        } catch {
            _ = error.description
        }
    }
    return 0
}

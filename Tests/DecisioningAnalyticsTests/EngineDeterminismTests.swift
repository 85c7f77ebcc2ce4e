import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// A table large enough (250,000 rows, about four 64K-row chunks) for the column engine's parallel
/// kernels, with doubles of mixed magnitude whose sums depend on the order of addition.
final class BigTableFixture: Sendable {
    static let shared: BigTableFixture = {
        do {
            return try BigTableFixture()
        } catch {
            fatalError("cannot build the big table: \(error)")
        }
    }()

    static let rowCount = 250_000
    static let keys = (0..<40).map { "key-\($0 < 10 ? "0" : "")\($0)" }

    static let big = TableSchema(
        name: "big",
        columns: [
            ColumnSchema("id", .integer, nullable: false),
            ColumnSchema("g", .integer),
            ColumnSchema("k", .text(maxLength: 20)),
            ColumnSchema("x", .double),
            ColumnSchema("y", .money),
            ColumnSchema("d", .date),
        ],
        primaryKey: ["id"])

    static let dim = TableSchema(
        name: "dim",
        columns: [ColumnSchema("dim_k", .text(maxLength: 20), nullable: false), ColumnSchema("region", .text(maxLength: 20)), ColumnSchema("weight", .double)],
        primaryKey: ["dim_k"])

    let store: SQLiteStore
    let warehouse: Warehouse
    let catalog = TableCatalog([BigTableFixture.big, BigTableFixture.dim])
    /// SQL on SQLite, the column engine and, with the test server, MariaDB over the same rows.
    let engines: [any AnalyticsEngine]

    init() throws {
        store = try TemporaryStore.make("big")
        var rng = SeededRandom(seed: 42, stream: 7)
        let start = Day(iso: "2024-01-01")!
        var rows: [[Value]] = []
        rows.reserveCapacity(Self.rowCount)
        for id in 0..<Self.rowCount {
            // Mostly values near 1,000 with a spread of 100, some tiny and some huge: float sums depend on order.
            let x: Value
            switch rng.int(0...19) {
            case 0: x = .null
            case 1: x = .double(rng.normal(mean: 0, sd: 1e-3))
            case 2: x = .double(rng.normal(mean: 1e7, sd: 1e5))
            default: x = .double(rng.normal(mean: 1000, sd: 100))
            }
            rows.append([
                .integer(Int64(id)),
                rng.chance(0.05) ? .null : .integer(Int64(rng.int(0...12))),
                rng.chance(0.05) ? .null : .text(rng.pick(Self.keys)),
                x,
                rng.chance(0.05) ? .null : .decimal(Int64(rng.int(-100_000...10_000_000))),
                .date(start.adding(days: rng.int(0...1000))),
            ])
        }
        let dimRows: [[Value]] = Self.keys.enumerated().map { i, k in
            [.text(k), .text(["north", "south", "east"][i % 3]), .double(0.5 + Double(i) / 7)]
        }
        try TemporaryStore.load(Self.big, rows: rows, into: store)
        try TemporaryStore.load(Self.dim, rows: dimRows, into: store)
        warehouse = Warehouse(store: store, catalog: catalog)
        engines = try warehouse.differentialEngines(loading: [(Self.big, rows), (Self.dim, dimRows)])
    }

    static let measures: [Measure] = [
        .count("n"), .count("nx", col("x")), .countDistinct("keys", col("k")),
        .sum("sx", col("x")), .avg("ax", col("x")), .stddevPop("sdp", col("x")), .stddevSamp("sds", col("x")),
        .sum("sy", col("y")), .avg("ay", col("y")), .stddevSamp("sdy", col("y")),
        .min("minx", col("x")), .max("maxx", col("x")),
    ]

    /// Plans over the big table exercising the parallel kernels: filters, aggregates, a join, a window.
    static let plans: [(String, Plan)] = {
        let big = Plan.scan("big", ["id", "g", "k", "x", "y", "d"])
        return [
            ("global aggregate", big.aggregate(measures)),
            ("grouped by an integer", big.aggregate(by: ["g"], measures).sort(.asc("g"))),
            ("filtered, grouped by text",
             big.filter(col("x") > 900.5 && col("k").in("key-01", "key-07", "key-13", "key-22", "key-39") && col("d") >= .asOf(months: -20))
                .aggregate(by: ["k"], measures).sort(.asc("k"))),
            ("grouped by month", big.aggregate(by: [NamedExpr("month", col("d").monthStart)], [.sum("sx", col("x")), .stddevPop("sdp", col("x")), .count("n")])
                .sort(.asc("month"))),
            ("joined to a dimension",
             big.join(.scan("dim", ["dim_k", "region", "weight"]), on: "k", equals: "dim_k", kind: .left)
                .aggregate(by: ["region"], [.sum("weighted", col("x") * col("weight")), .stddevSamp("sdw", col("x") / col("weight")), .count("n")])
                .sort(.asc("region"))),
            ("ranges and text constants",
             big.filter(col("id") >= 1000 && col("id") < 200_000).filter(col("y") > .decimal("100.5") && col("y") <= 50_000)
                .filter(col("k").eq("key-05") || col("k") >= "key-30")
                .aggregate(by: ["k"], [.count("n"), .sum("sx", col("x")), .min("d0", col("d")), .max("d1", col("d"))]).sort(.asc("k"))),
            ("conditional aggregation",
             big.aggregate(by: ["g"], [
                .sum("s03", when(col("k").eq("key-03"), then: col("x"), else: 0.0)),
                .sum("sy", when(col("k").in("key-01", "key-02"), then: col("y"), else: .decimal("0.00"))),
                .avg("a", when(col("d") >= .asOf(months: -24), then: col("x"))),
                .count("c", when(col("x") > 1000, then: col("id"))),
             ]).sort(.asc("g"))),
            ("top 10 by x", big.filter(col("x").isNotNull).sort(.desc("x"), .asc("id")).limit(10)),
            ("window then aggregate",
             big.filter(col("g").eq(3)).lag([Lag("prev", of: "x")], partitionBy: ["k"], orderBy: [.asc("id")])
                .aggregate(by: ["k"], [.sum("moved", col("x") - col("prev")), .count("n")]).sort(.asc("k"))),
        ]
    }()
}

@Suite(.serialized) struct EngineDeterminismTests {
    var fixture: BigTableFixture { .shared }
    static let asOf = Day(iso: "2026-11-25")!

    static func bitIdentical(_ a: [[Value]], _ b: [[Value]]) -> Bool {
        guard a.count == b.count else { return false }
        for (ra, rb) in zip(a, b) {
            guard ra.count == rb.count else { return false }
            for (x, y) in zip(ra, rb) {
                if case .double(let p) = x, case .double(let q) = y {
                    if p.bitPattern != q.bitPattern { return false }
                } else if !ValueMatch.equal(x, y, .exact) {
                    return false
                }
            }
        }
        return true
    }

    @Test func theTableSpansSeveralParallelChunks() throws {
        let n = try fixture.warehouse.query(.scan("big", ["id"]).aggregate([.count("n")]), asOf: Self.asOf, on: .columnEngine).rows
        #expect(n == [[.integer(Int64(BigTableFixture.rowCount))]])
        #expect(BigTableFixture.rowCount > 3 * 65_536)
    }

    /// The same plan twice, and again while other queries compete for the threads: identical to the last bit.
    @Test(arguments: BigTableFixture.plans.map(\.0))
    func resultsAreBitIdenticalWhateverTheThreads(_ name: String) async throws {
        let plan = BigTableFixture.plans.first { $0.0 == name }!.1
        let warehouse = fixture.warehouse
        let first = try warehouse.query(plan, asOf: Self.asOf, on: .columnEngine).rows
        let second = try warehouse.query(plan, asOf: Self.asOf, on: .columnEngine).rows
        #expect(Self.bitIdentical(first, second), "\(name): two runs differ")
        // Under contention the chunks are spread differently over the threads.
        let contended = try await withThrowingTaskGroup(of: [[Value]].self) { group in
            for _ in 0..<4 {
                group.addTask { try warehouse.query(plan, asOf: Self.asOf, on: .columnEngine).rows }
            }
            var all: [[[Value]]] = []
            for try await rows in group { all.append(rows) }
            return all
        }
        for rows in contended { #expect(Self.bitIdentical(first, rows), "\(name): a run under contention differs") }
        // A single executor over the same tables, run directly: the same bits as through the Warehouse.
        let direct = try warehouse.executor(for: [plan], asOf: Self.asOf).run(plan).rows
        #expect(Self.bitIdentical(first, direct), "\(name): the executor run directly differs")
    }

    /// And the column engine (and MariaDB) agree with SQLite within the tolerance of floating sums.
    @Test(arguments: BigTableFixture.plans.map(\.0))
    func bigResultsAgreeWithSQL(_ name: String) {
        let plan = BigTableFixture.plans.first { $0.0 == name }!.1
        Differential(engines: fixture.engines, catalog: fixture.catalog)
            .check(plan, asOf: Self.asOf, label: "big table: \(name)")
    }
}

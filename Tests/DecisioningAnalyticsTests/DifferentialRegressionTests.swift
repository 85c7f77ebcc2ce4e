import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// Minimal reproductions of the disagreements the differential tests found, one test per bug (see
/// `KnownBugs`). Each fails while its bug stands; once fixed it passes and, while the bug's `KnownBugs`
/// flag is still set, asks for the flag to be turned off so that random plans cover the area again.
@Suite struct DifferentialRegressionTests {
    static let asOf = Day(iso: "2026-11-25")!

    /// Runs each plan on every engine; returns whether all agreed (issues are recorded for the others).
    @discardableResult
    static func check(_ fixture: MiniFixture, _ plans: [(String, Plan)], tolerances: [Tolerance] = [],
                      knownBug flag: Bool, _ flagName: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var agreed = true
        for (label, plan) in plans {
            agreed = fixture.differential.check(plan, asOf: asOf, label: label, tolerances: tolerances, sourceLocation: sourceLocation) && agreed
        }
        if agreed && flag {
            Issue.record("this bug is fixed: set KnownBugs.\(flagName) = false so that random plans cover it again", sourceLocation: sourceLocation)
        }
        return agreed
    }

    // MARK: Engine

    /// Text equality must be bytewise (SQLite's BINARY collation, MySQL's utf8mb4_bin): precomposed "é"
    /// (c3 a9) and decomposed "e\u{301}" (65 cc 81) are different values, although Swift's `String ==`
    /// (Unicode canonical equivalence) says they are equal.
    @Test func textIsComparedBytewiseNotByCanonicalEquivalence() throws {
        let fixture = try MiniFixture.words()
        let words = Plan.scan("words", ["id", "word"])
        Self.check(fixture, [
            ("word = precomposed literal", words.filter(col("word").eq("\u{E9}"))),
            ("word IN (precomposed literal)", words.filter(col("word").in("\u{E9}", "x"))),
            ("word BETWEEN precomposed AND precomposed", words.filter(col("word").between("\u{E9}", "\u{E9}"))),
            ("join across tables on text", words.join(.scan("decomposed", ["d_id", "d_word"]), on: "word", equals: "d_word")),
            ("group by COALESCE(word, '')", words.aggregate(by: [NamedExpr("w", coalesce(col("word"), ""))], [.count("n")])),
            ("COUNT(DISTINCT CASE … word …)", words.aggregate([.countDistinct("n", when(col("id") > 0, then: col("word")))])),
        ], knownBug: KnownBugs.textCanonicalEquivalence, "textCanonicalEquivalence")
    }

    /// The same, through the Warehouse's incremental append: appended text is re-coded into the loaded
    /// dictionary by a `[String: Int32]` lookup, which merges the two spellings into one code.
    @Test func appendedTextKeepsItsBytes() throws {
        let fixture = try MiniFixture.words()
        let plan = Plan.scan("words", ["word"]).aggregate(by: ["word"], [.count("n")])
        _ = try fixture.warehouse.query(plan, asOf: Self.asOf, on: .columnEngine)  // load
        try TemporaryStore.append([[.integer(10), .text("e\u{301}")], [.integer(11), .text("\u{E9}")]], to: MiniFixture.wordsSchema, in: fixture.store)
        Self.check(fixture, [("group by word after an append", plan)], knownBug: KnownBugs.textCanonicalEquivalence, "textCanonicalEquivalence")
    }

    /// `hi - lo` over the bit patterns of double keys overflows (a trap that kills the process) when the
    /// keys hold a negative double and a positive one of larger magnitude. Run in a child process.
    @Test func doubleKeysOfBothSignsDoNotCrashTheEngine() async {
        let result = await #expect(processExitsWith: .success, "a crash or a disagreement in the child process (its output has the details)") {
            let fixture = try MiniFixture.signed()
            let signed = Plan.scan("signed", ["id", "x"])
            let plans: [(String, Plan)] = [
                ("group by a double", signed.aggregate(by: ["x"], [.count("n")])),
                ("join on a double", signed.join(.scan("signed_too", ["y_id", "y"]), on: "x", equals: "y")),
                ("COUNT(DISTINCT double)", signed.aggregate([.countDistinct("n", col("x"))])),
            ]
            var failed = false
            for (label, plan) in plans {
                for m in fixture.differential.disagreements(plan, asOf: Day(iso: "2026-11-25")!, label: label) {
                    FileHandle.standardError.write(Data((m + "\n").utf8))
                    failed = true
                }
            }
            if failed { exit(1) }
        }
        if result != nil && KnownBugs.doubleKeyRangeOverflow {
            Issue.record("this bug is fixed: set KnownBugs.doubleKeyRangeOverflow = false so that random plans cover it again")
        }
    }

    /// SUM(CASE WHEN c THEN x ELSE 0 END) is taken over the rows matching `c`, and a group without a
    /// non-NULL sum is then set to 0 (the ELSE zeros): wrong when every row of the group matched `c` and
    /// `x` is NULL in all of them, where SQL sums only NULLs and answers NULL.
    @Test func conditionalSumsOfOnlyNullsAreNull() throws {
        let fixture = try MiniFixture([(MiniFixture.table("readings", [("id", .integer), ("g", .integer), ("x", .double), ("m", .money)]), [
            [.integer(1), .integer(1), .null, .null], [.integer(2), .integer(1), .null, .null],
            [.integer(3), .integer(2), .double(2.5), .decimal(250)], [.integer(4), .integer(2), .null, .null],
            [.integer(5), .integer(3), .double(1.0), .decimal(100)],
        ])])
        let readings = Plan.scan("readings", ["id", "g", "x", "m"])
        Self.check(fixture, [
            ("SUM(CASE … ELSE 0.0) of NULLs", readings.aggregate(by: ["g"], [.sum("s", when(col("id") > 0, then: col("x"), else: 0.0))]).sort(.asc("g"))),
            ("SUM(CASE … ELSE 0.00) of NULLs", readings.aggregate(by: ["g"], [.sum("s", when(col("g") < 3, then: col("m"), else: .decimal("0.00")))]).sort(.asc("g"))),
            ("global SUM(CASE … ELSE 0) of NULLs", readings.filter(col("g").eq(1)).aggregate([.sum("s", when(col("id") > 0, then: col("x"), else: 0.0))])),
        ], knownBug: KnownBugs.conditionalSumOfNulls, "conditionalSumOfNulls")
    }

    // MARK: Renderer

    /// A LEFT JOIN whose right side ends in a projection: SQL evaluates the projection after the join,
    /// so constants and COALESCE/CASE results appear on unmatched rows, which must be all NULL.
    @Test func leftJoinedProjectionsAreNullOnUnmatchedRows() throws {
        let fixture = try MiniFixture.ordersAndCustomers()
        let customers = Plan.scan("customers", [ScanColumn("id", as: "c_id"), ScanColumn("name")])
            .project([NamedExpr("c_id", col("c_id")), NamedExpr("known", true), NamedExpr("label", coalesce(col("name"), "?")), NamedExpr("one", 1)])
        Self.check(fixture, [
            ("left join of a projection", Plan.scan("orders", ["id", "customer"]).join(customers, on: "customer", equals: "c_id", kind: .left)),
        ], knownBug: KnownBugs.leftJoinRightSideExpressions, "leftJoinRightSideExpressions")
    }

    /// Comparisons and IN render without parentheses, so a comparison of comparisons re-associates.
    @Test func comparisonsOfComparisonsKeepTheirGrouping() throws {
        let fixture = try MiniFixture.pairs()
        let pairs = Plan.scan("pairs", ["id", "a", "b"])
        Self.check(fixture, [
            ("(a = 1) < (b = 1)", pairs.project([NamedExpr("id", col("id")), NamedExpr("p", .compare(.less, col("a").eq(1), col("b").eq(1)))])),
            ("(a > 0) > (b > 0)", pairs.project([NamedExpr("id", col("id")), NamedExpr("p", .compare(.greater, col("a") > 0, col("b") > 0))])),
            ("false = (a IN (1, 2))", pairs.filter(.compare(.equal, false, col("a").in(1, 2)))),
        ], knownBug: KnownBugs.comparisonOperandPrecedence, "comparisonOperandPrecedence")
    }

    /// An aggregate without group keys always yields one row, also when a projection keeps none of its measures.
    @Test func globalAggregatesYieldOneRowWhateverIsProjected() throws {
        let fixture = try MiniFixture.pairs()
        let counted = Plan.scan("pairs", ["id"]).aggregate([.count("n")])
        Self.check(fixture, [
            ("project a constant over a global aggregate", counted.project([NamedExpr("one", 1)])),
            ("filter after projecting the measures away", counted.project([NamedExpr("one", 1)]).filter(col("one").eq(1))),
        ], knownBug: KnownBugs.globalAggregateWithoutMeasures, "globalAggregateWithoutMeasures")
    }

    /// SQLite's sqrt(E[x²] − E[x]²) cancels catastrophically: money amounts around a million that differ by
    /// cents have a standard deviation of a cent, below the rounding error of E[x²] (~1e12).
    @Test func standardDeviationsStayAccurateWhenTheMeanIsLarge() throws {
        let fixture = try MiniFixture.amounts()
        let plan = Plan.scan("amounts", ["amount"]).aggregate([
            .stddevPop("pop", col("amount")), .stddevSamp("samp", col("amount")), .stddevPop("constant", .decimal("123.45")),
        ])
        let exact: [Value] = [.double((2.0 / 3.0).squareRoot() * 0.01), .double(0.01), .double(0)]
        for engine in fixture.warehouse.differentialEngines {
            let rows = try engine.run(plan, asOf: Self.asOf)
            #expect(rows.count == 1 && ValueMatch.rows(rows[0], exact, []),
                    "\(engine.name): \(rows.map(ValueMatch.show)), exact \(ValueMatch.show(exact))")
        }
        Self.check(fixture, [("standard deviations of large amounts", plan)], knownBug: KnownBugs.stddevCancellationOnSQLite, "stddevCancellationOnSQLite")
    }
}

/// A few hand-made tables in a temporary SQLite store, with a Warehouse and the engines over them.
/// The store's directory is deleted when the fixture goes.
final class MiniFixture {
    let store: SQLiteStore
    let catalog: TableCatalog
    let warehouse: Warehouse
    let differential: Differential

    init(_ tables: [(TableSchema, [[Value]])]) throws {
        store = try TemporaryStore.make("mini")
        for (schema, rows) in tables { try TemporaryStore.load(schema, rows: rows, into: store) }
        catalog = TableCatalog(tables.map(\.0))
        warehouse = Warehouse(store: store, catalog: catalog)
        differential = Differential(engines: warehouse.differentialEngines, catalog: catalog)
    }

    deinit { TemporaryStore.remove(store) }

    static func table(_ name: String, _ columns: [(String, ColumnType)]) -> TableSchema {
        TableSchema(name: name, columns: columns.enumerated().map { ColumnSchema($0.element.0, $0.element.1, nullable: $0.offset > 0) },
                    primaryKey: [columns[0].0])
    }

    static let wordsSchema = table("words", [("id", .integer), ("word", .text(maxLength: 20))])

    /// Precomposed and decomposed é, and a table holding only the decomposed one.
    static func words() throws -> MiniFixture {
        try MiniFixture([
            (wordsSchema, [[.integer(1), .text("\u{E9}")], [.integer(2), .text("e\u{301}")], [.integer(3), .text("b")], [.integer(4), .null]]),
            (table("decomposed", [("d_id", .integer), ("d_word", .text(maxLength: 20))]), [[.integer(1), .text("e\u{301}")]]),
        ])
    }

    /// Doubles of both signs in two tables.
    static func signed() throws -> MiniFixture {
        try MiniFixture([
            (table("signed", [("id", .integer), ("x", .double)]), [[.integer(1), .double(-0.5)], [.integer(2), .double(1.0)], [.integer(3), .double(1.0)]]),
            (table("signed_too", [("y_id", .integer), ("y", .double)]), [[.integer(1), .double(1.0)], [.integer(2), .double(-0.5)], [.integer(3), .double(2.5)]]),
        ])
    }

    static func ordersAndCustomers() throws -> MiniFixture {
        try MiniFixture([
            (table("orders", [("id", .integer), ("customer", .integer)]), [[.integer(1), .integer(1)], [.integer(2), .integer(2)], [.integer(3), .null]]),
            (table("customers", [("id", .integer), ("name", .text(maxLength: 20))]), [[.integer(1), .text("Ada")]]),
        ])
    }

    /// Every combination of a, b ∈ {-1, 0, 1, 2, 3, NULL}.
    static func pairs() throws -> MiniFixture {
        let values: [Value] = [.integer(-1), .integer(0), .integer(1), .integer(2), .integer(3), .null]
        var rows: [[Value]] = []
        for a in values { for b in values { rows.append([.integer(Int64(rows.count + 1)), a, b]) } }
        return try MiniFixture([(table("pairs", [("id", .integer), ("a", .integer), ("b", .integer)]), rows)])
    }

    /// 1,000,000.01, 1,000,000.02 and 1,000,000.03.
    static func amounts() throws -> MiniFixture {
        try MiniFixture([(table("amounts", [("id", .integer), ("amount", .money)]), (1...3).map { [.integer(Int64($0)), .decimal(100_000_000 + Int64($0))] })])
    }
}

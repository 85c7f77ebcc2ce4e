import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Testing

/// The Warehouse keeps its columnar copy fresh: rows appended after loading, upserts, deletes and
/// columns first needed later all show in the column engine's answers without a new Warehouse.
@Suite struct WarehouseFreshnessTests {
    static let asOf = Day(iso: "2026-11-25")!

    static let ledger = TableSchema(
        name: "ledger",
        columns: [
            ColumnSchema("id", .integer, nullable: false),
            ColumnSchema("account", .text(maxLength: 20)),
            ColumnSchema("amount", .money),
            ColumnSchema("rate", .double),
            ColumnSchema("day", .date),
        ],
        primaryKey: ["id"])

    static func row(_ id: Int64, _ account: String?, _ cents: Int64?, _ rate: Double?, _ day: String?) -> [Value] {
        [
            .integer(id), account.map { .text($0) } ?? .null, cents.map { .decimal($0) } ?? .null,
            rate.map { .double($0) } ?? .null, day.map { .date(Day(iso: $0)!) } ?? .null,
        ]
    }

    /// Per account: rows, total amount, total rate.
    static let perAccount = Plan.scan("ledger", ["account", "amount", "rate"])
        .aggregate(by: ["account"], [.count("n"), .sum("total", col("amount")), .sum("rates", col("rate"))])
        .sort(.asc("account"))

    static let latestDay = Plan.scan("ledger", ["account", "day"]).aggregate(by: ["account"], [.max("latest", col("day"))]).sort(
        .asc("account"))

    final class Fixture {
        let store: SQLiteStore
        let warehouse: Warehouse
        let differential: Differential

        init() throws {
            store = try TemporaryStore.make("fresh")
            try TemporaryStore.load(
                WarehouseFreshnessTests.ledger,
                rows: [
                    row(1, "alpha", 1000, 0.5, "2026-01-31"),
                    row(2, "beta", 250, 1.25, "2026-02-28"),
                    row(3, "alpha", -100, nil, nil),
                ], into: store)
            let catalog = TableCatalog([WarehouseFreshnessTests.ledger])
            warehouse = Warehouse(store: store, catalog: catalog)
            differential = Differential(engines: warehouse.differentialEngines, catalog: catalog)
        }

        deinit { TemporaryStore.remove(store) }

        func engineRows(_ plan: Plan) throws -> [[Value]] {
            try warehouse.query(plan, asOf: WarehouseFreshnessTests.asOf, on: .columnEngine).rows
        }

        func write(_ rows: [[Value]], _ policy: ConflictPolicy) throws {
            try TemporaryStore.append(rows, to: WarehouseFreshnessTests.ledger, in: store, onConflict: policy)
        }
    }

    @Test func appendedRowsShowWithoutANewWarehouse() throws {
        let f = try Fixture()
        #expect(
            try f.engineRows(Self.perAccount) == [
                [.text("alpha"), .integer(2), .decimal(900), .double(0.5)],
                [.text("beta"), .integer(1), .decimal(250), .double(1.25)],
            ])
        try f.write(
            [Self.row(4, "beta", 5, 2.0, "2026-03-01"), Self.row(5, "zeta", 1, nil, "2026-11-25"), Self.row(6, nil, 7, 0.25, nil)], .fail)
        #expect(
            try f.engineRows(Self.perAccount) == [
                [.null, .integer(1), .decimal(7), .double(0.25)],
                [.text("alpha"), .integer(2), .decimal(900), .double(0.5)],
                [.text("beta"), .integer(2), .decimal(255), .double(3.25)],
                [.text("zeta"), .integer(1), .decimal(1), .null],
            ])
        f.differential.check(Self.perAccount, asOf: Self.asOf, label: "after an append")
        // A column first needed after the append is loaded with every row.
        f.differential.check(Self.latestDay, asOf: Self.asOf, label: "a column loaded after the append")
        try f.write([Self.row(7, "zeta", 2, 1.0, "2026-12-01")], .fail)
        f.differential.check(Self.latestDay, asOf: Self.asOf, label: "after a second append")
        f.differential.check(Self.perAccount, asOf: Self.asOf, label: "after a second append")
        #expect(try f.engineRows(Self.latestDay).last == [.text("zeta"), .date(Day(iso: "2026-12-01")!)])
    }

    @Test func upsertsShowWithoutANewWarehouse() throws {
        let f = try Fixture()
        _ = try f.engineRows(Self.perAccount)
        // Replace row 1 (alpha → beta, new amount) and insert row 8 in the same batch.
        try f.write([Self.row(1, "beta", 4000, 0.75, "2026-04-30"), Self.row(8, "alpha", 3, 0.5, nil)], .replace)
        #expect(
            try f.engineRows(Self.perAccount) == [
                [.text("alpha"), .integer(2), .decimal(-97), .double(0.5)],
                [.text("beta"), .integer(2), .decimal(4250), .double(2.0)],
            ])
        f.differential.check(Self.perAccount, asOf: Self.asOf, label: "after an upsert")
        // Skipped duplicates change nothing; appends after an upsert still show.
        try f.write([Self.row(2, "gamma", 1, 1, nil)], .skip)
        try f.write([Self.row(9, "gamma", 1, nil, "2026-05-01")], .fail)
        #expect(try f.engineRows(Self.perAccount).map { $0[0] } == [.text("alpha"), .text("beta"), .text("gamma")])
        f.differential.check(Self.perAccount, asOf: Self.asOf, label: "after skip and append")
        f.differential.check(Self.latestDay, asOf: Self.asOf, label: "after skip and append")
    }

    @Test func deletesShowWithoutANewWarehouse() throws {
        let f = try Fixture()
        _ = try f.engineRows(Self.perAccount)
        try f.store.writeBatch { writer in try writer.execute("DELETE FROM \"ledger\" WHERE \"account\" = ?", arguments: [.text("beta")]) }
        #expect(try f.engineRows(Self.perAccount) == [[.text("alpha"), .integer(2), .decimal(900), .double(0.5)]])
        f.differential.check(Self.perAccount, asOf: Self.asOf, label: "after a delete")
    }
}

import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Synchronization
import Testing

/// The Warehouse reads tables from the Store without holding its lock: a slow load of one table
/// holds up no query on another, and loads of the same table racing each other install one answer.
@Suite struct WarehouseConcurrencyTests {
    static let asOf = Day(iso: "2026-11-25")!

    static func schema(_ name: String) -> TableSchema {
        TableSchema(
            name: name, columns: [ColumnSchema("id", .integer, nullable: false), ColumnSchema("amount", .money)],
            primaryKey: ["id"])
    }

    static func total(_ table: String) -> Plan {
        Plan.scan(table, ["amount"]).aggregate([.count("n"), .sum("total", col("amount"))])
    }

    /// SQLite whose columnar scans of `gated` wait until the test opens the gate.
    final class GatedStore: WrappedStore, Sendable {
        let base: SQLiteStore
        let gated: String
        let entered = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        /// Columnar scans of `gated` so far.
        let scans = Mutex(0)
        init(base: SQLiteStore, gated: String) {
            self.base = base
            self.gated = gated
        }
        func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?) throws(StoreError)
            -> ColumnarScan
        {
            if table.name == gated {
                scans.withLock { $0 += 1 }
                entered.signal()
                gate.wait()
            }
            return try base.scanColumnar(table, columns: columns, after: cursor, cancellation: cancellation)
        }
    }

    static func rows(_ ids: Range<Int64>) -> [[Value]] { ids.map { [.integer($0), .decimal($0 * 100)] } }

    @Test func aSlowLoadHoldsUpNoQueryOnAnotherTable() async throws {
        let base = try TemporaryStore.make("gated")
        defer { TemporaryStore.remove(base) }
        try TemporaryStore.load(Self.schema("slow"), rows: Self.rows(0..<10), into: base)
        try TemporaryStore.load(Self.schema("quick"), rows: Self.rows(0..<5), into: base)
        let store = GatedStore(base: base, gated: "slow")
        let warehouse = Warehouse(store: store, catalog: TableCatalog([Self.schema("slow"), Self.schema("quick")]))
        let pool = BlockingPool(name: "test.warehouse", capacity: 2)

        let slow = Task { try await pool.run("slow") { _ in try warehouse.query(Self.total("slow"), asOf: Self.asOf).rows } }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                store.entered.wait()
                continuation.resume()
            }
        }
        // The slow load is under way and waits at the gate; the other table answers meanwhile.
        let quick = try await pool.run("quick") { _ in try warehouse.query(Self.total("quick"), asOf: Self.asOf).rows }
        #expect(quick == [[.integer(5), .decimal(1000)]])
        store.gate.signal()
        #expect(try await slow.value == [[.integer(10), .decimal(4500)]])
    }

    /// Two queries that need the same table while it loads: the second waits for the first's load
    /// instead of reading the table again.
    @Test func aTableIsLoadedOnceForQueriesThatNeedItTogether() async throws {
        let base = try TemporaryStore.make("once")
        defer { TemporaryStore.remove(base) }
        try TemporaryStore.load(Self.schema("slow"), rows: Self.rows(0..<10), into: base)
        let store = GatedStore(base: base, gated: "slow")
        let warehouse = Warehouse(store: store, catalog: TableCatalog([Self.schema("slow")]))
        let pool = BlockingPool(name: "test.once", capacity: 3)
        let first = Task { try await pool.run("first") { _ in try warehouse.query(Self.total("slow"), asOf: Self.asOf).rows } }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                store.entered.wait()
                continuation.resume()
            }
        }
        let second = Task { try await pool.run("second") { _ in try warehouse.query(Self.total("slow"), asOf: Self.asOf).rows } }
        try await Task.sleep(for: .milliseconds(100))
        // Enough for two loads: a second one would pass the gate too, and be counted.
        store.gate.signal()
        store.gate.signal()
        let expected: [[Value]] = [[.integer(10), .decimal(4500)]]
        #expect(try await first.value == expected)
        #expect(try await second.value == expected)
        #expect(store.scans.withLock { $0 } == 1)
    }

    @Test func racingLoadsOfAppendedRowsCountEveryRowOnce() async throws {
        let store = try TemporaryStore.make("race")
        defer { TemporaryStore.remove(store) }
        let schema = Self.schema("ledger")
        try TemporaryStore.load(schema, rows: Self.rows(0..<100), into: store)
        let warehouse = Warehouse(store: store, catalog: TableCatalog([schema]))
        let pool = BlockingPool(name: "test.race", capacity: 4)
        _ = try warehouse.query(Self.total("ledger"), asOf: Self.asOf)
        var next: Int64 = 100
        for _ in 0..<20 {
            try TemporaryStore.append(Self.rows(next..<(next + 7)), to: schema, in: store)
            next += 7
            let answers = try await withThrowingTaskGroup(of: [[Value]].self) { group in
                for i in 0..<4 {
                    group.addTask {
                        try await pool.run("reader \(i)") { _ in try warehouse.query(Self.total("ledger"), asOf: Self.asOf).rows }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let expected: [[Value]] = [[.integer(next), .decimal((0..<next).reduce(0) { $0 + $1 * 100 })]]
            for answer in answers { #expect(answer == expected) }
        }
    }
}

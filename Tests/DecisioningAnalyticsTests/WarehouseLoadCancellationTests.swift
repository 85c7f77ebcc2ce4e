import DecisioningAnalytics
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// A Warehouse load from MySQL cancelled part-way leaves nothing half-loaded: the next query loads the
/// table again and answers in full. Mid-stream without sleeps: the loaded relation is a view whose row
/// 5,000 waits on a lock the test holds; the flag goes up once the server shows the load waiting.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct WarehouseLoadCancellationTests {
    static let rows = 20_000
    static let base = TableSchema(
        name: "gate_base", columns: [ColumnSchema("id", .integer, nullable: false), ColumnSchema("v", .integer)],
        primaryKey: ["id"])
    static let gated = TableSchema(
        name: "gated", columns: [ColumnSchema("id", .integer, nullable: false), ColumnSchema("v", .integer)],
        primaryKey: ["id"])
    static let total = Plan.scan("gated", ["id", "v"]).aggregate(by: [NamedExpr](), [.count("n"), .sum("total", col("v"))])

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var waiting: Bool { lock.withLock { value } }
        func set(_ seen: Bool) { lock.withLock { value = seen } }
    }

    @Test func aCancelledLoadLeavesTheWarehouseAbleToLoadAgain() throws {
        let db = try TestServer.main().scratchDatabase("whcancel", pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 5))
        defer { db.drop() }
        try db.store.createTable(Self.base)
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: Self.base, columns: ["id", "v"], onConflict: .fail)
            for i in 1...Self.rows { _ = try inserter.insert([.integer(Int64(i)), .integer(1)]) }
        }
        let lock = "gate_\(db.name)"
        let holder = try MySQLConnection(try db.server.options(database: db.name))
        try holder.execute("CREATE VIEW gated AS SELECT id, IF(id = 5000, GET_LOCK('\(lock)', 120), v) AS v FROM gate_base")
        #expect(try holder.textRows("SELECT GET_LOCK('\(lock)', 0)") == [["1"]])

        let warehouse = Warehouse(store: db.store, catalog: TableCatalog([Self.gated]))
        let asOf = Day(iso: "2026-01-01")!
        let flag = CancellationFlag()
        let seen = Seen()
        let admin = try MySQLConnection(try db.server.options())
        Thread.detachNewThread {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let rows = try? admin.textRows(
                    "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '\(db.name)' AND state = 'User lock'")
                if let count = rows?.first?.first ?? nil, count != "0" {
                    seen.set(true)
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            flag.cancel()
        }
        let clock = ContinuousClock()
        let started = clock.now
        #expect {
            _ = try warehouse.query(Self.total, asOf: asOf, on: .columnEngine, cancellation: flag)
        } throws: { error in
            guard (error as? StoreError)?.kind == .cancelled else { return false }
            return true
        }
        #expect(seen.waiting)
        #expect(clock.now - started < .seconds(40))  // the gate alone would hold the load for 120 s

        #expect(try holder.textRows("SELECT RELEASE_LOCK('\(lock)')") == [["1"]])
        let result = try warehouse.query(Self.total, asOf: asOf, on: .columnEngine)
        #expect(result.rows == [[.integer(Int64(Self.rows)), .integer(Int64(Self.rows))]])
        #expect(result.site == .columnEngine)
    }
}

import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// The Warehouse sends plans to a store that offloads analytics (HeatWave) first, and falls back
/// to the column engine, visibly, when the store refuses a plan.
struct OffloadFallbackTests {
    /// SQLite that claims to offload and refuses statements containing `refuse`, as HeatWave
    /// refuses plans RAPID cannot run.
    final class RefusingStore: WrappedStore, @unchecked Sendable {
        let base: SQLiteStore
        let refuse: String
        var offered: [String] = []
        init(base: SQLiteStore, refuse: String) {
            self.base = base
            self.refuse = refuse
        }
        var url: DatabaseURL { .mysql(.init(user: "u", host: "h", port: 3306, database: "d", options: [:])) }
        var offloadsAnalytics: Bool { true }
        func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
            -> [[Value]]
        {
            offered.append(sql)
            if sql.contains(refuse) { throw .engine(operation: "query", code: 3889, message: "Secondary engine operation failed") }
            // The SQLite base cannot run MySQL's SQL; answer a count the test can recognise.
            return [[.integer(-1)]]
        }
    }

    @Test func aRefusedPlanRunsOnTheColumnEngineAndSaysWhy() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offload-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let base = try SQLiteStore(path: path)
        try base.migrate()
        try base.writeBatch { writer in
            let inserter = try writer.inserter(
                for: Catalog.projects, columns: ["project_id", "project_name", "start_date", "status"], onConflict: .fail)
            for i in 0..<5 {
                _ = try inserter.insert([.text("P\(i)"), .text("n"), .date(Day(iso: "2025-01-01")!), .text(i < 3 ? "ACTIVE" : "DONE")])
            }
        }
        let store = RefusingStore(base: base, refuse: "`status`")
        let warehouse = Warehouse(store: store)
        #expect(warehouse.dialect == .heatwave)
        let asOf = Day(iso: "2026-01-01")!

        let counted = try warehouse.query(Plan.scan("projects", ["project_id"]).aggregate(by: [String](), [.count("n")]), asOf: asOf)
        #expect(counted.site == ExecutionSite.sql(.heatwave))
        #expect(counted.rows == [[Value.integer(-1)]] && counted.offloadFailure == nil)

        let refused = try warehouse.query(
            Plan.scan("projects", ["project_id", "status"]).filter(col("status").eq("ACTIVE")).aggregate(by: [String](), [.count("n")]),
            asOf: asOf)
        #expect(refused.site == ExecutionSite.columnEngine)
        #expect(refused.rows == [[Value.integer(3)]])
        #expect(refused.offloadFailure?.contains("3889") == true)
        #expect(store.offered.count == 2 && store.offered[1].contains("SET_VAR"))
    }
}

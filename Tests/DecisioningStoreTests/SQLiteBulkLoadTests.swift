import DecisioningCore
import DecisioningStore
import Foundation
import Testing

@Suite("SQLite bulk writes: outcomes by rowid, indexes set aside and built again")
struct SQLiteBulkLoadTests {
    static let table = Catalog.financialMetrics
    static let columns = ["metric_id", "metric_date", "metric_value"]

    static func row(_ id: String, _ value: Int64) -> [Value] { [.text(id), .date(Day(iso: "2024-05-31")!), .decimal(value)] }

    static func indexNames(_ store: SQLiteStore) throws -> [String] {
        try store.query(
            "SELECT name FROM pragma_index_list('financial_metrics') ORDER BY name", arguments: [], columnTypes: [.text(maxLength: 100)]
        ).map(\.[0].description)
    }

    @Test("write tells new, stored, replaced and repeated keys apart, with the ordinal of the first row")
    func outcomes() throws {
        let (store, _) = try makeTemporaryStore()
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: Self.table, columns: Self.columns, onConflict: .skip)
            let outcome = try inserter.write(Self.row("A", 1))
            #expect(outcome == .inserted)
        }
        let outcomes = try store.writeBatch { writer -> [InsertOutcome] in
            let inserter = try writer.inserter(for: Self.table, columns: Self.columns, onConflict: .replace)
            #expect(inserter.tracksBatchKeys)
            return try [
                inserter.write(Self.row("B", 2)), inserter.write(Self.row("A", 3)), inserter.write(Self.row("C", 4)),
                inserter.write(Self.row("C", 5)), inserter.write(Self.row("B", 6)),
            ]
        }
        #expect(outcomes == [.inserted, .replaced, .inserted, .repeated(ordinal: 1), .repeated(ordinal: 0)])
        // A repeat within the batch did not overwrite the first row of it.
        let values = try store.query(
            "SELECT metric_id, metric_value, metric_date FROM financial_metrics ORDER BY metric_id", arguments: [],
            columnTypes: [.text(maxLength: 50), .integer, .date])
        #expect(
            values == [
                [.text("A"), .integer(3), .date(Day(iso: "2024-05-31")!)], [.text("B"), .integer(2), .date(Day(iso: "2024-05-31")!)],
                [.text("C"), .integer(4), .date(Day(iso: "2024-05-31")!)],
            ])
        let skipped = try store.writeBatch { writer -> [InsertOutcome] in
            let inserter = try writer.inserter(for: Self.table, columns: Self.columns, onConflict: .skip)
            return try [inserter.write(Self.row("A", 9)), inserter.write(Self.row("D", 9)), inserter.write(Self.row("D", 9))]
        }
        #expect(skipped == [.skipped, .inserted, .repeated(ordinal: 0)])
    }

    @Test("indexes set aside on an empty table come back on commit and on rollback")
    func indexesComeBack() throws {
        let (store, _) = try makeTemporaryStore()
        let all = try Self.indexNames(store)
        #expect(all.contains("idx_analytics"))
        struct Planted: Error {}
        #expect(throws: Planted.self) {
            try store.writeBatch { writer in
                let aside = try writer.prepareBulkLoad(into: Self.table)
                #expect(aside == ["idx_analytics"])
                _ = try writer.inserter(for: Self.table, columns: Self.columns, onConflict: .skip).write(Self.row("A", 1))
                throw Planted()
            }
        }
        #expect(try Self.indexNames(store) == all)
        try store.writeBatch { writer in
            let aside = try writer.prepareBulkLoad(into: Self.table)
            #expect(aside == ["idx_analytics"])
            _ = try writer.inserter(for: Self.table, columns: Self.columns, onConflict: .skip).write(Self.row("A", 1))
        }
        #expect(try Self.indexNames(store) == all)
        // A table with rows keeps its indexes while loading.
        let aside = try store.writeBatch { writer in try writer.prepareBulkLoad(into: Self.table) }
        #expect(aside.isEmpty)
    }

    @Test("binding in place formats dates and timestamps as the Value path does")
    func binder() throws {
        let (store, _) = try makeTemporaryStore()
        let columns = ["metric_id", "metric_date", "created_at", "project_id"]
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: Self.table, columns: columns, onConflict: .skip)
            let binder = try #require(inserter.binder)
            let id = Array("K1".utf8)
            try id.withUnsafeBufferPointer { id in
                binder.bindText(id, 0)
                binder.bindDay(Day(iso: "0999-01-09")!, 1)
                binder.bindTimestamp(Timestamp(iso: "2024-02-29T23:59:58")!, 2)
                binder.bindText(UnsafeBufferPointer(start: nil, count: 0), 3)
                let outcome = try binder.writeBound()
                #expect(outcome == .inserted)
            }
            _ = try inserter.write([.text("K2"), .date(Day(iso: "2024-12-31")!), .timestamp(Timestamp(iso: "1970-01-01 00:00:00")!), .null])
        }
        let rows = try store.query(
            "SELECT metric_id, metric_date, created_at, quote(project_id) FROM financial_metrics ORDER BY metric_id", arguments: [],
            columnTypes: [.text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 50)])
        #expect(
            rows.map { $0.map(\.description) } == [
                ["K1", "0999-01-09", "2024-02-29 23:59:58", "''"], ["K2", "2024-12-31", "1970-01-01 00:00:00", "NULL"],
            ])
    }
}

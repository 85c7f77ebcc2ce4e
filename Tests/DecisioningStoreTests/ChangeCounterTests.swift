import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// Migration 0003's durable change marks: updates and deletes are counted per table, inserts are
/// not, every database has its own identity token, and a marked scan reads marks, count, probe row
/// and the rows after a cursor together.
@Suite struct ChangeCounterTests {
    static let columns = ["customer_id", "customer_name", "payment_terms"]

    static func customer(_ i: Int, name: String? = nil) -> [Value] {
        [.text("C\(i)"), .text(name ?? "Customer \(i)"), .integer(Int64(i))]
    }

    static func insert(_ ids: [Int], into store: SQLiteStore, policy: ConflictPolicy = .fail, name: String? = nil) throws {
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.customerAnalytics, columns: columns, onConflict: policy)
            for i in ids { _ = try inserter.insert(customer(i, name: name)) }
        }
    }

    static func marked(_ store: SQLiteStore, after cursor: Int64? = nil, probe: Int64? = nil) throws -> MarkedColumnarScan {
        try #require(
            try store.scanColumnarMarked(Catalog.customerAnalytics, columns: columns, after: cursor, probe: probe, cancellation: nil))
    }

    @Test func updatesAndDeletesAreCountedAndInsertsAreNot() throws {
        let (store, _) = try makeTemporaryStore()
        try Self.insert(Array(1...10), into: store)
        #expect(try Self.marked(store).marks.rewrites == 0)
        // A skipped duplicate writes nothing; an upsert that overwrites one row counts one.
        try Self.insert([3], into: store, policy: .skip)
        #expect(try Self.marked(store).marks.rewrites == 0)
        try Self.insert([4, 11], into: store, policy: .replace, name: "renamed")
        #expect(try Self.marked(store).marks.rewrites == 1)
        try store.writeBatch { writer in
            try writer.execute("UPDATE customer_analytics SET payment_terms = 0 WHERE payment_terms > ?", arguments: [.integer(7)])
        }
        #expect(try Self.marked(store).marks.rewrites == 5)  // 8, 9, 10, 11
        try store.writeBatch { writer in try writer.execute("DELETE FROM customer_analytics WHERE customer_id = 'C1'", arguments: []) }
        let marks = try Self.marked(store).marks
        #expect(marks.rewrites == 6)
        #expect(marks.migrations == Migrations.all.map(\.id))
        // Other tables' counters did not move.
        let projects = try #require(
            try store.scanColumnarMarked(Catalog.projects, columns: ["project_id"], after: nil, probe: nil, cancellation: nil))
        #expect(projects.marks.rewrites == 0)
    }

    @Test func everyDatabaseHasItsOwnIdentity() throws {
        let (a, pathA) = try makeTemporaryStore()
        let (b, _) = try makeTemporaryStore()
        let tokenA = try Self.marked(a).marks.identity
        #expect(tokenA.count == 32 && tokenA.allSatisfy(\.isHexDigit))
        #expect(try Self.marked(b).marks.identity != tokenA)
        // The same file opened again keeps its token.
        let again = try SQLiteStore(path: pathA)
        try again.migrate()
        #expect(try Self.marked(again).marks.identity == tokenA)
    }

    @Test func aMarkedScanReadsCountProbeAndTheRowsAfterTheCursor() throws {
        let (store, _) = try makeTemporaryStore()
        try Self.insert(Array(1...5), into: store)
        let all = try Self.marked(store)
        #expect(all.scan.rowCount == 5)
        #expect(all.totalRows == nil && all.probe == nil)
        try Self.insert([6, 7], into: store)
        let later = try Self.marked(store, after: all.scan.cursor, probe: all.scan.cursor)
        #expect(later.totalRows == 7)
        #expect(later.scan.rowCount == 2)
        guard case .strings(let codes, let dictionary) = later.scan.columns[0],
            case .strings(let probeCodes, let probeValues) = later.probe?.columns[0]
        else {
            Issue.record("customer_id is not read as text")
            return
        }
        #expect(codes.map { dictionary[Int($0)] } == ["C6", "C7"])
        #expect(probeCodes.map { probeValues[Int($0)] } == ["C5"])
        // Nothing after the last row: the cursor stays.
        let none = try Self.marked(store, after: later.scan.cursor)
        #expect(none.scan.rowCount == 0 && none.scan.cursor == later.scan.cursor)
    }

    @Test func tablesOutsideTheMigratedSchemaKeepNoMarks() throws {
        let (store, _) = try makeTemporaryStore()
        let scratch = TableSchema(name: "scratch", columns: [ColumnSchema("id", .integer, nullable: false)], primaryKey: ["id"])
        try store.createTable(scratch)
        #expect(try store.scanColumnarMarked(scratch, columns: ["id"], after: nil, probe: nil, cancellation: nil) == nil)
        let (unmigrated, _) = try makeTemporaryStore(migrate: false)
        #expect(try unmigrated.scanColumnarMarked(scratch, columns: ["id"], after: nil, probe: nil, cancellation: nil) == nil)
    }
}

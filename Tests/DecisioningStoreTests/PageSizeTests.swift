import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// New database files get `SQLiteStore.pageSize`; a file made elsewhere keeps its own pages and
/// works as before (WAL mode cannot change the page size).
@Suite struct PageSizeTests {
    static func pageSize(_ store: SQLiteStore) throws -> Value? {
        try store.query("SELECT page_size FROM pragma_page_size()", arguments: [], columnTypes: [.integer]).first?.first
    }

    @Test func aNewFileGets16KiBPages() throws {
        let (store, _) = try makeTemporaryStore()
        #expect(SQLiteStore.pageSize == 16_384)
        #expect(try Self.pageSize(store) == .integer(16_384))
    }

    @Test func anExistingFileKeepsItsPagesAndWorks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("made-elsewhere.sqlite").path
        // The sqlite3 shell makes a 4 KiB-page file in WAL mode, as an older Decisioning did.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE note (x INTEGER);"]
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let store = try SQLiteStore(path: path)
        #expect(try store.migrate() == Migrations.all.map(\.id))
        #expect(try Self.pageSize(store) == .integer(4_096))
        try store.writeBatch(cancellation: nil) { writer in
            let inserter = try writer.inserter(
                for: Catalog.customerAnalytics, columns: ["customer_id", "customer_name"], onConflict: .fail)
            for i in 0..<2_000 { _ = try inserter.insert([.text("C\(i)"), .text("Customer \(i)")]) }
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.rowCount(Catalog.customerAnalytics.name) == 2_000)
        #expect(try Self.pageSize(reopened) == .integer(4_096))
    }
}

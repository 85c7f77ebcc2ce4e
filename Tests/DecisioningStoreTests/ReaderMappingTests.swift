import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// SQLite readers map the file (`PRAGMA mmap_size`); what they read stays the table's content when
/// another process grows the file, and when it shrinks it under them (VACUUM), which would fault a
/// reader that kept reading pages past the file's new end.
@Suite struct ReaderMappingTests {
    static func rows(_ store: SQLiteStore) throws -> [[Value]] {
        try store.query(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(customer_name)), 0) FROM customer_analytics", arguments: [],
            columnTypes: [.integer, .integer])
    }

    static func shell(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, sql]
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }

    @Test func readersMapTheFileAndReadWhatAnotherProcessLeavesAfterShrinkingIt() throws {
        let (store, path) = try makeTemporaryStore()
        let mapped = try store.query("PRAGMA mmap_size", arguments: [], columnTypes: [.integer])
        guard case .integer(let size)? = mapped.first?.first else {
            Issue.record("no mmap_size: \(mapped)")
            return
        }
        #expect(size > 0, "readers do not map the file")

        let name = String(repeating: "x", count: 500)
        try store.writeBatch(cancellation: nil) { writer in
            let inserter = try writer.inserter(
                for: Catalog.customerAnalytics, columns: ["customer_id", "customer_name"], onConflict: .fail)
            for i in 0..<20_000 { _ = try inserter.insert([.text("C\(i)"), .text(name)]) }
        }
        // The rows move from the WAL into the file, and this store's readers map it.
        try Self.shell(path, "PRAGMA wal_checkpoint(TRUNCATE);")
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(before > 10_000_000)
        #expect(try Self.rows(store) == [[.integer(20_000), .integer(10_000_000)]])

        // Another process removes most rows and shrinks the file under the mapping.
        try Self.shell(path, "DELETE FROM customer_analytics WHERE customer_id <> 'C7'; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(after < before / 4, "the file did not shrink (\(before) → \(after) bytes)")
        #expect(try Self.rows(store) == [[.integer(1), .integer(500)]])

        // And grows it again.
        try Self.shell(
            path,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                + "INSERT INTO customer_analytics (customer_id, customer_name) SELECT 'D' || i, printf('%.300c', 'y') FROM n;")
        #expect(try Self.rows(store) == [[.integer(3_001), .integer(500 + 3_000 * 300)]])
    }
}

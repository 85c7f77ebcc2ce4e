import DecisioningCore
import DecisioningIngest
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// `Ingestor.ingest(files:)` on MySQL: all files of a call are one batch, and the summary's counts
/// are exact when keys overlap what is stored.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct IngestAtomicityTests {
    static let header = "customer_id,customer_name,industry,annual_revenue,risk_score\n"

    static func row(_ i: Int, name: String = "Customer", revenue: String? = nil) -> String {
        "C\(String(format: "%05d", i)),\(name) \(i),Retail,\(revenue ?? "\(i * 10).25"),0.5\n"
    }

    /// A directory of its own, removed by the caller.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mysql-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ rows: some Sequence<Int>, to url: URL, name: String = "Customer", badLast: Bool = false) throws -> String {
        var csv = header
        for i in rows { csv += row(i, name: name) }
        if badLast { csv += row(99_999, revenue: "not-a-number") }
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The server's count of rows written to tables (not internal temporary ones: MariaDB counts those in
    /// Handler_tmp_write), rolled back or not: a rise shows rows reached the server before the batch was
    /// rolled back (the test servers are this run's own, and tests run one at a time).
    static func rowsWritten(_ server: TestServer) throws -> Int {
        let admin = try MySQLConnection(try server.options())
        return Int(try admin.textRows("SHOW GLOBAL STATUS LIKE 'Handler_write'").first?[1] ?? "") ?? -1
    }

    @Test func aBadRowAtTheEndOfTheSecondFileLeavesNothingFromEitherFile() throws {
        // Small groups, so that most rows of both files are sent to the server before the bad one is read.
        let db = try TestServer.main().scratchDatabase("twofiles", insertGroupRows: 10)
        defer { db.drop() }
        try db.store.migrate()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try Self.write(1...300, to: dir.appendingPathComponent("a.csv"))
        let second = try Self.write(301...600, to: dir.appendingPathComponent("b.csv"), badLast: true)

        let before = try Self.rowsWritten(db.server)
        #expect {
            _ = try Ingestor(store: db.store, table: Catalog.customerAnalytics).ingest(files: [first, second])
        } throws: { error in
            // The error names the second file and the bad row's line (header + 300 rows + 1).
            guard let error = error as? IngestError else { return false }
            return error.file == second && error.line == 302 && error.column == "annual_revenue"
        }
        #expect(try db.store.rowCount("customer_analytics") == 0)
        // Not vacuous: the first file's rows had reached the table and were rolled back.
        #expect(try Self.rowsWritten(db.server) - before >= 300)

        // Allowing one bad row, a second one (the first file's last) aborts the batch just the same.
        let firstWithBad = try Self.write(1...300, to: dir.appendingPathComponent("a2.csv"), badLast: true)
        var tolerant = IngestOptions()
        tolerant.maxRejected = 1
        #expect {
            _ = try Ingestor(store: db.store, table: Catalog.customerAnalytics, options: tolerant).ingest(files: [firstWithBad, second])
        } throws: { error in
            guard let aborted = error as? IngestAborted else { return false }
            return aborted.errors.map(\.file) == [firstWithBad, second]
        }
        #expect(try db.store.rowCount("customer_analytics") == 0)

        // The same two files without the bad row go in whole: the failure above was the bad row's alone.
        let secondGood = try Self.write(301...600, to: dir.appendingPathComponent("b2.csv"))
        let summary = try Ingestor(store: db.store, table: Catalog.customerAnalytics).ingest(files: [first, secondGood])
        #expect(summary.inserted == 600 && summary.skipped == 0 && summary.replaced == 0 && summary.rejected == 0 && summary.files == 2)
        #expect(try db.store.rowCount("customer_analytics") == 600)
    }

    @Test func partlyOverlappingKeysAreCountedExactly() throws {
        let db = try TestServer.main().scratchDatabase("overlap", insertGroupRows: 16)
        defer { db.drop() }
        try db.store.migrate()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }

        let first = try Ingestor(store: db.store, table: Catalog.customerAnalytics)
            .ingest(files: [try Self.write(1...100, to: dir.appendingPathComponent("1-100.csv"))])
        #expect(first.inserted == 100 && first.skipped == 0 && first.replaced == 0 && first.rows == 100)

        // 51...150 under a new name: 51...100 are stored already and kept as they are.
        let second = try Ingestor(store: db.store, table: Catalog.customerAnalytics)
            .ingest(files: [try Self.write(51...150, to: dir.appendingPathComponent("51-150.csv"), name: "Second")])
        #expect(second.inserted == 50 && second.skipped == 50 && second.replaced == 0 && second.rows == 100)
        #expect(try db.store.rowCount("customer_analytics") == 150)
        #expect(try Self.names(db) == Self.expectedNames([(1...100, "Customer"), (101...150, "Second")]))

        // Upsert of 101...200: 101...150 are replaced, 151...200 are new, and no row is skipped.
        var upsert = IngestOptions()
        upsert.onConflict = .replace
        let third = try Ingestor(store: db.store, table: Catalog.customerAnalytics, options: upsert)
            .ingest(files: [try Self.write(101...200, to: dir.appendingPathComponent("101-200.csv"), name: "Third")])
        #expect(third.inserted == 50 && third.replaced == 50 && third.skipped == 0 && third.rows == 100)
        #expect(try db.store.rowCount("customer_analytics") == 200)
        #expect(try Self.names(db) == Self.expectedNames([(1...100, "Customer"), (101...200, "Third")]))

        // Two files in one upsert call, overlapping the table at different places (1...10 and 191...210).
        let fourth = try Ingestor(store: db.store, table: Catalog.customerAnalytics, options: upsert)
            .ingest(files: [
                try Self.write(1...10, to: dir.appendingPathComponent("1-10.csv"), name: "Fourth"),
                try Self.write(191...210, to: dir.appendingPathComponent("191-210.csv"), name: "Fourth"),
            ])
        #expect(fourth.inserted == 10 && fourth.replaced == 20 && fourth.skipped == 0 && fourth.files == 2)
        #expect(try db.store.rowCount("customer_analytics") == 210)
        #expect(
            try Self.names(db)
                == Self.expectedNames([(1...10, "Fourth"), (11...100, "Customer"), (101...190, "Third"), (191...210, "Fourth")]))
    }

    static func names(_ db: ScratchDatabase) throws -> [String: String] {
        let rows = try db.store.query(
            "SELECT customer_id, customer_name FROM customer_analytics", arguments: [], columnTypes: [.longText, .longText])
        var out: [String: String] = [:]
        for row in rows {
            guard case .text(let id) = row[0], case .text(let name) = row[1] else { continue }
            out[id] = name
        }
        return out
    }

    static func expectedNames(_ ranges: [(ClosedRange<Int>, String)]) -> [String: String] {
        var out: [String: String] = [:]
        for (range, name) in ranges {
            for i in range { out["C\(String(format: "%05d", i))"] = "\(name) \(i)" }
        }
        return out
    }
}

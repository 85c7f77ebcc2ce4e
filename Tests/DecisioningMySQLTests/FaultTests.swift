import DecisioningCore
import DecisioningIngest
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// The server dies in the middle of an ingest: the batch is rolled back, nothing half-written
/// stays, and running the same ingest again completes it.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct FaultTests {
    @Test func aServerKilledMidIngestLosesTheBatchAndTheRerunCompletesIt() throws {
        let server = try TestServer.plain()
        let db = try server.scratchDatabase("midingest", pool: .init(minConnections: 1, maxConnections: 4, connectionTimeout: 5))
        var restarted = true
        defer {
            if !restarted { try? server.control("restart") }
            db.drop()
        }
        try db.store.migrate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("financial_metrics.csv").path
        let rows = 400_000
        var csv = "metric_id,project_id,metric_type,metric_value,metric_date\n"
        csv.reserveCapacity(rows * 48)
        for i in 0..<rows { csv += "M\(i),P\(i % 5000),REVENUE,\(i % 100000).25,20\(21 + i % 6)-0\(1 + i % 9)-15\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)

        let store = db.store
        let outcome = LockedOutcome()
        let ingest = Thread {
            do {
                _ = try Ingestor(store: store, table: Catalog.financialMetrics).ingest(files: [path])
                outcome.set("finished")
            } catch {
                outcome.set("\(error)")
            }
        }
        ingest.start()
        Thread.sleep(forTimeInterval: 0.4)
        restarted = false
        try server.control("kill")
        let deadline = Date(timeIntervalSinceNow: 60)
        while outcome.value == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try server.control("restart")
        restarted = true

        let message = try #require(outcome.value, "the ingest did not end within 60 s of the server dying")
        #expect(message != "finished", "the ingest finished before the server was killed; make the file larger")
        #expect(message.contains("lost the database connection") || message.contains("cannot connect"), "unexpected error: \(message)")

        // A fresh store (the old pool's connections died with the server) sees nothing of the batch.
        let again = try MySQLStore(
            options: try server.options(database: db.name), pool: .init(minConnections: 1, maxConnections: 4, connectionTimeout: 5))
        #expect(try again.rowCount("financial_metrics") == 0)
        let summary = try Ingestor(store: again, table: Catalog.financialMetrics).ingest(files: [path])
        #expect(summary.inserted == rows && summary.skipped == 0)
        #expect(try again.rowCount("financial_metrics") == rows)
        let total = try again.query("SELECT SUM(metric_value) FROM financial_metrics", arguments: [], columnTypes: [.money])
        let expected = (0..<rows).reduce(Int64(0)) { $0 + Int64($1 % 100000) * 100 + 25 }
        #expect(total == [[.decimal(expected)]])
        again.pool.close()
    }
}

final class LockedOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func set(_ v: String) {
        lock.lock()
        stored = v
        lock.unlock()
    }

    @Test func aFrozenServerFailsTheHealthCheckInsteadOfHoldingTheCaller() throws {
        let server = try TestServer.plain()
        let pool = try ConnectionPool(
            options: try server.options(connectTimeout: 5),
            pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 2),
            healthCheckAfter: .zero, pingTimeout: 1)
        defer { pool.close() }
        // SIGSTOP: the TCP connection stays up and the kernel still accepts new ones, but nothing
        // answers, as behind a dropped NAT mapping or a partition.
        try server.control("freeze")
        var thawed = false
        defer { if !thawed { try? server.control("thaw") } }
        let clock = ContinuousClock()
        let started = clock.now
        #expect(throws: StoreError.self) { _ = try pool.acquire("during the freeze") }
        let elapsed = clock.now - started
        try server.control("thaw")
        thawed = true
        // A 1 s ping, then a handshake bounded by the 2 s wait; without the watchdog the call never returned.
        #expect(elapsed < .seconds(20))
        // Once thawed, the server works through what queued up meanwhile; the pool serves again.
        var connection: MySQLConnection?
        let deadline = Date().addingTimeInterval(20)
        while connection == nil && Date() < deadline {
            connection = try? pool.acquire("after the thaw")
            if connection == nil { Thread.sleep(forTimeInterval: 0.5) }
        }
        let thawedConnection = try #require(connection)
        #expect(try thawedConnection.textRows("SELECT 1") == [["1"]])
        pool.release(thawedConnection)
    }
}

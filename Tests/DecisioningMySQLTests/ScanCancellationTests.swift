import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// Streaming scans on MySQL stopped part-way: they end early with `StoreError.cancelled`, and the
/// pool's connection serves the next read (reused or replaced).
///
/// Mid-stream is made deterministic without sleeps: the scanned relation is a view whose row 5,000
/// calls `GET_LOCK` on a lock the test holds, so the server streams the rows before it and then
/// waits; a watcher raises the flag once the server reports the scan waiting ("User lock").
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct ScanCancellationTests {
    static let rows = 20_000
    static let gateRow = 5_000
    /// How long the gate would hold the scan if cancelling did not stop the statement.
    static let gateSeconds = 120

    static let base = TableSchema(
        name: "gate_base", columns: [ColumnSchema("id", .integer, nullable: false), ColumnSchema("v", .integer)],
        primaryKey: ["id"])
    static let gated = TableSchema(
        name: "gated", columns: [ColumnSchema("id", .integer, nullable: false), ColumnSchema("v", .integer)],
        primaryKey: ["id"])

    /// A scratch database of one pooled connection with `gate_base` (ids 1...rows, v = 1) and the view `gated`.
    static func database(_ label: String) throws -> (db: ScratchDatabase, lock: String) {
        let db = try TestServer.main().scratchDatabase(label, pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 5))
        try db.store.createTable(base)
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: base, columns: ["id", "v"], onConflict: .fail)
            for i in 1...rows { _ = try inserter.insert([.integer(Int64(i)), .integer(1)]) }
        }
        let lock = "gate_\(db.name)"
        try MySQLConnection(try db.server.options(database: db.name)).execute(
            "CREATE VIEW gated AS SELECT id, IF(id = \(gateRow), GET_LOCK('\(lock)', \(gateSeconds)), v) AS v FROM gate_base")
        return (db, lock)
    }

    /// Statements of `db` waiting for a user lock.
    static func waitingOnTheGate(_ admin: MySQLConnection, _ db: ScratchDatabase) throws -> Int {
        let rows = try admin.textRows("SELECT COUNT(*) FROM information_schema.processlist WHERE db = '\(db.name)' AND state = 'User lock'")
        return Int(rows.first?.first??.description ?? "") ?? -1
    }

    final class Observation: @unchecked Sendable {
        private let lock = NSLock()
        private var _sawWaiting = false
        private var _raisedAt: ContinuousClock.Instant?
        var sawWaiting: Bool { lock.withLock { _sawWaiting } }
        var raisedAt: ContinuousClock.Instant? { lock.withLock { _raisedAt } }
        func record(sawWaiting: Bool) {
            lock.withLock {
                _sawWaiting = sawWaiting
                _raisedAt = .now
            }
        }
    }

    /// On a thread of its own (the test holds a cooperative thread): waits until the server shows
    /// `db`'s scan waiting at the gate, then raises `flag`. Gives up (and raises anyway) after 30 s.
    static func raiseOnceTheScanWaits(_ flag: CancellationFlag, _ db: ScratchDatabase) throws -> Observation {
        let observation = Observation()
        let admin = try MySQLConnection(try db.server.options())
        Thread.detachNewThread {
            let deadline = ContinuousClock.now + .seconds(30)
            var seen = false
            while !seen && ContinuousClock.now < deadline {
                seen = ((try? waitingOnTheGate(admin, db)) ?? 0) > 0
                if !seen { Thread.sleep(forTimeInterval: 0.01) }
            }
            observation.record(sawWaiting: seen)
            flag.cancel()
        }
        return observation
    }

    @Test func aColumnarScanCancelledMidStreamStopsAtOnceAndTheConnectionServesTheNextRead() throws {
        let (db, lock) = try Self.database("colcancel")
        defer { db.drop() }
        let holder = try MySQLConnection(try db.server.options(database: db.name))
        #expect(try holder.textRows("SELECT GET_LOCK('\(lock)', 0)") == [["1"]])
        let admin = try MySQLConnection(try db.server.options())

        let flag = CancellationFlag()
        let observation = try Self.raiseOnceTheScanWaits(flag, db)
        #expect {
            _ = try db.store.scanColumnar(Self.gated, columns: ["id", "v"], after: nil, cancellation: flag)
        } throws: { error in
            guard (error as? StoreError)?.kind == .cancelled else { return false }
            return true
        }
        let returned = ContinuousClock.now
        // The handshake happened: the scan was waiting at row 5,000 when the flag went up ...
        #expect(observation.sawWaiting)
        // ... and the call ended because its statement was stopped, not because the gate opened
        // (it stays shut for 120 s, and the lock is still held).
        let raisedAt = try #require(observation.raisedAt)
        #expect(returned - raisedAt < .seconds(20))
        #expect(try holder.textRows("SELECT IS_USED_LOCK('\(lock)') = CONNECTION_ID()") == [["1"]])
        #expect(try Self.waitingOnTheGate(admin, db) == 0)

        // The pool's only connection serves the next scan in full: nothing of the stopped one is left
        // on the wire (a half-read result would put the connection out of sync).
        #expect(try holder.textRows("SELECT RELEASE_LOCK('\(lock)')") == [["1"]])
        let full = try db.store.scanColumnar(Self.gated, columns: ["id", "v"], after: nil)
        #expect(full.rowCount == Self.rows)
        guard case .ints(let ids) = full.columns[0], case .ints(let values) = full.columns[1] else {
            Issue.record("unexpected column kinds")
            return
        }
        #expect(ids == (1...Self.rows).map(Int64.init))
        #expect(values.allSatisfy { $0 == 1 })
        #expect(db.store.pool.openCount <= 1)
        // A flag raised before the scan starts runs nothing.
        #expect {
            _ = try db.store.scanColumnar(Self.gated, columns: ["id"], after: nil, cancellation: flag)
        } throws: { error in
            guard (error as? StoreError)?.kind == .cancelled else { return false }
            return true
        }
        #expect(try db.store.query("SELECT COUNT(*) FROM gated", arguments: [], columnTypes: [.integer]) == [[.integer(Int64(Self.rows))]])
    }

    @Test func aRowScanWhoseReaderRaisesTheFlagAfterTheFirstBatchEndsCancelledAndEarly() throws {
        let (db, _) = try Self.database("rowcancel")
        defer { db.drop() }
        let flag = CancellationFlag()
        var batches = 0
        var delivered = 0
        #expect {
            try db.store.scan(Self.base, columns: ["id", "v"], batchSize: 100) { rows in
                batches += 1
                delivered += rows.count
                // The handshake: the first batch has arrived, so the reader raises the flag and stops.
                flag.cancel()
                try flag.check("scan gate_base")
            }
        } throws: { error in
            // The cancellation comes back as itself, not wrapped as an engine error.
            guard let storeError = error as? StoreError, storeError.kind == .cancelled else { return false }
            let operation = storeError.operation ?? ""
            return operation == "scan gate_base"
        }
        #expect(batches == 1 && delivered == 100)
        // The abandoned stream's connection was given up and replaced: the pool's only slot serves the next read.
        #expect(db.store.pool.openCount <= 1)
        var total = 0
        try db.store.scan(Self.base, columns: ["id"], batchSize: 1000) { total += $0.count }
        #expect(total == Self.rows)
    }
}

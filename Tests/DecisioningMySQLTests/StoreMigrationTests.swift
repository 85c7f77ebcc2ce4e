import DecisioningApplication
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningSynth
import DecisioningTestSupport
import Foundation
import Testing

/// `StoreMigration` between SQLite and MariaDB: a round trip keeps every row, a second run copies
/// nothing, an interrupted copy resumes, and a destination holding other rows for the same keys is refused.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct StoreMigrationTests {
    /// A directory of its own, removed by the caller.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A generated company in a new SQLite file.
    static func company(scale: Double, in dir: URL) throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.appendingPathComponent("source.sqlite").path)
        try store.migrate()
        let spec = GeneratorSpec(scale: scale, seed: 11, asOf: try #require(Day(iso: "2026-06-30")))
        _ = try Generator(spec: spec).generate(into: store)
        return store
    }

    /// Every row of every business table, in key order.
    static func rows(_ store: any Store) throws -> [String: [[Value]]] {
        var all: [String: [[Value]]] = [:]
        for table in Catalog.businessTables {
            var rows: [[Value]] = []
            try store.scan(table, batchSize: 4096) { rows += $0 }
            all[table.name] = rows
        }
        return all
    }

    @Test func aRoundTripSQLiteToMariaDBToSQLiteKeepsEveryRow() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Self.company(scale: 0.1, in: dir)
        let db = try TestServer.main().scratchDatabase("migrate")
        defer { db.drop() }
        try db.store.migrate()
        let back = try SQLiteStore(path: dir.appendingPathComponent("back.sqlite").path)
        try back.migrate()

        let started = Date()
        let there = try StoreMigration(source: source, destination: db.store).run()
        let thereSeconds = Date().timeIntervalSince(started)
        let returned = try StoreMigration(source: db.store, destination: back).run()
        let seconds = Date().timeIntervalSince(started)
        print(
            "migrate round trip at scale 0.1: \(there.sourceRows) rows there in \(String(format: "%.2f", thereSeconds)) s, back in \(String(format: "%.2f", seconds - thereSeconds)) s (\(String(format: "%.0f", Double(there.sourceRows * 2) / seconds)) rows/s over both, verification included)"
        )

        #expect(there.verified && returned.verified)
        #expect(there.copiedRows == there.sourceRows && there.copiedRows > 1000)
        #expect(returned.copiedRows == there.copiedRows)
        #expect(there.rapid == .skipped(reason: "the destination server (MariaDB \(db.store.capabilities.version)) has no HeatWave"))
        #expect(returned.rapid == .notApplicable)
        let original = try Self.rows(source)
        #expect(try Self.rows(db.store) == original)
        let final = try Self.rows(back)
        for table in Catalog.businessTables {
            #expect(final[table.name] == original[table.name], "\(table.name) differs after the round trip")
        }
        // Checksums agree across engines: the same table gives the same value on SQLite and MariaDB.
        for (a, b) in zip(there.tables, returned.tables) { #expect(a.source == b.destination) }

        // A second run finds everything there and writes nothing.
        let again = try StoreMigration(source: source, destination: db.store).run()
        #expect(again.copiedRows == 0 && again.verified)
        #expect(again.tables.map(\.alreadyPresent).reduce(0, +) == there.sourceRows)
    }

    @Test func aPartialCopyResumesWithoutDuplicatesOrLosses() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Self.company(scale: 0.01, in: dir)
        let db = try TestServer.main().scratchDatabase("resume")
        defer { db.drop() }
        try db.store.migrate()
        // An earlier run that stopped: some whole batches of projects are there, nothing after them.
        var firstRows: [[Value]] = []
        try source.scan(Catalog.projects, batchSize: 7) { rows in if firstRows.isEmpty { firstRows = rows } }
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.projects, columns: Catalog.projects.columnNames, onConflict: .fail)
            for row in firstRows { _ = try inserter.insert(row) }
            _ = try inserter.flush()
        }
        let report = try StoreMigration(source: source, destination: db.store, batchSize: 50).run()
        let projects = try #require(report.tables.first { $0.table == "projects" })
        #expect(projects.alreadyPresent == 7)
        #expect(projects.copied == projects.source.rows - 7)
        #expect(report.verified)
        #expect(try Self.rows(db.store) == Self.rows(source))
    }

    @Test func aDestinationRowWithOtherValuesForTheSameKeyIsAnErrorUnlessOverwriting() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Self.company(scale: 0.01, in: dir)
        let db = try TestServer.main().scratchDatabase("conflict")
        defer { db.drop() }
        try db.store.migrate()
        var first: [Value] = []
        try source.scan(Catalog.customerAnalytics, batchSize: 1) { rows in if first.isEmpty { first = rows[0] } }
        var changed = first
        let revenue = try #require(Catalog.customerAnalytics.columnIndex("annual_revenue"))
        changed[revenue] = .decimal(123)
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(
                for: Catalog.customerAnalytics, columns: Catalog.customerAnalytics.columnNames, onConflict: .fail)
            _ = try inserter.insert(changed)
            _ = try inserter.flush()
        }
        let key = first[0].description
        #expect(throws: MigrationError.conflictingRow(table: "customer_analytics", key: key, column: "annual_revenue")) {
            try StoreMigration(source: source, destination: db.store, tables: ["customer_analytics"]).run()
        }
        // Nothing was overwritten; the failed batch left nothing either.
        let stored = try db.store.query(
            "SELECT annual_revenue FROM customer_analytics WHERE customer_id = ?", arguments: [first[0]],
            columnTypes: [.money])
        #expect(stored == [[.decimal(123)]])
        #expect(try db.store.rowCount("customer_analytics") == 1)

        let report = try StoreMigration(source: source, destination: db.store, tables: ["customer_analytics"], overwrite: true).run()
        #expect(report.verified)
        #expect(report.tables[0].replaced == 1)
        #expect(try Self.rows(db.store)["customer_analytics"] == Self.rows(source)["customer_analytics"])
    }

    @Test func everyColumnTypeSurvivesTheRoundTrip() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try SQLiteStore(path: dir.appendingPathComponent("types.sqlite").path)
        try source.migrate()
        let t = Timestamp(seconds: 1_782_000_000)
        let rows: [(TableSchema, [[Value]])] = [
            (
                Catalog.customerAnalytics,
                [
                    [
                        .text("C-1"), .text("Zoë «Ünïcode» 株式会社"), .null, .decimal(999_999_999_999_999), .text("AA"), .integer(30),
                        .decimal(-12), .integer(0), .decimal(-1), .decimal(99),
                    ],
                    [.text("C-2"), .null, .null, .null, .null, .null, .null, .null, .null, .null],
                ]
            ),
            (
                Catalog.mlModels,
                [
                    [
                        .text("M-1"), .text("overrun"), .text("boosted_trees"), .text("SELECT *\nFROM projects -- 'quoted'"),
                        .text("overrun"),
                        .json("[\"a\", \"b\"]"), .decimal(9876), .timestamp(t), .null, .text("ACTIVE"),
                        .json("{\"trees\": [1, 2.5, null]}"),
                    ]
                ]
            ),
            (
                Catalog.modelPredictions,
                [[.text("P-1"), .text("M-1"), .text("E-1"), .decimal(-12_345_678_901_2345), .decimal(1), .timestamp(t)]]
            ),
            (
                Catalog.businessEmbeddings,
                [
                    [
                        .text("B-1"), .text("project"), .text("E-1"), .vector((0..<2048).map { Float($0) * 0.001 - 1 }), .text("m"),
                        .timestamp(t),
                    ]
                ]
            ),
        ]
        try source.writeBatch { writer in
            for (table, values) in rows {
                let inserter = try writer.inserter(for: table, columns: table.columnNames, onConflict: .fail)
                for row in values { _ = try inserter.insert(row) }
            }
        }
        let db = try TestServer.main().scratchDatabase("types")
        defer { db.drop() }
        try db.store.migrate()
        let back = try SQLiteStore(path: dir.appendingPathComponent("back.sqlite").path)
        try back.migrate()
        #expect(try StoreMigration(source: source, destination: db.store).run().verified)
        #expect(try StoreMigration(source: db.store, destination: back).run().verified)
        #expect(try Self.rows(back) == Self.rows(source))
        #expect(try Self.rows(db.store) == Self.rows(source))
    }

    @Test func anUnknownTableNamesTheAllowedOnes() {
        #expect(throws: MigrationError.unknownTable(name: "agent_results", choices: MigrationTablePlan.allowedTables)) {
            try MigrationTablePlan.plans(for: ["projects", "agent_results"])
        }
        #expect(
            MigrationError.unknownTable(name: "x", choices: ["projects", "customer_analytics"]).description.contains(
                "projects, customer_analytics"))
    }
}

import DecisioningCore
import DecisioningIngest
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// The MySQL store against the real MariaDB server `make test` starts.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct MySQLStoreTests {
    @Test func migrationsCreateTheCorrectedSchemaOnce() throws {
        let db = try TestServer.main().scratchDatabase("migrate")
        defer { db.drop() }
        #expect(try db.store.migrate() == Migrations.all.map(\.id))
        #expect(try db.store.migrate().isEmpty)
        #expect(try db.store.appliedMigrations() == Migrations.all.map(\.id))
        let columns = try db.store.query(
            "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = 'financial_metrics' AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
            arguments: [], columnTypes: [.longText])
        #expect(columns == [[.text("metric_id")], [.text("metric_date")]])
        let partitions = try db.store.query(
            "SELECT partition_name, partition_description FROM information_schema.partitions WHERE table_schema = DATABASE() AND table_name = 'financial_metrics' ORDER BY partition_ordinal_position",
            arguments: [], columnTypes: [.longText, .longText])
        #expect(partitions.last == [.text("pmax"), .text("MAXVALUE")])
        let foreignKeys = try db.store.query(
            "SELECT COUNT(*) FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() AND (table_name = 'financial_metrics' OR referenced_table_name = 'financial_metrics')",
            arguments: [], columnTypes: [.integer])
        #expect(foreignKeys == [[.integer(0)]])
        // Migration 0005 replaced the seed's prediction index.
        let indexed = try db.store.query(
            "SELECT column_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'model_predictions' AND index_name = 'idx_predictions' ORDER BY seq_in_index",
            arguments: [], columnTypes: [.longText])
        #expect(indexed.map { $0[0].description } == Migrations.predictionIndexColumns)
        // A metric dated far in the future still has a partition to live in.
        try db.store.writeBatch { writer in
            _ = try writer.inserter(for: Catalog.financialMetrics, columns: ["metric_id", "metric_date"], onConflict: .fail)
                .insert([.text("future"), .date(Day(year: 2071, month: 3, day: 1)!)])
        }
        #expect(try db.store.rowCount("financial_metrics") == 1)
    }

    @Test func everyColumnTypeRoundTripsExactly() throws {
        let db = try TestServer.main().scratchDatabase("types")
        defer { db.drop() }
        try db.store.migrate()
        let money = Int64(999_999_999_999_999)  // 9,999,999,999,999.99
        let projects: [[Value]] = [
            [
                .text("P1"), .text("Zürich tower ✓"), .text("BUILD"), .date(Day(iso: "2024-02-29")!), .null, .decimal(money),
                .decimal(-money),
                .text("ACTIVE"), .text("C1"), .timestamp(Timestamp(iso: "2024-03-01 12:34:56")!),
                .text(String(repeating: "Move the ledger off the mainframe; ", count: 3000) + "ünïcödé ✓"),
            ],
            [
                .text("P2"), .text("it's \"quoted\" \\ back"), .null, .date(Day(iso: "1999-12-31")!), .date(Day(iso: "2031-01-01")!),
                .decimal(1), .null,
                .null, .null, .timestamp(Timestamp(iso: "2038-01-19 03:14:07")!), .null,
            ],
        ]
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.projects, columns: Catalog.projects.columnNames, onConflict: .fail)
            for row in projects { _ = try inserter.insert(row) }
            let events = try writer.inserter(for: Catalog.businessEvents, columns: Catalog.businessEvents.columnNames, onConflict: .fail)
            _ = try events.insert([
                .text("E1"), .text("PAYMENT"), .text("project"), .text("P1"), .json("{\"amount\": 12.5}"),
                .timestamp(Timestamp(iso: "2025-01-01 00:00:00")!), .boolean(true),
            ])
        }
        var read: [[Value]] = []
        try db.store.scan(Catalog.projects, batchSize: 1) { read += $0 }
        #expect(read == projects)
        let sums = try db.store.query(
            "SELECT SUM(budget_amount), MAX(project_name) FROM projects", arguments: [], columnTypes: [.money, .longText])
        #expect(sums == [[.decimal(money + 1), .text("it's \"quoted\" \\ back")]])
        let bound = try db.store.query(
            "SELECT project_id FROM projects WHERE start_date < ? AND project_name = ?",
            arguments: [.date(Day(iso: "2000-01-01")!), .text("it's \"quoted\" \\ back")], columnTypes: [.longText])
        #expect(bound == [[.text("P2")]])
        var events: [[Value]] = []
        try db.store.scan(Catalog.businessEvents, batchSize: 10) { events += $0 }
        #expect(events.first?[6] == .boolean(true))
        #expect(events.first?[5] == .timestamp(Timestamp(iso: "2025-01-01 00:00:00")!))

        let columnar = try db.store.scanColumnar(
            Catalog.projects, columns: ["project_id", "budget_amount", "start_date", "status"], after: nil)
        #expect(columnar.rowCount == 2)
        guard case .ints(let budgets) = columnar.columns[1], case .ints(let days) = columnar.columns[2],
            case .strings(let codes, let dictionary) = columnar.columns[3]
        else {
            Issue.record("unexpected column kinds")
            return
        }
        #expect(budgets == [money, 1])
        #expect(days == [Int64(Day(iso: "2024-02-29")!.number), Int64(Day(iso: "1999-12-31")!.number)])
        #expect(codes[1] == -1 && dictionary[Int(codes[0])] == "ACTIVE")
        #expect(columnar.valid[3] == [true, false])
    }

    @Test func textKeysDifferingInTrailingSpacesOrCaseStayDistinct() throws {
        let db = try TestServer.main().scratchDatabase("collation")
        defer { db.drop() }
        try db.store.migrate()
        let ids = ["a", "a ", "A", "é", "e\u{301}"]
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.customerAnalytics, columns: ["customer_id"], onConflict: .fail)
            for id in ids { _ = try inserter.insert([.text(id)]) }
        }
        #expect(try db.store.rowCount("customer_analytics") == ids.count)
        let found = try db.store.query(
            "SELECT customer_id FROM customer_analytics WHERE customer_id = ?", arguments: [.text("a")], columnTypes: [.longText])
        #expect(found == [[.text("a")]])
    }

    @Test func manyRowsGoInGroupsAndDoublesKeepEveryBit() throws {
        let db = try TestServer.main().scratchDatabase("groups", insertGroupRows: 64)
        defer { db.drop() }
        let schema = TableSchema(
            name: "samples",
            columns: [
                ColumnSchema("id", .integer, nullable: false), ColumnSchema("x", .double), ColumnSchema("label", .text(maxLength: 20)),
            ], primaryKey: ["id"])
        try db.store.createTable(schema)
        var random = SeededRandom(seed: 7)
        let rows: [[Value]] = (0..<1000).map { i in
            [
                .integer(Int64(i)), i % 97 == 0 ? .null : .double(Double(random.next() >> 11) / Double(1 << 53) * 1e6 - 5e5),
                .text("L\(i % 13)"),
            ]
        }
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: schema, columns: schema.columnNames, onConflict: .fail)
            for row in rows { _ = try inserter.insert(row) }
        }
        var read: [[Value]] = []
        try db.store.scan(schema, batchSize: 333) { read += $0 }
        #expect(read == rows)
        let queried = try db.store.query(
            "SELECT id, x, label FROM samples ORDER BY id", arguments: [], columnTypes: [.integer, .double, .longText])
        #expect(queried == rows)
        // An integer answer beyond Int64 is an error, never a clamped value.
        #expect(throws: StoreError.self) {
            _ = try db.store.query(
                "SELECT SUM(v) FROM (SELECT 9223372036854775807 AS v UNION ALL SELECT 10) AS t", arguments: [], columnTypes: [.integer])
        }
    }

    /// A parent row queued before many child rows reaches the server first: the children's full
    /// groups must not overtake it (the foreign key of model_predictions on ml_models refused them).
    @Test func childGroupsDoNotOvertakeTheirParentRow() throws {
        let db = try TestServer.main().scratchDatabase("order", insertGroupRows: 64)
        defer { db.drop() }
        try db.store.migrate()
        let stamp = Value.timestamp(Timestamp(day: Day(iso: "2026-06-30")!))
        try db.store.writeBatch { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels, columns: ["model_id", "model_name", "model_type", "last_trained", "status"], onConflict: .replace)
            _ = try models.insert([.text("m1"), .text("model"), .text("anomaly_detection"), stamp, .text("ACTIVE")])
            let predictions = try writer.inserter(
                for: Catalog.modelPredictions, columns: ["prediction_id", "model_id", "entity_id", "prediction_value", "prediction_date"],
                onConflict: .replace)
            for i in 0..<300 {
                _ = try predictions.insert([.text("r:m1:P\(i)"), .text("m1"), .text("P\(i)"), .decimal(5000), stamp])
            }
        }
        #expect(try db.store.rowCount("ml_models") == 1)
        #expect(try db.store.rowCount("model_predictions") == 300)
    }

    @Test func reIngestIsIdempotentAndCountsSkippedRows() throws {
        let db = try TestServer.main().scratchDatabase("ingest")
        defer { db.drop() }
        try db.store.migrate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mysql-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("customers.csv").path
        var csv = "customer_id,customer_name,industry,annual_revenue,risk_score\n"
        for i in 0..<1234 { csv += "C\(i),Customer \(i),Retail,\(i * 1000).50,0.\(i % 100 < 10 ? "0" : "")\(i % 100)\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)

        let first = try Ingestor(store: db.store, table: Catalog.customerAnalytics).ingest(files: [path])
        #expect(first.inserted == 1234 && first.skipped == 0)
        let second = try Ingestor(store: db.store, table: Catalog.customerAnalytics).ingest(files: [path])
        #expect(second.inserted == 0 && second.skipped == 1234)
        #expect(try db.store.rowCount("customer_analytics") == 1234)
        let revenue = try db.store.query(
            "SELECT annual_revenue FROM customer_analytics WHERE customer_id = 'C1233'", arguments: [], columnTypes: [.money])
        #expect(revenue == [[.decimal(123_300_050)]])

        try (csv.replacingOccurrences(of: "Retail", with: "Media")).write(toFile: path, atomically: true, encoding: .utf8)
        var upsert = IngestOptions()
        upsert.onConflict = .replace
        _ = try Ingestor(store: db.store, table: Catalog.customerAnalytics, options: upsert).ingest(files: [path])
        let industries = try db.store.query("SELECT DISTINCT industry FROM customer_analytics", arguments: [], columnTypes: [.longText])
        #expect(industries == [[.text("Media")]])
    }

    @Test func aRowOnlyTheServerRefusesFailsTheWholeIngestEvenWhenRejectsAreAllowed() throws {
        let db = try TestServer.main().scratchDatabase("refused")
        defer { db.drop() }
        try db.store.migrate()
        // A rule the file's parser does not know, so only the server enforces it: the row is refused
        // in a group of rows, some inserts later, and the other rows of that group are not written.
        try MySQLConnection(try db.server.options(database: db.name))
            .execute("ALTER TABLE customer_analytics ADD CONSTRAINT no_bad_industry CHECK (industry <> 'BAD')")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mysql-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("customers.csv").path
        var csv = "customer_id,customer_name,industry\n"
        // Enough groups after the refused one that the refusal surfaces while rows are still being read
        // (the pipeline holds at most two groups), not only when the batch is flushed.
        for i in 0..<5000 { csv += "C\(i),Customer \(i),\(i == 700 ? "BAD" : "Retail")\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        for maxRejected in [0, 10] {
            var options = IngestOptions()
            options.maxRejected = maxRejected
            #expect {
                _ = try Ingestor(store: db.store, table: Catalog.customerAnalytics, options: options).ingest(files: [path])
            } throws: { error in
                // The whole group is refused; no innocent row that happened to come later is blamed.
                guard let ingest = error as? IngestError else { return false }
                return ingest.line == 0 && ingest.message.contains("no_bad_industry") && ingest.message.contains("nothing was written")
            }
            #expect(try db.store.rowCount("customer_analytics") == 0)
        }
    }

    @Test func longTextBetweenShortTextComesBackExactly() throws {
        let db = try TestServer.main().scratchDatabase("longtext")
        defer { db.drop() }
        // Values longer than the first fetch buffer are fetched again into a larger one, which must
        // then serve the rows after it too.
        let expected = [String(repeating: "A", count: 201), "b", "cc", String(repeating: "D", count: 3000), "e", ""]
        let sql = expected.enumerated().map { "SELECT \($0.offset) AS k, ? AS v" }.joined(separator: " UNION ALL ")
        let rows = try db.store.query(
            "SELECT v FROM (\(sql)) t ORDER BY k", arguments: expected.map { .text($0) }, columnTypes: [.longText])
        #expect(rows == expected.map { [.text($0)] })
    }

    @Test func numbersBeyondTheirTypeAreErrorsNotCrashes() throws {
        let db = try TestServer.main().scratchDatabase("range")
        defer { db.drop() }
        #expect {
            _ = try db.store.query("SELECT CAST('99999999999999999.99' AS DECIMAL(30,2))", arguments: [], columnTypes: [.money])
        } throws: { error in
            guard (error as? StoreError)?.kind == .typeMismatch else { return false }
            return true
        }
        #expect(
            try db.store.query("SELECT CAST('-9999999999999999.99' AS DECIMAL(30,2))", arguments: [], columnTypes: [.money])
                == [[.decimal(-999_999_999_999_999_999)]])
    }

    @Test func aScanItsReaderAbandonsEndsWithoutReadingTheRest() throws {
        let db = try TestServer.main().scratchDatabase("abandon", pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 5))
        defer { db.drop() }
        try db.store.migrate()
        try db.store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.customerAnalytics, columns: ["customer_id"], onConflict: .fail)
            for i in 0..<50_000 { _ = try inserter.insert([.text("C\(i)")]) }
        }
        struct Enough: Error {}
        var batches = 0
        #expect {
            try db.store.scan(Catalog.customerAnalytics, columns: ["customer_id"], batchSize: 100) { _ in
                batches += 1
                throw Enough()
            }
        } throws: { error in "\(error)".contains("Enough") }
        #expect(batches == 1)
        // The abandoned connection was replaced: the pool's only slot serves the next read.
        #expect(try db.store.rowCount("customer_analytics") == 50_000)
    }

    @Test func aBatchThatFailsLeavesNothingBehind() throws {
        let db = try TestServer.main().scratchDatabase("atomic")
        defer { db.drop() }
        try db.store.migrate()
        try db.store.writeBatch { writer in
            _ = try writer.inserter(for: Catalog.customerAnalytics, columns: ["customer_id"], onConflict: .fail).insert([.text("C7")])
        }
        #expect {
            try db.store.writeBatch { writer in
                let inserter = try writer.inserter(for: Catalog.customerAnalytics, columns: ["customer_id"], onConflict: .fail)
                for i in 0..<2000 { _ = try inserter.insert([.text("C\(i + 100)")]) }
                _ = try inserter.insert([.text("C7")])
            }
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .duplicateKey else { return false }
            let table = storeError.table ?? ""
            let key = storeError.key ?? ""
            return table == "customer_analytics" && key == "C7"
        }
        #expect(try db.store.rowCount("customer_analytics") == 1)
        // A value the column cannot hold is refused by the server (strict mode), naming the table.
        #expect {
            try db.store.writeBatch { writer in
                _ = try writer.inserter(for: Catalog.customerAnalytics, columns: ["customer_id", "credit_rating"], onConflict: .fail)
                    .insert([.text("C8"), .text("a rating far longer than ten characters")])
            }
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .constraint else { return false }
            let table = storeError.table ?? ""
            return table == "customer_analytics"
        }
        #expect(try db.store.rowCount("customer_analytics") == 1)
    }
}

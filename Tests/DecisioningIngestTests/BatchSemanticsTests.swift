import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation
import Testing

@Suite("Ingest batches: atomicity, idempotence, conflicts, rejected rows")
struct BatchSemanticsTests {
    @Test("re-ingesting the same file inserts nothing and leaves the table unchanged")
    func idempotent() throws {
        let f = try Fixture()
        let path = try f.file("p.csv", [projectsHeader, projectLine("P1"), projectLine("P2"), projectLine("P3")].joined(separator: "\n"))
        let first = try f.ingest(Catalog.projects, [path])
        #expect((first.inserted, first.skipped) == (3, 0))
        let before = try f.rows(Catalog.projects)
        let second = try f.ingest(Catalog.projects, [path])
        #expect((second.inserted, second.skipped, second.rejected) == (0, 3, 0))
        #expect(try f.rows(Catalog.projects) == before)
    }

    @Test("onConflict .replace overwrites rows with the same primary key")
    func upsert() throws {
        let f = try Fixture()
        let first = try f.file(
            "a.csv", [projectsHeader, projectLine("P1", budget: "100"), projectLine("P2", budget: "200")].joined(separator: "\n"))
        try f.ingest(Catalog.projects, [first])
        let second = try f.file(
            "b.jsonl", #"{"project_id":"P2","project_name":"Renamed","start_date":"2024-06-01","budget_amount":"250.75"}"#)
        let skipped = try f.ingest(Catalog.projects, [second])
        #expect((skipped.inserted, skipped.skipped) == (0, 1))
        #expect(try f.column(Catalog.projects, "project_name") == ["Project P1", "Project P2"])
        let replaced = try f.ingest(Catalog.projects, [second], options: IngestOptions(onConflict: .replace))
        #expect((replaced.inserted, replaced.replaced, replaced.skipped) == (0, 1, 0))
        #expect(try f.column(Catalog.projects, "project_name") == ["Project P1", "Renamed"])
        #expect(try f.column(Catalog.projects, "budget_amount") == ["100.00", "250.75"])
        #expect(try f.column(Catalog.projects, "start_date") == ["2024-01-15", "2024-06-01"])
        // Columns the upsert did not name keep their values.
        #expect(try f.column(Catalog.projects, "status") == ["active", "active"])
    }

    @Test("onConflict .fail rejects rows already in the table")
    func failPolicy() throws {
        let f = try Fixture()
        let path = try f.file("p.csv", [projectsHeader, projectLine("P1")].joined(separator: "\n"))
        try f.ingest(Catalog.projects, [path])
        #expect(
            f.failure(Catalog.projects, [path], options: IngestOptions(onConflict: .fail))
                == "\(path):2: primary key 'P1' is already in table projects")
    }

    @Test("a bad row late in a file leaves the table exactly as it was")
    func atomicWithinFile() throws {
        let f = try Fixture()
        let seed = try f.file("seed.csv", [projectsHeader, projectLine("S1"), projectLine("S2")].joined(separator: "\n"))
        try f.ingest(Catalog.projects, [seed])
        let before = try f.rows(Catalog.projects)
        var lines = [projectsHeader] + (1...500).map { projectLine("P\($0)") }
        lines.append(projectLine("P501", budget: "1.234"))
        lines += (502...510).map { projectLine("P\($0)") }
        let path = try f.file("p.csv", lines.joined(separator: "\n"))
        #expect(
            f.failure(Catalog.projects, [path]) == "\(path):502: column 'budget_amount': "
                + "expected a decimal number with at most 13 integer digits and 2 decimal places (DECIMAL(15,2)), found '1.234', which has more than 2 decimal places"
        )
        #expect(try f.rows(Catalog.projects) == before)
    }

    @Test("all files of one call are one batch: a bad second file rolls back the first")
    func atomicAcrossFiles() throws {
        let f = try Fixture()
        let good = try f.file("a.csv", [projectsHeader, projectLine("P1"), projectLine("P2")].joined(separator: "\n"))
        let bad = try f.file("b.jsonl", #"{"project_id":"P3","project_name":"Three","start_date":"2024-02-30"}"#)
        #expect(
            f.failure(Catalog.projects, [good, bad]) == "\(bad):1: column 'start_date': expected a date as YYYY-MM-DD, found '2024-02-30'")
        #expect(try f.store.rowCount("projects") == 0)
        // A missing file is found before anything is written.
        #expect(
            f.failure(Catalog.projects, [good, f.directory + "/missing.csv"])
                == "\(f.directory)/missing.csv: cannot open the file: no such file")
        #expect(try f.store.rowCount("projects") == 0)
    }

    @Test("duplicate primary keys inside one batch name where the key was first seen")
    func duplicateKeys() throws {
        let f = try Fixture()
        let path = try f.file("p.csv", [projectsHeader, projectLine("P1"), projectLine("P2"), projectLine("P1")].joined(separator: "\n"))
        #expect(f.failure(Catalog.projects, [path]) == "\(path):4: duplicate primary key 'P1' (first seen at \(path):2)")
        #expect(try f.store.rowCount("projects") == 0)

        let other = try f.file("q.jsonl", "\n" + #"{"project_id":"P2","project_name":"Again","start_date":"2024-01-01"}"#)
        #expect(
            f.failure(Catalog.projects, [try f.file("r.csv", [projectsHeader, projectLine("P2")].joined(separator: "\n")), other])
                == "\(other):2: duplicate primary key 'P2' (first seen at \(f.directory)/r.csv:2)")

        // With rejected rows allowed, the first occurrence is kept and the later one rejected.
        let summary = try f.ingest(Catalog.projects, [path], options: IngestOptions(maxRejected: 10))
        #expect((summary.inserted, summary.rejected) == (2, 1))
        #expect(try f.column(Catalog.projects, "project_id") == ["P1", "P2"])
    }

    @Test("maxRejected skips and counts bad rows, keeps their errors, and aborts beyond the limit")
    func maxRejected() throws {
        let f = try Fixture()
        let path = try f.file(
            "p.csv",
            [
                projectsHeader, projectLine("P1"), projectLine("P2", start: "2024-13-01"), "P3,short",
                projectLine("P4"), projectLine("P5", budget: "lots"), projectLine("P6"),
            ].joined(separator: "\n") + "\n")
        let summary = try f.ingest(Catalog.projects, [path], options: IngestOptions(maxRejected: 3))
        #expect((summary.inserted, summary.skipped, summary.rejected) == (3, 0, 3))
        #expect(
            summary.errors.map(\.description) == [
                "\(path):3: column 'start_date': expected a date as YYYY-MM-DD, found '2024-13-01'",
                "\(path):4: expected 10 fields, found 2",
                "\(path):6: column 'budget_amount': expected a decimal number with at most 13 integer digits and 2 decimal places (DECIMAL(15,2)), found 'lots'",
            ])
        #expect(
            summary.errors[0]
                == IngestError(file: path, line: 3, column: "start_date", message: "expected a date as YYYY-MM-DD, found '2024-13-01'"))
        #expect(try f.column(Catalog.projects, "project_id") == ["P1", "P4", "P6"])

        let f2 = try Fixture()
        let path2 = try f2.file("p.csv", try String(contentsOfFile: path, encoding: .utf8))
        do {
            try f2.ingest(Catalog.projects, [path2], options: IngestOptions(maxRejected: 2))
            Issue.record("expected the ingest to abort")
        } catch let aborted as IngestAborted {
            #expect(aborted.errors.count == 3)
            #expect(
                aborted.description.hasPrefix(
                    "more than 2 bad rows; the ingest was aborted and nothing was written\n  \(path2):3: column 'start_date'"))
        }
        #expect(try f2.store.rowCount("projects") == 0)
    }

    @Test("JSON Lines rows are rejected and counted the same way")
    func maxRejectedJSONL() throws {
        let f = try Fixture()
        let path = try f.file(
            "c.jsonl",
            [
                #"{"customer_id":"C1"}"#,
                #"{"customer_id":"C2","colour":"red"}"#,
                #"{"customer_id":"C3""#,
                #"42"#,
                #"{"customer_id":"C5","payment_terms":"thirty"}"#,
                #"{"customer_id":"C6","risk_score":0.5}"#,
            ].joined(separator: "\n") + "\n")
        let summary = try f.ingest(Catalog.customerAnalytics, [path], options: IngestOptions(maxRejected: 4))
        #expect((summary.inserted, summary.rejected) == (2, 4))
        #expect(summary.errors.map { "\($0.line) \($0.column ?? "-")" } == ["2 -", "3 -", "4 -", "5 payment_terms"])
        #expect(summary.errors[2].message == "expected a JSON object, found a number")
        #expect(try f.column(Catalog.customerAnalytics, "customer_id") == ["C1", "C6"])
    }

    @Test("a row the database refuses (a foreign key) is an error at its line")
    func databaseConstraint() throws {
        let f = try Fixture()
        let models = try f.file("m.csv", "model_id,model_name\nM1,churn\n")
        let predictions = try f.file("p.csv", "prediction_id,model_id,prediction_value\nX1,M1,0.5\nX2,M9,0.25\n")
        try f.ingest(Catalog.mlModels, [models])
        #expect(
            f.failure(Catalog.modelPredictions, [predictions])
                == "\(predictions):3: the database refused the row: FOREIGN KEY constraint failed")
        #expect(try f.store.rowCount("model_predictions") == 0)
        let summary = try f.ingest(Catalog.modelPredictions, [predictions], options: IngestOptions(maxRejected: 1))
        #expect((summary.inserted, summary.rejected) == (1, 1))
        #expect(try f.column(Catalog.modelPredictions, "prediction_value") == ["0.5000"])
    }

    @Test("the progress callback ends at the total byte count")
    func progress() throws {
        let f = try Fixture()
        let a = try f.file("a.csv", [projectsHeader, projectLine("P1")].joined(separator: "\n"))
        let b = try f.file("b.jsonl", #"{"project_id":"P2","project_name":"Two","start_date":"2024-01-01"}"# + "\n")
        var reports: [Int64] = []
        let summary = try Ingestor(store: f.store, table: Catalog.projects) { done, total in
            #expect(total == 0 || done <= total)
            reports.append(done)
        }.ingest(files: [a, b])
        #expect(summary.inserted == 2)
        #expect(reports.last == summary.bytes)
        #expect(reports == reports.sorted())
    }

    /// A throughput measurement, off unless INGEST_BENCH_ROWS is set:
    /// `INGEST_BENCH_ROWS=5000000 swift test -c release --filter benchmark`.
    @Test("benchmark: financial_metrics CSV into SQLite", .enabled(if: ProcessInfo.processInfo.environment["INGEST_BENCH_ROWS"] != nil))
    func benchmark() throws {
        let count = Int(ProcessInfo.processInfo.environment["INGEST_BENCH_ROWS"] ?? "") ?? 1_000_000
        let f = try Fixture()
        let path = f.directory + "/metrics.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var chunk = "metric_id,project_id,metric_type,metric_value,metric_date,currency_code\n"
        let types = ["revenue", "cost", "margin", "budget_variance", "cash_flow"]
        for i in 0..<count {
            chunk +=
                "FM\(i),PRJ-\(i % 5000),\(types[i % 5]),\(i % 9_000_000 + 1000).\(i % 90 + 10),2024-\(i % 12 < 9 ? "0" : "")\(i % 12 + 1)-\(i % 28 + 10),USD\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        let summary = try f.ingest(Catalog.financialMetrics, [path])
        #expect(summary.inserted == count)
        print(
            "ingest benchmark: \(count) rows, \(summary.bytes >> 20) MiB in \(String(format: "%.2f", summary.seconds)) s = \(Int(summary.rowsPerSecond)) rows/s"
        )
    }
}

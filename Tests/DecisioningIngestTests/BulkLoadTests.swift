import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation
import Testing

/// The header of the generated financial_metrics CSV.
let metricsHeader = "metric_id,project_id,metric_type,metric_value,metric_date,currency_code,created_at"

/// Metric row `n`: ids in order, dates and types varied so that the analytics index is not in load order.
func metricLine(_ n: Int, value: String? = nil, date: String? = nil) -> String {
    let types = ["REVENUE", "COST", "MARGIN"]
    let day = date ?? String(format: "2024-%02d-%02d", (n * 7) % 12 + 1, (n * 5) % 28 + 1)
    return "M-\(String(format: "%07d", n)),P-\(n % 37),\(types[n % 3]),\(value ?? "\(n % 1000).\(n % 100)"),\(day),USD,2024-01-01 02:00:00"
}

@Suite("Bulk loads into SQLite: indexes built after the load, keys told by rowid")
struct BulkLoadTests {
    static let table = Catalog.financialMetrics

    /// `PRAGMA index_list` of financial_metrics with each index's columns, as text lines.
    static func indexes(_ store: SQLiteStore) throws -> [String] {
        let list = try store.query(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list('financial_metrics') ORDER BY name", arguments: [],
            columnTypes: [.text(maxLength: 100), .integer, .text(maxLength: 10), .integer])
        return try list.map { index in
            guard case .text(let name) = index[0] else { return "?" }
            let columns = try store.query(
                "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [.text(name)], columnTypes: [.text(maxLength: 100)])
            return index.map(\.description).joined(separator: " ") + ": " + columns.map(\.[0].description).joined(separator: ", ")
        }
    }

    /// The rows in the analytics index's order, read through that index.
    static func throughIndex(_ store: SQLiteStore) throws -> [[Value]] {
        try store.query(
            "SELECT metric_date, metric_type, project_id, metric_id FROM financial_metrics INDEXED BY idx_analytics "
                + "WHERE metric_date >= '2024-03-01' ORDER BY metric_date, metric_type, project_id, metric_id",
            arguments: [], columnTypes: [.text(maxLength: 10), .text(maxLength: 50), .text(maxLength: 50), .text(maxLength: 50)])
    }

    @Test("the index-rebuild path gives the same rows and indexes as the row-by-row path")
    func sameResult() throws {
        let lines = [metricsHeader] + (1...3000).map { metricLine($0) }
        let bulk = try Fixture()
        let rowByRow = try Fixture()
        let expected = try Self.indexes(bulk.store)
        #expect(expected.contains { $0.hasPrefix("idx_analytics 0 c 0: metric_date, metric_type, project_id") })
        let a = try bulk.ingest(Self.table, [try bulk.file("m.csv", lines.joined(separator: "\n"))])
        let b = try rowByRow.ingest(
            Self.table, [try rowByRow.file("m.csv", lines.joined(separator: "\n"))], options: IngestOptions(rebuildIndexes: false))
        #expect((a.inserted, b.inserted) == (3000, 3000))
        #expect(try bulk.rows(Self.table) == rowByRow.rows(Self.table))
        #expect(try Self.indexes(bulk.store) == expected)
        #expect(try Self.indexes(rowByRow.store) == expected)
        let indexed = try Self.throughIndex(bulk.store)
        #expect(indexed.count > 2000)
        #expect(try indexed == Self.throughIndex(rowByRow.store))
        #expect(try bulk.store.query("PRAGMA integrity_check", arguments: [], columnTypes: [.text(maxLength: 100)]) == [[.text("ok")]])
    }

    @Test("a bad row at the end of a large file leaves the empty table and its indexes as they were")
    func atomic() throws {
        let f = try Fixture()
        let before = try Self.indexes(f.store)
        let lines = [metricsHeader] + (1...20_000).map { metricLine($0) } + [metricLine(20_001, date: "2024-02-30")]
        let path = try f.file("m.csv", lines.joined(separator: "\n"))
        #expect(
            f.failure(Self.table, [path])
                == "\(path):20002: column 'metric_date': expected a date as YYYY-MM-DD, found '2024-02-30'")
        #expect(try f.store.rowCount("financial_metrics") == 0)
        #expect(try Self.indexes(f.store) == before)
        // The next load of the same table still finds its indexes and builds them from its rows.
        let good = try f.file("good.csv", lines.dropLast().joined(separator: "\n"))
        #expect(try f.ingest(Self.table, [good]).inserted == 20_000)
        #expect(try Self.indexes(f.store) == before)
        #expect(try Self.throughIndex(f.store).count > 10_000)
    }

    @Test("re-running a bulk load skips every row; --upsert replaces them; the table is unchanged")
    func idempotent() throws {
        let f = try Fixture()
        let path = try f.file("m.csv", ([metricsHeader] + (1...5000).map { metricLine($0) }).joined(separator: "\n"))
        let first = try f.ingest(Self.table, [path])
        let rows = try f.rows(Self.table)
        let again = try f.ingest(Self.table, [path])
        #expect((first.inserted, first.skipped, again.inserted, again.skipped) == (5000, 0, 0, 5000))
        let upsert = try f.ingest(Self.table, [path], options: IngestOptions(onConflict: .replace))
        #expect((upsert.inserted, upsert.replaced, upsert.skipped) == (0, 5000, 0))
        #expect(try f.rows(Self.table) == rows)
        // A file with old and new rows: new ones inserted, old ones skipped.
        let more = try f.file("more.csv", ([metricsHeader] + (4001...6000).map { metricLine($0) }).joined(separator: "\n"))
        let mixed = try f.ingest(Self.table, [more])
        #expect((mixed.inserted, mixed.skipped) == (1000, 1000))
        #expect(try f.store.rowCount("financial_metrics") == 6000)
    }

    @Test("a key repeated in the batch names the line of its first row, across rejected rows, blank lines and files")
    func repeatedKeys() throws {
        let f = try Fixture()
        let a = try f.file(
            "a.csv",
            [metricsHeader, metricLine(1), metricLine(2, date: "yesterday"), "", metricLine(3), metricLine(4), metricLine(3)]
                .joined(separator: "\n"))
        let b = try f.file("b.csv", [metricsHeader, metricLine(5), metricLine(4)].joined(separator: "\n"))
        let summary = try f.ingest(Self.table, [a, b], options: IngestOptions(maxRejected: 5))
        #expect((summary.inserted, summary.rejected) == (4, 3))
        #expect(
            summary.errors.map(\.description) == [
                "\(a):3: column 'metric_date': expected a date as YYYY-MM-DD, found 'yesterday'",
                "\(a):7: duplicate primary key 'M-0000003' (first seen at \(a):5)",
                "\(b):3: duplicate primary key 'M-0000004' (first seen at \(a):6)",
            ])
        // Strict: the first repeat aborts the batch and nothing is written.
        let g = try Fixture()
        let c = try g.file("c.csv", [metricsHeader, metricLine(1), metricLine(2), metricLine(1)].joined(separator: "\n"))
        #expect(g.failure(Self.table, [c]) == "\(c):4: duplicate primary key 'M-0000001' (first seen at \(c):2)")
        #expect(try g.store.rowCount("financial_metrics") == 0)
    }

    @Test("an upsert whose file repeats a key keeps the first row and rejects the repeat")
    func upsertRepeat() throws {
        let f = try Fixture()
        try f.ingest(Self.table, [try f.file("seed.csv", [metricsHeader, metricLine(1), metricLine(2)].joined(separator: "\n"))])
        let path = try f.file(
            "u.csv",
            [
                metricsHeader, metricLine(1, value: "5.00"), metricLine(3, value: "7.00"), metricLine(1, value: "9.00"),
                metricLine(3, value: "8.00"),
            ]
            .joined(separator: "\n"))
        let summary = try f.ingest(Self.table, [path], options: IngestOptions(onConflict: .replace, maxRejected: 2))
        #expect((summary.inserted, summary.replaced, summary.rejected) == (1, 1, 2))
        #expect(
            summary.errors.map(\.description) == [
                "\(path):4: duplicate primary key 'M-0000001' (first seen at \(path):2)",
                "\(path):5: duplicate primary key 'M-0000003' (first seen at \(path):3)",
            ])
        #expect(try f.column(Self.table, "metric_value") == ["5.00", "2.20", "7.00"])
    }

    @Test("--fail on a bulk path names the row whose key is already stored")
    func failPolicy() throws {
        let f = try Fixture()
        try f.ingest(Self.table, [try f.file("seed.csv", [metricsHeader, metricLine(1)].joined(separator: "\n"))])
        let path = try f.file("m.csv", [metricsHeader, metricLine(2), metricLine(1)].joined(separator: "\n"))
        #expect(
            f.failure(Self.table, [path], options: IngestOptions(onConflict: .fail))
                == "\(path):3: primary key 'M-0000001' is already in table financial_metrics")
        #expect(try f.store.rowCount("financial_metrics") == 1)
    }
}

import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation
import Testing

/// A migrated SQLite store in a fresh temporary directory, plus helpers to write input files into it.
final class Fixture {
    let directory: String
    let store: SQLiteStore

    init() throws {
        directory = NSTemporaryDirectory() + "decisioning-ingest-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/test.sqlite")
        _ = try store.migrate()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `text` (as UTF-8) to a file named `name`; returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func ingest(_ table: TableSchema, _ files: [String], options: IngestOptions = IngestOptions()) throws -> IngestSummary {
        try Ingestor(store: store, table: table, options: options).ingest(files: files)
    }

    /// The error a strict ingest throws, as text.
    func failure(_ table: TableSchema, _ files: [String], options: IngestOptions = IngestOptions()) -> String? {
        do {
            try ingest(table, files, options: options)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func rows(_ table: TableSchema, columns: [String]? = nil) throws -> [[Value]] {
        var all: [[Value]] = []
        try store.scan(table, columns: columns, batchSize: 1000) { all += $0 }
        return all
    }

    /// One column of every row, rendered as text (NULL as "NULL").
    func column(_ table: TableSchema, _ name: String) throws -> [String] {
        let type = table.column(name)!.type
        return try rows(table, columns: [name]).map { $0[0].isNull ? "NULL" : $0[0].rendered(as: type) }
    }
}

/// The projects header with every column.
let projectsHeader = "project_id,project_name,project_type,start_date,end_date,budget_amount,actual_cost,status,customer_id,created_at"

/// A full projects CSV line.
func projectLine(_ id: String, budget: String = "1000.00", start: String = "2024-01-15") -> String {
    "\(id),Project \(id),consulting,\(start),2024-12-31,\(budget),250.50,active,C1,2024-01-01 09:00:00"
}

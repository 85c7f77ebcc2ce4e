import DecisioningCore
import DecisioningStore
import Testing

/// Migration 0006 adds `projects.description` to files made before it, keeping their rows.
@Suite struct ProjectDescriptionMigrationTests {
    @Test func aFileWithoutTheColumnGetsItAndKeepsItsProjects() throws {
        let (store, path, earlier) = try makeStore(before: "0006_project_descriptions") { writer in
            try writer.execute(
                "INSERT INTO projects (project_id, project_name, start_date, budget_amount) VALUES ('P1', 'Old one', '2025-01-01', 100000)",
                arguments: [])
        }
        #expect(earlier.count == 5)
        #expect(try Self.columns(store).contains("description") == false)
        #expect(try store.migrate() == ["0006_project_descriptions"])
        #expect(try Self.columns(store) == Catalog.projects.columns.map(\.name))
        let rows = try store.query(
            "SELECT project_id, budget_amount, description FROM projects", arguments: [],
            columnTypes: [.text(maxLength: 50), .money, .longText], cancellation: nil)
        #expect(rows.count == 1)
        #expect(rows.first?[0] == .text("P1"))
        #expect(rows.first?[2] == .null)
        // A description of any length (TEXT, not VARCHAR) is kept as written.
        let long = String(repeating: "Move the ledger off the mainframe, with a parallel run. ", count: 200)
        try store.writeBatch { writer in
            try writer.execute("UPDATE projects SET description = ? WHERE project_id = 'P1'", arguments: [.text(long)])
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.migrate().isEmpty)
        let again = try reopened.query(
            "SELECT description FROM projects", arguments: [], columnTypes: [.longText], cancellation: nil)
        #expect(again.first?[0] == .text(long))
    }

    static func columns(_ store: SQLiteStore) throws -> [String] {
        try store.query("SELECT name FROM pragma_table_info('projects') ORDER BY cid", arguments: [], columnTypes: [.text(maxLength: 50)])
            .map { $0[0].description }
    }
}

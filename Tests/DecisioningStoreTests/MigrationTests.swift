import DecisioningCore
import DecisioningStore
import Testing

@Suite struct MigrationTests {
    @Test func migratesFromEmptyAndReRunsAsNoOp() throws {
        let (store, path) = try makeTemporaryStore(migrate: false)
        #expect(try store.appliedMigrations().isEmpty)
        let first = try store.migrate()
        #expect(first == Migrations.all.map(\.id))
        #expect(try store.migrate().isEmpty)
        #expect(try store.appliedMigrations() == Migrations.all.map(\.id))
        // A second process opening the same file sees the same history.
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.migrate().isEmpty)
        for table in Catalog.all { #expect(try reopened.rowCount(table.name) == 0) }
    }

    @Test func sqliteSchemaMatchesTheCatalog() throws {
        let (store, _) = try makeTemporaryStore()
        for table in Catalog.all {
            let rows = try store.query(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
                arguments: [.text(table.name)], columnTypes: [.longText, .longText, .integer, .integer])
            #expect(rows.map { $0[0].description } == table.columnNames, "columns of \(table.name)")
            for (row, column) in zip(rows, table.columns) {
                let expected: String
                switch column.type {
                case .text, .longText, .json, .date, .timestamp: expected = "TEXT"
                case .integer, .decimal, .boolean: expected = "INTEGER"
                case .double: expected = "REAL"
                case .vector: expected = "BLOB"
                }
                #expect(row[1].description == expected, "type of \(table.name).\(column.name)")
                #expect(
                    (row[2] == .integer(1)) == !column.nullable || table.primaryKey.contains(column.name),
                    "nullability of \(table.name).\(column.name)")
                #expect((row[3] != .integer(0)) == table.primaryKey.contains(column.name), "primary key of \(table.name).\(column.name)")
            }
        }
    }
}

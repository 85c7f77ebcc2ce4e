import DecisioningStore
import Foundation

/// A migrated SQLite store in a fresh temporary directory.
func makeTemporaryStore(migrate: Bool = true) throws -> (SQLiteStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("test.sqlite").path
    let store = try SQLiteStore(path: path)
    if migrate { try store.migrate() }
    return (store, path)
}

/// A store in a fresh temporary file as the migrations before `id` left it (recorded in
/// `schema_migrations` as an older binary would have), with `seed` run in the same transaction.
func makeStore(
    before id: String, seed: (any BatchWriter) throws -> Void = { _ in }
) throws -> (store: SQLiteStore, path: String, earlier: [Migration]) {
    let (store, path) = try makeTemporaryStore(migrate: false)
    let earlier = Array(Migrations.all.prefix { $0.id != id })
    try store.writeBatch { writer in
        try writer.execute("CREATE TABLE schema_migrations (id TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT", arguments: [])
        for migration in earlier {
            for statement in migration.sqlite { try writer.execute(statement, arguments: []) }
            try writer.execute(
                "INSERT INTO schema_migrations (id, applied_at) VALUES (?, '2026-01-01 00:00:00')", arguments: [.text(migration.id)])
        }
        try seed(writer)
    }
    return (store, path, earlier)
}

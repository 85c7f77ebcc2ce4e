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

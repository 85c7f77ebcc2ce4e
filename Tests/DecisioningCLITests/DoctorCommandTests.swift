import Foundation
import Testing

/// What `decisioning doctor` says of a SQLite database: where each kind of work runs.
@Suite struct DoctorCommandTests {
    @Test func itSaysVectorSearchRunsInProcess() throws {
        let dir = FileManager.default.temporaryDirectory
        let database = "sqlite:\(dir.path)/doctor-\(UUID().uuidString).sqlite"
        let outcome = try CommandLineTests.run(["doctor", "--database", database], in: dir)
        #expect(outcome.status == 0, "\(outcome.all)")
        #expect(
            outcome.stdout.contains(
                "  vector search: in process: exact k-NN over project case vectors (Discovery's precedents, `similar`), "
                    + "text search over event notes and project descriptions (`search`), HNSW for `vectors`\n"),
            "\(outcome.all)")
        #expect(!outcome.stdout.contains("no agent searches embeddings"), "\(outcome.all)")
    }

    /// The file's page size: 16 KiB for a file the store made; an older 4 KiB file is named, with the way on.
    @Test func itNamesTheFilesPageSize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CommandLineTests.run(["init", "--database", "sqlite:new.sqlite"], in: dir).status == 0)
        let made = try CommandLineTests.run(["doctor", "--database", "sqlite:new.sqlite"], in: dir)
        #expect(made.status == 0, "\(made.all)")
        #expect(made.stdout.contains(", 16 KiB pages)\n"), "\(made.all)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "sqlite3", dir.appendingPathComponent("old.sqlite").path,
            "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE note (x INTEGER);",
        ]
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let old = try CommandLineTests.run(["doctor", "--database", "sqlite:old.sqlite"], in: dir)
        #expect(old.status == 0, "\(old.all)")
        #expect(
            old.stdout.contains(", 4 KiB pages; files made now get 16 KiB, docs/ARCHITECTURE.md says how to convert)\n"), "\(old.all)")
    }
}

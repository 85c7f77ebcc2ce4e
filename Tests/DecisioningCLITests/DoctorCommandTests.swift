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
                    + "text search over event notes (`search`), HNSW for `vectors`\n"),
            "\(outcome.all)")
        #expect(!outcome.stdout.contains("no agent searches embeddings"), "\(outcome.all)")
    }
}

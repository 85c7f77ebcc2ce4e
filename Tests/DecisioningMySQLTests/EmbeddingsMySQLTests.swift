import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningSynth
import DecisioningTestSupport
import Foundation
import Testing

/// business_embeddings on MariaDB: the same vectors, bit for bit, as on SQLite, stored as float32
/// blobs, refreshed incrementally; and the same similar cases.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct EmbeddingsMySQLTests {
    static let asOf = Day(iso: "2026-11-25")!

    @Test func caseVectorsAndPrecedentsOnMariaDBEqualSQLites() throws {
        let db = try TestServer.main().scratchDatabase("embeddings")
        defer { db.drop() }
        try db.store.migrate()
        let maria = Application(store: db.store, url: db.url, configuration: Configuration())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("embeddings-mysql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lite = try Application.open(.sqlite(path: dir.appendingPathComponent("e.sqlite").path), configuration: Configuration())
        let spec = GeneratorSpec(scale: 0.005, seed: 13, asOf: Self.asOf)
        _ = try maria.generate(Generator(spec: spec), keepTruth: false)
        _ = try lite.generate(Generator(spec: spec), keepTruth: false)

        let onMaria = try maria.refreshProjectCaseEmbeddings(asOf: Self.asOf)
        let onLite = try lite.refreshProjectCaseEmbeddings(asOf: Self.asOf)
        #expect(onMaria == onLite && onMaria.computed > 100)
        let book = EmbeddingBook(entityType: "PROJECT", model: onMaria.model)
        let mariaVectors = try book.load(from: maria.store)
        let liteVectors = try book.load(from: lite.store)
        #expect(mariaVectors.count == onMaria.computed)
        #expect(mariaVectors.map(\.entityId) == liteVectors.map(\.entityId))
        #expect(zip(mariaVectors, liteVectors).allSatisfy { $0.vector.map(\.bitPattern) == $1.vector.map(\.bitPattern) })
        let lengths = try maria.store.query(
            "SELECT DISTINCT LENGTH(embedding_vector) FROM business_embeddings", arguments: [], columnTypes: [.integer],
            cancellation: nil)
        #expect(lengths == [[.integer(Int64(4 * (onMaria.dimension ?? 0)))]])
        #expect(try maria.refreshProjectCaseEmbeddings(asOf: Self.asOf).computed == 0)

        let id = try #require(liteVectors.first?.entityId)
        let a = try maria.similarProjects(id, asOf: Self.asOf, k: 10)
        let b = try lite.similarProjects(id, asOf: Self.asOf, k: 10)
        #expect(a.precedent == b.precedent && a.precedent.cases.count == 10)
    }
}

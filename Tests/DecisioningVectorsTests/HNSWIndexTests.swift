import DecisioningVectors
import Foundation
import Testing

@Suite struct HNSWIndexTests {
    // Small enough for a debug build to test in seconds; bench/vectors.sh measures recall at scale.
    static let base = VectorTestData.clustered(rows: 5000, dimensions: 16, clusters: 40, seed: 11)
    static let queries = VectorTestData.clustered(rows: 100, dimensions: 16, clusters: 40, seed: 11 ^ 0xFF)
    static let parameters = HNSWParameters(m: 12, efConstruction: 100, ef: 64, seed: 7)
    /// Built once for the tests that search it.
    static let index = try! HNSWIndex(base: base, metric: .l2, parameters: parameters)

    @Test func recallAt10AgainstExact() throws {
        let index = Self.index
        let truth = try ExactSearch(base: Self.base, metric: .l2).search(Self.queries, k: 10)
        let found = try index.search(Self.queries, k: 10)
        let recall = VectorTestData.recall(found, truth)
        #expect(recall >= 0.95, "recall@10 \(recall)")
    }

    @Test func sameSeedSameGraphWhateverTheThreads() throws {
        let base = VectorTestData.clustered(rows: 1500, dimensions: 8, clusters: 20, seed: 12)
        let one = try HNSWIndex(base: base, metric: .cosine, parameters: .init(m: 8, efConstruction: 40, seed: 5), workers: 1)
        let two = try HNSWIndex(base: base, metric: .cosine, parameters: .init(m: 8, efConstruction: 40, seed: 5), workers: 2)
        let three = try HNSWIndex(base: base, metric: .cosine, parameters: .init(m: 8, efConstruction: 40, seed: 5), workers: 3)
        #expect(one == two)
        #expect(one == three)
        let other = try HNSWIndex(base: base, metric: .cosine, parameters: .init(m: 8, efConstruction: 40, seed: 6), workers: 2)
        #expect(one != other)
    }

    @Test func saveAndLoadGiveTheSameResults() throws {
        let base = VectorTestData.clustered(rows: 1000, dimensions: 16, clusters: 10, seed: 13)
        let index = try HNSWIndex(base: base, metric: .dot, parameters: .init(m: 8, efConstruction: 40, seed: 1))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-\(UUID().uuidString).idx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.save(to: path)
        let loaded = try HNSWIndex.load(from: path)
        #expect(loaded == index)
        let queries = VectorTestData.uniform(rows: 20, dimensions: 16, seed: 14)
        #expect(try loaded.search(queries, k: 5) == index.search(queries, k: 5))
    }

    @Test func damagedFilesAreTypedErrors() throws {
        let base = VectorTestData.clustered(rows: 300, dimensions: 4, clusters: 5, seed: 15)
        let index = try HNSWIndex(base: base, metric: .l2, parameters: .init(m: 4, efConstruction: 20, seed: 1))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-\(UUID().uuidString).idx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try index.save(to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func kind(of bytes: Data) -> VectorFileError.Kind? {
            try? bytes.write(to: URL(fileURLWithPath: path))
            do {
                _ = try HNSWIndex.load(from: path)
                return nil
            } catch {
                #expect(error.file == path)
                return error.kind
            }
        }
        #expect(kind(of: good.prefix(good.count - 9)) == .sizeMismatch)
        #expect(kind(of: good.prefix(5)) == .badMagic)
        var flipped = good
        flipped[100] ^= 0x40
        #expect(kind(of: flipped) == .corrupt)
        var version = good
        version[8] = 9
        #expect(kind(of: version) == .unsupportedVersion)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var mutated = good
            let position = Int.random(in: 0..<mutated.count, using: &random)
            mutated[position] = UInt8.random(in: 0...255, using: &random)
            if mutated != good { #expect(kind(of: mutated) != nil) }
        }
        #expect(throws: VectorFileError.self) { try HNSWIndex.load(from: path + ".missing") }
    }

    @Test func filterIsAppliedDuringTheSearch() throws {
        let index = Self.index
        let exact = ExactSearch(base: Self.base, metric: .l2)
        let even: @Sendable (Int) -> Bool = { $0 % 2 == 0 }
        let found = try index.search(Self.queries, k: 10, ef: 100, filter: even)
        let truth = try exact.search(Self.queries, k: 10, filter: even)
        #expect((0..<Self.queries.rows).allSatisfy { found.neighbors(ofQuery: $0).allSatisfy(even) })
        #expect(VectorTestData.recall(found, truth) >= 0.9)
        // Under the 2% threshold the search is exact.
        let rare: @Sendable (Int) -> Bool = { $0 % 100 == 1 }
        #expect(try index.search(Self.queries, k: 10, filter: rare) == exact.search(Self.queries, k: 10, filter: rare))
    }

    @Test func chooserPicksBySize() throws {
        let small = VectorTestData.uniform(rows: 100, dimensions: 4, seed: 16)
        guard case .exact = try VectorIndex(base: small, metric: .l2) else {
            Issue.record("a small base should be searched exactly")
            return
        }
        let large = VectorTestData.uniform(rows: VectorIndex.exactThreshold, dimensions: 2, seed: 17)
        guard case .hnsw = try VectorIndex(base: large, metric: .l2, parameters: .init(m: 4, efConstruction: 8)) else {
            Issue.record("a base at the threshold should get a graph")
            return
        }
        guard case .exact = try VectorIndex(base: large, metric: .l2, exact: true) else {
            Issue.record("exact: true should scan")
            return
        }
    }
}

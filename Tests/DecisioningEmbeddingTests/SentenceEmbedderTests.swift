import Foundation
import Testing

@testable import DecisioningEmbedding

@Suite(.enabled(if: ModelFixture.enabled)) struct SentenceEmbedderTests {
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The similarity matrix sbert.net's quickstart documents for all-MiniLM-L6-v2
    /// (https://sbert.net/docs/sentence_transformer/usage/usage.html).
    @Test func quickstartSimilarities() throws {
        let vectors = try ModelFixture.embedder().embed([
            "The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium.",
        ])
        #expect(vectors.count == 3 && vectors.allSatisfy { $0.count == 384 })
        for v in vectors { #expect(abs(Self.cosine(v, v) - 1) < 1e-5) }
        #expect(abs(Self.cosine(vectors[0], vectors[1]) - 0.6660) < 1e-3)
        #expect(abs(Self.cosine(vectors[0], vectors[2]) - 0.1046) < 1e-3)
        #expect(abs(Self.cosine(vectors[1], vectors[2]) - 0.1411) < 1e-3)
    }

    /// sbert.net's semantic textual similarity example
    /// (https://sbert.net/docs/sentence_transformer/usage/semantic_textual_similarity.html).
    @Test func semanticTextualSimilarityExample() throws {
        let embedder = try ModelFixture.embedder()
        let left = try embedder.embed(["The new movie is awesome", "The cat sits outside", "A man is playing guitar"])
        let right = try embedder.embed(["The dog plays in the garden", "The new movie is so great", "A woman watches TV"])
        let expected: [[Float]] = [[0.0543, 0.8939, -0.0502], [0.2838, -0.0029, 0.1310], [0.2277, -0.0136, -0.0327]]
        for i in 0..<3 {
            for j in 0..<3 { #expect(abs(Self.cosine(left[i], right[j]) - expected[i][j]) < 1e-3, "\(i), \(j)") }
        }
    }

    /// Full vectors against the NumPy reference (bench/minilm_numpy.py), Fixtures/reference-vectors.json.
    @Test func matchesTheNumPyReference() throws {
        struct Reference: Decodable {
            var texts: [String]
            var vectors: [[Float]]
        }
        let url = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/reference-vectors.json")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let vectors = try ModelFixture.embedder().embed(reference.texts)
        for (ours, theirs) in zip(vectors, reference.vectors) {
            let difference = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference < 1e-4, "max abs difference \(difference)")
        }
    }

    /// A text's vector is bit for bit the same whatever batch it is in.
    @Test func batchSizeDoesNotChangeVectors() throws {
        let embedder = try ModelFixture.embedder()
        let texts = (0..<7).map { "Order \($0) for project \($0 * 7) was shipped \(String(repeating: "late ", count: $0 % 5))." }
        let whole = try embedder.embed(texts, batchSize: 64)
        #expect(try embedder.embed(texts, batchSize: 1) == whole)
        #expect(try embedder.embed(texts, batchSize: 3) == whole)
        #expect(try embedder.embed([]) == [])
        #expect(try embedder.embed([""]).first?.count == 384)
    }

    @Test func refusesABatchSizeBelowOne() throws {
        #expect(throws: EmbeddingError.self) { try ModelFixture.embedder().embed(["x"], batchSize: 0) }
    }
}

@Suite struct SentenceEmbedderSetupTests {
    @Test func missingModelSaysHowToFetchIt() throws {
        let empty = FileManager.default.temporaryDirectory.appending(path: "decisioning-no-model-\(UUID().uuidString)")
        do {
            _ = try SentenceEmbedder(modelDirectory: empty)
            Issue.record("loaded a model from an empty directory")
        } catch {
            #expect(error.code == .modelMissing)
            #expect(error.description.contains("scripts/fetch-model.sh") && error.description.contains("DECISIONING_MODEL_DIR"))
        }
    }

    @Test func defaultDirectoryFollowsTheEnvironment() {
        #expect(SentenceEmbedder.defaultModelDirectory(environment: ["DECISIONING_MODEL_DIR": "/m"]).path == "/m")
        #expect(
            SentenceEmbedder.defaultModelDirectory(environment: ["HOME": "/h"]).path == "/h/.cache/decisioning/models/all-MiniLM-L6-v2")
    }

    /// Under CI the model tests must run (and so fail without the model) rather than skip.
    @Test func modelTestsRunUnderCI() {
        if ModelFixture.required { #expect(ModelFixture.enabled) }
    }
}

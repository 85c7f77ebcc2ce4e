import DecisioningEmbedding
import Foundation

/// The real model for the tests that need it, loaded once. Without the model those tests are skipped on a
/// developer machine, but under CI (`CI` set) or with `DECISIONING_REQUIRE_MODEL=1` they run and fail,
/// naming scripts/fetch-model.sh.
enum ModelFixture {
    static let directory = SentenceEmbedder.defaultModelDirectory()

    static var required: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"].map { !$0.isEmpty } == true || environment["DECISIONING_REQUIRE_MODEL"] == "1"
    }

    static var present: Bool {
        FileManager.default.fileExists(atPath: directory.appending(path: "model.safetensors").path)
    }

    /// Whether the model tests run: the model is there, or it must be.
    static var enabled: Bool { present || required }

    static let loaded = Result<SentenceEmbedder, EmbeddingError> { () throws(EmbeddingError) in
        try SentenceEmbedder(modelDirectory: directory)
    }

    /// The shared embedder, or an error telling how to get the model.
    static func embedder() throws -> SentenceEmbedder {
        switch loaded {
        case .success(let embedder): return embedder
        case .failure(let error):
            throw FixtureError(
                description: "the model tests need all-MiniLM-L6-v2 in \(directory.path): run scripts/fetch-model.sh (\(error))")
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}

import Foundation
import Testing

/// `decisioning embed` end to end. The tests that need the model run when it is in the default directory
/// (scripts/fetch-model.sh), and under CI or DECISIONING_REQUIRE_MODEL=1 they run, and fail, without it.
@Suite struct EmbedCommandTests {
    static let modelDirectory: URL = {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["DECISIONING_MODEL_DIR"], !directory.isEmpty { return URL(fileURLWithPath: directory) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/decisioning/models/all-MiniLM-L6-v2")
    }()

    static var modelTestsEnabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        let required = environment["CI"].map { !$0.isEmpty } == true || environment["DECISIONING_REQUIRE_MODEL"] == "1"
        return required || FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent("model.safetensors").path)
    }

    static func embed(_ arguments: [String]) throws -> CommandLineTests.Outcome {
        try CommandLineTests.run(["embed"] + arguments, in: FileManager.default.temporaryDirectory)
    }

    @Test func missingModelNamesTheFetchScript() throws {
        let outcome = try Self.embed(["--model-dir", "/nonexistent/decisioning-model", "hello"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("scripts/fetch-model.sh") && outcome.stderr.contains("DECISIONING_MODEL_DIR"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func noTextIsRefused() throws {
        let outcome = try Self.embed([])  // standard input is empty
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("no text to embed"), "\(outcome.stderr)")
    }

    @Test func badBatchSizeIsRefused() throws {
        let outcome = try Self.embed(["--batch-size", "0", "x"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--batch-size"), "\(outcome.stderr)")
    }

    @Test(.enabled(if: modelTestsEnabled)) func jsonAndTextCarryTheSameFullPrecisionVectors() throws {
        let texts = ["The weather is lovely today.", "It's so sunny outside!"]
        let json = try Self.embed(["--format", "json", "--model-dir", Self.modelDirectory.path] + texts)
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["model"] as? String == "all-MiniLM-L6-v2@gt-0.1.0")
        #expect(document["dimension"] as? Int == 384)
        let vectors = try #require(document["vectors"] as? [[Double]]).map { $0.map(Float.init) }
        #expect(vectors.count == 2 && vectors.allSatisfy { $0.count == 384 })
        let cosine = zip(vectors[0], vectors[1]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(cosine - 0.6660) < 1e-3)

        let text = try Self.embed(["--model-dir", Self.modelDirectory.path] + texts)
        #expect(text.status == 0, "\(text.stderr)")
        let rows = text.stdout.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float(String($0)) } }
        #expect(rows == vectors)
    }
}

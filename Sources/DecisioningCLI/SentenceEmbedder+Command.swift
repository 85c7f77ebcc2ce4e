import DecisioningEmbedding
import Foundation

extension SentenceEmbedder {
    /// The model in `--model-dir`, else where `DECISIONING_MODEL_DIR` or the cache says.
    static func forCommand(modelDir: String?) throws -> SentenceEmbedder {
        try SentenceEmbedder(modelDirectory: modelDir.map { URL(filePath: $0) } ?? defaultModelDirectory())
    }

    /// Reports on standard error how many of the new notes are embedded, on one line rewritten in place.
    static func reportProgress(_ done: Int, _ total: Int) {
        FileHandle.standardError.write(Data("\rembedding new texts: \(done)/\(total)\(done == total ? "\n" : "")".utf8))
    }
}

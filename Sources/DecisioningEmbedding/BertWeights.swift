/// The encoder's weights, read from safetensors by their BERT names (`embeddings.*`,
/// `encoder.layer.N.*`, without a `bert.` prefix in sentence-transformers' export), with the linear layers
/// packed for ``MatrixMultiply`` and each layer's query, key and value fused into one 3 × hidden layer.
struct BertWeights: Sendable {
    struct Layer: Sendable {
        let queryKeyValue: PackedLinear
        let attentionOutput: PackedLinear
        let attentionNorm: LayerNorm
        let intermediate: PackedLinear
        let output: PackedLinear
        let outputNorm: LayerNorm
    }

    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    /// Token type 0's embedding (every token of a single text has type 0).
    let typeEmbeddings: FloatBuffer
    let embeddingNorm: LayerNorm
    let layers: [Layer]

    init(configuration c: BertConfiguration, file: Safetensors) throws(EmbeddingError) {
        let hidden = c.hiddenSize
        func vector(_ name: String, _ count: Int) throws(EmbeddingError) -> FloatBuffer {
            FloatBuffer(try file.floats(name, shape: [count]))
        }
        func norm(_ prefix: String) throws(EmbeddingError) -> LayerNorm {
            LayerNorm(gamma: try vector(prefix + ".weight", hidden), beta: try vector(prefix + ".bias", hidden))
        }
        func linear(_ prefixes: [String], inputs: Int, outputs: Int) throws(EmbeddingError) -> PackedLinear {
            var weight: [Float] = []
            var bias: [Float] = []
            for prefix in prefixes {
                weight += try file.floats(prefix + ".weight", shape: [outputs, inputs])
                bias += try file.floats(prefix + ".bias", shape: [outputs])
            }
            return PackedLinear(weight: weight, bias: bias, inputs: inputs, outputs: outputs * prefixes.count)
        }
        wordEmbeddings = FloatBuffer(try file.floats("embeddings.word_embeddings.weight", shape: [c.vocabularySize, hidden]))
        positionEmbeddings = FloatBuffer(try file.floats("embeddings.position_embeddings.weight", shape: [c.maxPositions, hidden]))
        let types = try file.floats("embeddings.token_type_embeddings.weight", shape: [c.typeVocabularySize, hidden])
        typeEmbeddings = FloatBuffer(Array(types.prefix(hidden)))
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [Layer] = []
        for index in 0..<c.layers {
            let p = "encoder.layer.\(index)."
            let attention = p + "attention.self."
            layers.append(
                Layer(
                    queryKeyValue: try linear(
                        [attention + "query", attention + "key", attention + "value"], inputs: hidden, outputs: hidden),
                    attentionOutput: try linear([p + "attention.output.dense"], inputs: hidden, outputs: hidden),
                    attentionNorm: try norm(p + "attention.output.LayerNorm"),
                    intermediate: try linear([p + "intermediate.dense"], inputs: hidden, outputs: c.intermediateSize),
                    output: try linear([p + "output.dense"], inputs: c.intermediateSize, outputs: hidden),
                    outputNorm: try norm(p + "output.LayerNorm")))
        }
        self.layers = layers
    }
}

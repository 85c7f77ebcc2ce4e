import Foundation

/// A BERT encoder (all-MiniLM-L6-v2's: 6 layers, 12 heads of 32, hidden 384, intermediate 1536) with mean
/// pooling and L2 normalisation, run on the CPU by our own kernels.
///
/// A batch's texts are packed one after another, without padding: the linear layers, layer norms and GELU
/// work on the packed rows, and attention runs per text over its own tokens only, which is what padding plus
/// an attention mask computes, without the padded rows. Each text's vector is therefore the same whatever
/// batch it is in and however many threads run.
struct MiniLMEncoder: Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights

    init(configuration: BertConfiguration, file: Safetensors) throws(EmbeddingError) {
        self.configuration = configuration
        weights = try BertWeights(configuration: configuration, file: file)
    }

    /// L2-normalised mean-pooled embeddings of `texts` (each a token id sequence starting with [CLS]), one
    /// `hiddenSize`-wide row per text.
    func embed(_ texts: [[Int32]]) -> [[Float]] {
        let hidden = configuration.hiddenSize
        var offsets = [0]
        for ids in texts { offsets.append(offsets[offsets.count - 1] + ids.count) }
        let rows = offsets[texts.count]
        guard rows > 0 else { return texts.map { _ in [Float](repeating: 0, count: hidden) } }
        let state = FloatBuffer(count: rows * hidden)
        embedTokens(texts, offsets: offsets, into: state)
        let scratch = Scratch(rows: rows, configuration: configuration)
        for layer in weights.layers {
            apply(layer, to: state, offsets: offsets, scratch: scratch)
        }
        return pool(state, offsets: offsets)
    }

    /// Word + position + token type (0) embeddings, then the embedding layer norm.
    private func embedTokens(_ texts: [[Int32]], offsets: [Int], into state: FloatBuffer) {
        let hidden = configuration.hiddenSize
        let epsilon = configuration.layerNormEpsilon
        let (words, positions, types) = (weights.wordEmbeddings, weights.positionEmbeddings, weights.typeEmbeddings)
        let norm = weights.embeddingNorm
        ParallelChunks.forEach(texts.count, chunk: 8) { range in
            for t in range {
                for (position, id) in texts[t].enumerated() {
                    let out = state.pointer + (offsets[t] + position) * hidden
                    let word = words.pointer + Int(id) * hidden
                    let place = positions.pointer + position * hidden
                    for i in 0..<hidden { out[i] = word[i] + place[i] + types.pointer[i] }
                    norm.apply(out, width: hidden, epsilon: epsilon)
                }
            }
        }
    }

    /// One transformer layer, in place on `state`.
    private func apply(_ layer: BertWeights.Layer, to state: FloatBuffer, offsets: [Int], scratch: Scratch) {
        let hidden = configuration.hiddenSize
        let rows = offsets[offsets.count - 1]
        let epsilon = configuration.layerNormEpsilon
        layer.queryKeyValue.apply(state.pointer, rows: rows, into: scratch.queryKeyValue.pointer)
        attention(scratch.queryKeyValue, offsets: offsets, into: scratch.context)
        layer.attentionOutput.apply(scratch.context.pointer, rows: rows, into: scratch.projected.pointer)
        Self.addAndNormalize(scratch.projected, into: state, rows: rows, width: hidden, norm: layer.attentionNorm, epsilon: epsilon)
        layer.intermediate.apply(state.pointer, rows: rows, into: scratch.intermediate.pointer)
        GELU.apply(scratch.intermediate, count: rows * configuration.intermediateSize)
        layer.output.apply(scratch.intermediate.pointer, rows: rows, into: scratch.projected.pointer)
        Self.addAndNormalize(scratch.projected, into: state, rows: rows, width: hidden, norm: layer.outputNorm, epsilon: epsilon)
    }

    /// `state = LayerNorm(state + update)`, row by row.
    private static func addAndNormalize(
        _ update: FloatBuffer, into state: FloatBuffer, rows: Int, width: Int, norm: LayerNorm, epsilon: Float
    ) {
        ParallelChunks.forEach(rows, chunk: 64) { range in
            for r in range {
                let out = state.pointer + r * width
                let add = update.pointer + r * width
                for i in 0..<width { out[i] += add[i] }
                norm.apply(out, width: width, epsilon: epsilon)
            }
        }
    }

    /// Mean of each text's token states, then divided by its L2 norm.
    private func pool(_ state: FloatBuffer, offsets: [Int]) -> [[Float]] {
        let hidden = configuration.hiddenSize
        return (0..<offsets.count - 1).map { t in
            var sum = [Double](repeating: 0, count: hidden)
            for r in offsets[t]..<offsets[t + 1] {
                let row = state.pointer + r * hidden
                for i in 0..<hidden { sum[i] += Double(row[i]) }
            }
            let count = Double(max(offsets[t + 1] - offsets[t], 1))
            let mean = sum.map { $0 / count }
            let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return mean.map { Float($0 / norm) }
        }
    }
}

extension MiniLMEncoder {
    /// The per-batch work buffers, sized for `rows` packed tokens.
    final class Scratch: Sendable {
        let queryKeyValue: FloatBuffer
        let context: FloatBuffer
        let projected: FloatBuffer
        let intermediate: FloatBuffer

        init(rows: Int, configuration: BertConfiguration) {
            queryKeyValue = FloatBuffer(count: rows * 3 * configuration.hiddenSize)
            context = FloatBuffer(count: rows * configuration.hiddenSize)
            projected = FloatBuffer(count: rows * configuration.hiddenSize)
            intermediate = FloatBuffer(count: rows * configuration.intermediateSize)
        }
    }
}

import Foundation

extension MiniLMEncoder {
    /// Scaled dot-product self-attention of every head of every text over that text's own tokens:
    /// `queryKeyValue` holds each token's query, key and value side by side (3 × hidden wide), `context`
    /// receives each head's output in its columns. Work items are (text, head) pairs.
    func attention(_ queryKeyValue: FloatBuffer, offsets: [Int], into context: FloatBuffer) {
        let hidden = configuration.hiddenSize
        let heads = configuration.heads
        let headSize = configuration.headSize
        let scale = 1 / Float(headSize).squareRoot()
        let texts = offsets.count - 1
        let longest = (0..<texts).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        ParallelChunks.forEach(texts * heads, chunk: 4) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(longest, 1)) { scores in
                for item in range {
                    let text = item / heads
                    let head = item % heads
                    Self.attend(
                        queryKeyValue.pointer + offsets[text] * 3 * hidden + head * headSize, tokens: offsets[text + 1] - offsets[text],
                        hidden: hidden, headSize: headSize, scale: scale, scores: scores.baseAddress,
                        output: context.pointer + offsets[text] * hidden + head * headSize)
                }
            }
        }
    }

    /// One head of one text: `base` points at the first token's query for this head (keys are `hidden`
    /// further, values `2 · hidden`), rows are `3 · hidden` apart.
    private static func attend(
        _ base: UnsafeMutablePointer<Float>, tokens: Int, hidden: Int, headSize: Int, scale: Float,
        scores: UnsafeMutablePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        guard let scores else { return }
        let stride = 3 * hidden
        let vectors = headSize / 8
        for i in 0..<tokens {
            let query = UnsafeRawPointer(base + i * stride)
            var largest = -Float.infinity
            for j in 0..<tokens {
                let key = UnsafeRawPointer(base + j * stride + hidden)
                var dot = SIMD8<Float>()
                for v in 0..<vectors {
                    dot = dot.addingProduct(
                        query.loadUnaligned(fromByteOffset: 32 * v, as: SIMD8<Float>.self),
                        key.loadUnaligned(fromByteOffset: 32 * v, as: SIMD8<Float>.self))
                }
                let score = dot.sum() * scale
                scores[j] = score
                largest = max(largest, score)
            }
            var total: Float = 0
            for j in 0..<tokens {
                let e = expf(scores[j] - largest)
                scores[j] = e
                total += e
            }
            let out = UnsafeMutableRawPointer(output + i * hidden)
            for v in 0..<vectors {
                var sum = SIMD8<Float>()
                for j in 0..<tokens {
                    let value = UnsafeRawPointer(base + j * stride + 2 * hidden).loadUnaligned(
                        fromByteOffset: 32 * v, as: SIMD8<Float>.self)
                    sum = sum.addingProduct(SIMD8(repeating: scores[j]), value)
                }
                out.storeBytes(of: sum / SIMD8(repeating: total), toByteOffset: 32 * v, as: SIMD8<Float>.self)
            }
        }
    }
}

/// A linear layer `y = x·Wᵀ + b` with W (`outputs × inputs`, row-major as PyTorch stores it) packed once into
/// panels of ``MatrixMultiply/panelWidth`` output columns: panel `p` holds, for each input `k` in order, the
/// 16 weights of outputs `16p..<16p+16`, so the kernel streams it with two contiguous 8-float loads per `k`.
struct PackedLinear: Sendable {
    let inputs: Int
    let outputs: Int
    let panels: FloatBuffer
    let bias: FloatBuffer

    /// Packs `weight` (`outputs × inputs`, row-major) and `bias` (`outputs`); `outputs` is a multiple of 16.
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int) {
        precondition(weight.count == inputs * outputs && bias.count == outputs && outputs % MatrixMultiply.panelWidth == 0)
        self.inputs = inputs
        self.outputs = outputs
        let width = MatrixMultiply.panelWidth
        let packed = FloatBuffer(count: inputs * outputs)
        weight.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress else { return }
            for panel in 0..<outputs / width {
                let base = packed.pointer + panel * inputs * width
                for j in 0..<width {
                    let row = source + (panel * width + j) * inputs
                    for k in 0..<inputs { base[k * width + j] = row[k] }
                }
            }
        }
        panels = packed
        self.bias = FloatBuffer(bias)
    }

    /// `output[r] = input[r]·Wᵀ + b` for `rows` rows (row-major, `inputs` and `outputs` wide), in parallel over
    /// fixed blocks of rows.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        let work = SendablePointers(input: input, output: output)
        ParallelChunks.forEach(rows, chunk: MatrixMultiply.rowBlock) { range in
            MatrixMultiply.multiply(
                work.input + range.lowerBound * inputs, rows: range.count, inputs: inputs, layer: self,
                output: work.output + range.lowerBound * outputs)
        }
    }
}

/// The two pointers a parallel matrix multiply shares: workers read `input` and write disjoint rows of `output`.
struct SendablePointers: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
}

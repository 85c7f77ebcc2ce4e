/// The matrix multiply under every linear layer: register tiles of 6 rows × 16 columns (twelve 8-float
/// accumulators) over packed weight panels (``PackedLinear``), the panel kept in L1 while the tile walks down a
/// block of rows held in L2.
///
/// Every output element is `bias + Σₖ x[k]·w[k]` summed in increasing `k` with fused multiply-adds, whether
/// it falls in a full tile or an edge row, so a row's result does not depend on the other rows of the batch,
/// on the block it falls in or on the number of threads.
enum MatrixMultiply {
    /// Output columns per packed panel.
    static let panelWidth = 16
    /// Rows per register tile.
    static let tileRows = 6
    /// Rows per parallel work item (a multiple of `tileRows`).
    static let rowBlock = 48

    /// `output = input·Wᵀ + b` for `rows` rows.
    static func multiply(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, layer: PackedLinear, output: UnsafeMutablePointer<Float>
    ) {
        let outputs = layer.outputs
        for panel in 0..<outputs / panelWidth {
            let weights = UnsafePointer(layer.panels.pointer + panel * inputs * panelWidth)
            let bias = UnsafePointer(layer.bias.pointer + panel * panelWidth)
            var row = 0
            while row + tileRows <= rows {
                tile6(
                    input + row * inputs, inputs: inputs, weights: weights, bias: bias, output: output + row * outputs + panel * panelWidth,
                    stride: outputs)
                row += tileRows
            }
            while row < rows {
                tile1(
                    input + row * inputs, inputs: inputs, weights: weights, bias: bias, output: output + row * outputs + panel * panelWidth)
                row += 1
            }
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// Six rows × 16 columns.
    @inline(__always)
    private static func tile6(
        _ a: UnsafePointer<Float>, inputs: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, stride: Int
    ) {
        var c00 = SIMD8<Float>()
        var c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>()
        var c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>()
        var c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>()
        var c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>()
        var c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>()
        var c51 = SIMD8<Float>()
        let a1 = a + inputs
        let a2 = a + 2 * inputs
        let a3 = a + 3 * inputs
        let a4 = a + 4 * inputs
        let a5 = a + 5 * inputs
        var w = weights
        for k in 0..<inputs {
            let b0 = load(w, 0)
            let b1 = load(w, 8)
            w += panelWidth
            var x = SIMD8<Float>(repeating: a[k])
            c00 = c00.addingProduct(x, b0)
            c01 = c01.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a1[k])
            c10 = c10.addingProduct(x, b0)
            c11 = c11.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a2[k])
            c20 = c20.addingProduct(x, b0)
            c21 = c21.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a3[k])
            c30 = c30.addingProduct(x, b0)
            c31 = c31.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a4[k])
            c40 = c40.addingProduct(x, b0)
            c41 = c41.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: a5[k])
            c50 = c50.addingProduct(x, b0)
            c51 = c51.addingProduct(x, b1)
        }
        let bias0 = load(bias, 0)
        let bias1 = load(bias, 8)
        store(c00 + bias0, output)
        store(c01 + bias1, output + 8)
        store(c10 + bias0, output + stride)
        store(c11 + bias1, output + stride + 8)
        store(c20 + bias0, output + 2 * stride)
        store(c21 + bias1, output + 2 * stride + 8)
        store(c30 + bias0, output + 3 * stride)
        store(c31 + bias1, output + 3 * stride + 8)
        store(c40 + bias0, output + 4 * stride)
        store(c41 + bias1, output + 4 * stride + 8)
        store(c50 + bias0, output + 5 * stride)
        store(c51 + bias1, output + 5 * stride + 8)
    }

    /// One row × 16 columns, with the same operations in the same order as `tile6`.
    @inline(__always)
    private static func tile1(
        _ a: UnsafePointer<Float>, inputs: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        var c0 = SIMD8<Float>()
        var c1 = SIMD8<Float>()
        var w = weights
        for k in 0..<inputs {
            let x = SIMD8<Float>(repeating: a[k])
            c0 = c0.addingProduct(x, load(w, 0))
            c1 = c1.addingProduct(x, load(w, 8))
            w += panelWidth
        }
        store(c0 + load(bias, 0), output)
        store(c1 + load(bias, 8), output + 8)
    }
}

/// Layer normalisation over a row: `(x - mean) / sqrt(var + ε) · γ + β`.
struct LayerNorm: Sendable {
    let gamma: FloatBuffer
    let beta: FloatBuffer

    /// Normalises `width` floats at `row` in place.
    func apply(_ row: UnsafeMutablePointer<Float>, width: Int, epsilon: Float) {
        var sum: Float = 0
        for i in 0..<width { sum += row[i] }
        let mean = sum / Float(width)
        var squares: Float = 0
        for i in 0..<width {
            let d = row[i] - mean
            squares += d * d
        }
        let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
        for i in 0..<width { row[i] = (row[i] - mean) * inverse * gamma.pointer[i] + beta.pointer[i] }
    }
}

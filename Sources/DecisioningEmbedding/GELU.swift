import Foundation

/// The exact GELU, `x · Φ(x) = x/2 · (1 + erf(x/√2))` (not the tanh approximation), in place, in parallel.
enum GELU {
    static func apply(_ buffer: FloatBuffer, count: Int) {
        let chunk = 1 << 14
        ParallelChunks.forEach(count, chunk: chunk) { range in
            let p = buffer.pointer
            for i in range {
                let x = p[i]
                p[i] = 0.5 * x * (1 + erff(x * 0.707_106_77))
            }
        }
    }
}

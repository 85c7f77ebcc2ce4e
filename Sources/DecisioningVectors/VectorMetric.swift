/// How two vectors are compared. Every distance is "smaller is nearer".
///
/// - `cosine`: 1 − cos(a, b); rows and queries are normalised once, then compared by dot product.
/// - `l2`: the squared euclidean distance.
/// - `dot`: the negated inner product (maximum inner product search).
public enum VectorMetric: String, Sendable, CaseIterable, Codable {
    case cosine
    case l2
    case dot

    /// The metric's code in the index file format.
    var code: UInt32 {
        switch self {
        case .cosine: 0
        case .l2: 1
        case .dot: 2
        }
    }

    init?(code: UInt32) {
        switch code {
        case 0: self = .cosine
        case 1: self = .l2
        case 2: self = .dot
        default: return nil
        }
    }

    /// Whether rows and queries are normalised to unit length before they are compared.
    var normalizes: Bool { self == .cosine }

    /// The distance between two vectors of `count` floats (already normalised for cosine).
    @inline(__always)
    func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .l2: VectorKernels.squaredL2(a, b, count: count)
        case .dot: -VectorKernels.dot(a, b, count: count)
        case .cosine: 1 - VectorKernels.dot(a, b, count: count)
        }
    }

    /// The distance from a dot product (and, for l2, the two squared norms).
    @inline(__always)
    func distance(dot: Float, queryNorm: Float, rowNorm: Float) -> Float {
        switch self {
        case .l2: max(0, queryNorm + rowNorm - 2 * dot)
        case .dot: -dot
        case .cosine: 1 - dot
        }
    }
}

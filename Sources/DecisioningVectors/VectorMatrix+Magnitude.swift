import Foundation

/// What float32 distances can hold. l2 and dot compare vectors in float32: a squared distance is at
/// most (‖a‖ + ‖b‖)² ≤ 4 · max(‖a‖², ‖b‖²) and an inner product at most ‖a‖ · ‖b‖, so both stay finite
/// when every squared length is at most a quarter of the largest float (about 8.5 × 10³⁷: values up to
/// about 1.15 × 10¹⁸ in 64 dimensions). Cosine normalises in double precision first, so any finite
/// vector is fine for it.
extension VectorMatrix {
    /// The largest squared length l2 and dot accept: a quarter of the largest float.
    public static let largestSquaredLength = Double(Float.greatestFiniteMagnitude) / 4

    /// The first row whose squared length (summed in double precision) is above
    /// ``largestSquaredLength``, with that length; nil when there is none or `metric` normalises.
    func rowTooLong(for metric: VectorMetric) -> (row: Int, squaredLength: Double)? {
        guard !metric.normalizes else { return nil }
        return values.withUnsafeBufferPointer { buffer -> (row: Int, squaredLength: Double)? in
            guard let base = buffer.baseAddress else { return nil }
            for r in 0..<rows {
                let length = VectorKernels.squaredLength(base + r * dimensions, count: dimensions)
                if length > Self.largestSquaredLength { return (r, length) }
            }
            return nil
        }
    }

    /// Refuses rows that ``rowTooLong(for:)`` finds, naming the first and what is allowed.
    /// - Parameter what: the rows' name in the message ("base", "queries").
    func checkMagnitudes(for metric: VectorMetric, what: String) throws(VectorSearchError) {
        guard let (row, length) = rowTooLong(for: metric) else { return }
        throw Self.tooLongError(row: row, squaredLength: length, of: what, metric: metric, dimensions: dimensions)
    }

    /// The error for row `row` of `what`, whose squared length is `squaredLength`.
    static func tooLongError(row: Int, squaredLength: Double, of what: String, metric: VectorMetric, dimensions: Int)
        -> VectorSearchError
    {
        let perValue = (largestSquaredLength / Double(dimensions)).squareRoot()
        return VectorSearchError(
            "row \(row) of the \(what) has a squared length of \(String(format: "%.3g", squaredLength)); \(metric.rawValue) "
                + "distances in float32 need every squared length at most \(String(format: "%.3g", largestSquaredLength)) "
                + "(values up to about \(String(format: "%.3g", perValue)) in \(dimensions) dimensions): scale the vectors "
                + "down, or use the cosine metric", row: row)
    }
}

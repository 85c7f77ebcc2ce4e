/// Vectors as rows of 32-bit floats, row-major and contiguous: row `r` is
/// `values[r * dimensions ..< (r + 1) * dimensions]`.
public struct VectorMatrix: Sendable, Equatable {
    /// The number of vectors.
    public let rows: Int
    /// The length of every vector.
    public let dimensions: Int
    /// The rows, one after another.
    public private(set) var values: [Float]

    /// Wraps `values` as `rows` × `dimensions`; `values.count` must be their product.
    /// - Throws: `VectorSearchError` if the sizes disagree or `dimensions` is below 1.
    public init(rows: Int, dimensions: Int, values: [Float]) throws(VectorSearchError) {
        guard dimensions >= 1, rows >= 0 else {
            throw VectorSearchError("a matrix needs at least 1 dimension and 0 or more rows (got \(rows) × \(dimensions))")
        }
        let (product, overflow) = rows.multipliedReportingOverflow(by: dimensions)
        guard !overflow, product == values.count else {
            throw VectorSearchError("\(values.count) values cannot be \(rows) rows of \(dimensions) dimensions")
        }
        self.rows = rows
        self.dimensions = dimensions
        self.values = values
    }

    /// Builds a matrix from equal-length rows.
    /// - Throws: `VectorSearchError` if the rows differ in length or are empty.
    public init(_ rowList: [[Float]]) throws(VectorSearchError) {
        guard let first = rowList.first, !first.isEmpty else {
            throw VectorSearchError("a matrix needs at least one row of at least one value")
        }
        var values: [Float] = []
        values.reserveCapacity(rowList.count * first.count)
        for (index, row) in rowList.enumerated() {
            guard row.count == first.count else {
                throw VectorSearchError("row \(index) has \(row.count) values; row 0 has \(first.count)", row: index)
            }
            values.append(contentsOf: row)
        }
        try self.init(rows: rowList.count, dimensions: first.count, values: values)
    }

    /// Row `index` as an array (a copy).
    public func row(_ index: Int) -> [Float] {
        Array(values[index * dimensions..<(index + 1) * dimensions])
    }

    /// The rows selected by `indices`, in that order.
    public func rows(_ indices: [Int]) -> VectorMatrix {
        var picked: [Float] = []
        picked.reserveCapacity(indices.count * dimensions)
        for index in indices { picked.append(contentsOf: values[index * dimensions..<(index + 1) * dimensions]) }
        return VectorMatrix(unchecked: indices.count, dimensions, picked)
    }

    /// Every row scaled to unit length (rows of length zero stay zero), in double precision: rows of
    /// values near float32's largest or smallest come out unit-length too (``normalize(_:into:count:)``).
    public func normalized() -> VectorMatrix {
        var copy = values
        let d = dimensions
        copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for r in 0..<rows { Self.normalize(base + r * d, into: base + r * d, count: d, stride: 1) }
        }
        return VectorMatrix(unchecked: rows, d, copy)
    }

    /// Writes `row` scaled to unit length to `target` (entry k at `target[k * stride]`); a row of zeros
    /// is written as it is. The length is summed and each entry divided in double precision, so a row
    /// whose float32 squared length would overflow (values above about 10¹⁹) or flush to zero (below
    /// about 10⁻²²) is normalised like any other.
    static func normalize(_ row: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
        let norm = VectorKernels.squaredLength(row, count: count).squareRoot()
        if norm > 0 {
            for k in 0..<count { target[k * stride] = Float(Double(row[k]) / norm) }
        } else {
            for k in 0..<count { target[k * stride] = row[k] }
        }
    }

    /// The squared length of every row.
    func squaredNorms() -> [Float] {
        let d = dimensions
        return values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return (0..<rows).map { r in VectorKernels.dot(base + r * d, base + r * d, count: d) }
        }
    }

    init(unchecked rows: Int, _ dimensions: Int, _ values: [Float]) {
        self.rows = rows
        self.dimensions = dimensions
        self.values = values
    }
}

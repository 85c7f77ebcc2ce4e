/// Standardization of a case vector's numbers: each becomes (x − mean) / deviation over the cases it
/// was fitted on, a missing (non-finite) one 0, the mean. A constant feature has deviation 1.
public struct CaseScaling: Sendable, Equatable, Codable {
    public var means: [Double]
    public var deviations: [Double]

    public init(means: [Double], deviations: [Double]) {
        self.means = means
        self.deviations = deviations
    }

    /// Means and deviations of each column of `rows` (`width` columns), over its finite values.
    public init(fitting rows: [[Double]], width: Int) {
        var means: [Double] = []
        var deviations: [Double] = []
        for f in 0..<width {
            let (mean, deviation) = Self.fit(rows.map { $0[f] })
            means.append(mean)
            deviations.append(deviation)
        }
        self.init(means: means, deviations: deviations)
    }

    /// The mean and deviation of the finite `values`, in their order: 0 and 1 when there are none, a
    /// deviation of 1 when they are constant.
    static func fit(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let values = values.filter(\.isFinite)
        let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance > 1e-12 ? variance.squareRoot() : 1)
    }

    /// Writes the standardized `numbers` into `vector` from index 0.
    func standardize(_ numbers: [Double], into vector: inout [Float]) {
        for (f, x) in numbers.enumerated() where x.isFinite && f < means.count {
            vector[f] = Float((x - means[f]) / deviations[f])
        }
    }

    /// The value of a one-hot entry: two cases that differ in one category are exactly one unit apart.
    static let oneHot = Float(0.5.squareRoot())

    /// The rank of a credit rating on AAA … D (0 best); nil for anything else.
    static func creditRank(_ rating: String?) -> Double? {
        rating.flatMap { ratingScale.firstIndex(of: $0.trimmingCharacters(in: .whitespaces).uppercased()) }.map(Double.init)
    }

    /// Ratings from best to worst; an unknown rating is missing (the mean).
    public static let ratingScale = [
        "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-", "B+", "B", "B-", "CCC", "CC", "C", "D",
    ]
}

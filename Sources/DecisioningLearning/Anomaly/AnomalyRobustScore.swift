import Foundation

/// The median / MAD baseline for anomaly scores: robust z-scores per feature, combined by their maximum.
///
/// For feature `j` with median `m_j`:
/// - the scale `s_j` is `1.4826 · MAD_j` (consistent with the standard deviation for normal data); where
///   the MAD is 0 (more than half the rows share one value) it falls back to `1.253314 · meanAD_j`, the mean
///   absolute deviation from the median (Iglewicz & Hoaglin); where that is 0 too the feature is constant;
/// - `z_j = (x_j − m_j) / s_j`; for a constant feature `z_j` is 0 at the constant and ±infinity elsewhere;
/// - missing values (NaN) are ignored when fitting and give `z_j = 0` when scoring; a feature with no
///   observed value has a NaN median and always gives 0.
///
/// The combined score is `1 / (1 + exp(−(M − 3)))` with `M = max_j |z_j|`, a logistic centred on a robust
/// z of 3 (the same curve Discovery applies to its cost-ratio z): about 0.05 for a row at every median,
/// 0.5 at `M = 3`, 0.88 at `M = 5`, and 1 for a value off a constant feature. It is two-sided: unusually
/// low values count as much as unusually high ones.
public enum RobustScore {
    public static let madConsistency = 1.4826
    public static let meanADConsistency = 1.253314

    public struct Model: Sendable, Codable, Equatable {
        public let medians: [Double]
        /// Per feature `s_j`, 0 for a constant or never-observed feature.
        public let scales: [Double]

        public var featureCount: Int { medians.count }

        /// The robust z-score of every feature of `row`.
        ///
        /// - Precondition: `row.count == featureCount`.
        public func zScores(_ row: [Double]) -> [Double] {
            precondition(row.count == featureCount, "RobustScore: the row has \(row.count) values, the model expects \(featureCount)")
            return (0..<featureCount).map { z(row[$0], $0) }
        }

        /// The combined score of `row` in [0, 1].
        ///
        /// - Precondition: `row.count == featureCount`.
        public func score(_ row: [Double]) -> Double {
            precondition(row.count == featureCount, "RobustScore: the row has \(row.count) values, the model expects \(featureCount)")
            var m = 0.0
            for j in 0..<featureCount { m = max(m, abs(z(row[j], j))) }
            return RobustScore.combine(maxAbsZ: m)
        }

        /// Scores every row, on all cores; each score is identical to `score(_:)` for that row.
        public func scores(_ rows: [[Double]]) -> [Double] {
            for row in rows {
                precondition(row.count == featureCount, "RobustScore: a row has \(row.count) values, the model expects \(featureCount)")
            }
            return AnomalyParallel.fill(rows.count) { range, out in
                for i in range { out[i] = self.score(rows[i]) }
            }
        }

        @inline(__always)
        func z(_ x: Double, _ j: Int) -> Double {
            let median = medians[j]
            if x.isNaN || median.isNaN { return 0 }
            let scale = scales[j]
            if scale > 0 { return (x - median) / scale }
            return x == median ? 0 : (x > median ? .infinity : -.infinity)
        }
    }

    /// Fits medians and scales per feature (NaN is missing).
    public static func fit(_ rows: [[Double]]) throws(AnomalyError) -> Model {
        let width = try AnomalyInput.validate(rows)
        let fitted = AnomalyParallel.map(width) { j -> (Double, Double) in
            let values = rows.compactMap { $0[j].isNaN ? nil : $0[j] }
            guard !values.isEmpty else { return (.nan, 0) }
            let median = Self.median(values)
            let deviations = values.map { abs($0 - median) }
            let mad = Self.median(deviations)
            if mad > 0 { return (median, madConsistency * mad) }
            let meanAD = deviations.reduce(0, +) / Double(deviations.count)
            return (median, meanADConsistency * meanAD)
        }
        return Model(medians: fitted.map(\.0), scales: fitted.map(\.1))
    }

    /// Fits on `rows` and scores the same rows.
    public static func scores(_ rows: [[Double]]) throws(AnomalyError) -> [Double] {
        try fit(rows).scores(rows)
    }

    /// The combined score from the largest absolute robust z: `1 / (1 + exp(−(M − 3)))`.
    public static func combine(maxAbsZ m: Double) -> Double {
        1 / (1 + exp(-(m - 3)))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

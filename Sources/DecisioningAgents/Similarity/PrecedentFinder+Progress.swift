import DecisioningCore
import DecisioningVectors
import Foundation

extension PrecedentFinder {
    /// The completed projects' case vectors with one more entry: each one's burn rate at `share` of its
    /// schedule, on a log scale, standardized over the completed projects that have one and weighted
    /// ``PrecedentFinder/burnWeight`` (a missing one is the mean, 0).
    struct ProgressBase {
        let share: Double
        /// Each completed project's burn rate at `share`; nil without ledger rows.
        let burns: [Double?]
        let scaling: CaseScaling
        let search: ExactSearch?

        init(_ finder: PrecedentFinder, share: Double) {
            let series = finder.series
            let burns = finder.completed.indices.map { i in
                series.isEmpty ? nil : finder.completed[i].progress(atShare: share, series: series[i])?.burnRate
            }
            let scaling = CaseScaling(fitting: burns.map { [Self.logBurn($0)] }, width: 1)
            let d = finder.featurizer.dimension
            var values: [Float] = []
            values.reserveCapacity(finder.completed.count * (d + 1))
            for (i, burn) in burns.enumerated() {
                values.append(contentsOf: finder.vectors[i * d..<(i + 1) * d])
                values.append(Self.entry(burn, scaling))
            }
            let base = try? VectorMatrix(rows: finder.completed.count, dimensions: d + 1, values: values)
            self.share = share
            self.burns = burns
            self.scaling = scaling
            search = finder.completed.isEmpty ? nil : base.map { ExactSearch(base: $0, metric: .l2) }
        }

        /// The burn-rate entry of a vector.
        func entry(_ burn: Double?) -> Float { Self.entry(burn, scaling) }

        static func entry(_ burn: Double?, _ scaling: CaseScaling) -> Float {
            // `scaling.standardize` of the one number, without its arrays (called once per completed project and share).
            let x = logBurn(burn)
            let standardized = x.isFinite && !scaling.means.isEmpty ? Float((x - scaling.means[0]) / scaling.deviations[0]) : 0
            return standardized * Float(PrecedentFinder.burnWeight)
        }

        /// log of the burn rate clamped to `burnRange`; NaN (missing) without one.
        static func logBurn(_ burn: Double?) -> Double {
            guard let burn, burn.isFinite else { return .nan }
            return log(min(PrecedentFinder.burnRange.upperBound, max(PrecedentFinder.burnRange.lowerBound, burn)))
        }

        /// The `k` nearest rows to `query` that pass `filter` (row, squared distance), nearest first.
        func nearest(_ query: [Float], k: Int, filter: @escaping @Sendable (Int) -> Bool) -> [(index: Int, distance: Float)] {
            PrecedentFinder.nearest(in: search, query, k: k, filter: filter)
        }
    }
}

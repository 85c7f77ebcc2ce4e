import DecisioningCore
import Foundation

extension PrecedentFinder {
    /// The completed projects' case vectors with one more entry: each one's burn rate at `share` of its
    /// schedule, on a log scale, standardized over the completed projects that have one and weighted
    /// ``PrecedentFinder/burnWeight`` (a missing one is the mean, 0).
    ///
    /// The case vectors are the finder's own: only the burn entries are computed for a share, so asking
    /// at many shares (one per running project) costs one pass over the ledger per share, not a new
    /// matrix and index.
    struct ProgressBase {
        let share: Double
        /// Each completed project's burn rate at `share`; nil without ledger rows.
        let burns: [Double?]
        /// Each completed project's burn entry (`entry(_:)` of its burn rate).
        let entries: [Float]
        /// The mean and deviation of the finite log burn rates (deviation 1 when they are constant).
        let mean: Double
        let deviation: Double
        /// The finder's case vectors, row after row, and their width.
        let vectors: [Float]
        let dimension: Int

        init(_ finder: PrecedentFinder, share: Double) {
            // As `ProjectCase.progress(atShare:series:)` gives it, from the schedules and the flat ledger alone.
            let burns = finder.series.burnRates(atShare: share, schedules: finder.schedules)
            let logs = burns.map(Self.logBurn)
            let (mean, deviation) = CaseScaling.fit(logs)
            self.share = share
            self.burns = burns
            self.mean = mean
            self.deviation = deviation
            entries = logs.map { Self.entry(log: $0, mean: mean, deviation: deviation) }
            vectors = finder.vectors
            dimension = finder.featurizer.dimension
        }

        /// The burn-rate entry of a vector.
        func entry(_ burn: Double?) -> Float { Self.entry(log: Self.logBurn(burn), mean: mean, deviation: deviation) }

        /// A log burn rate standardized and weighted; 0 (the mean) when it is missing.
        static func entry(log x: Double, mean: Double, deviation: Double) -> Float {
            (x.isFinite ? Float((x - mean) / deviation) : 0) * Float(PrecedentFinder.burnWeight)
        }

        /// log of the burn rate clamped to `burnRange`; NaN (missing) without one.
        static func logBurn(_ burn: Double?) -> Double {
            guard let burn, burn.isFinite else { return .nan }
            return log(min(PrecedentFinder.burnRange.upperBound, max(PrecedentFinder.burnRange.lowerBound, burn)))
        }

        /// The `k` rows nearest to the case vector `query` with burn entry `burn` that pass `filter`:
        /// (row, squared Euclidean distance over the case vector and the burn entry), nearest first, ties
        /// to the lower row. Exact: every row's distance is computed.
        func nearest(_ query: [Float], burn: Float, k: Int, filter: (Int) -> Bool) -> [(index: Int, distance: Float)] {
            guard k > 0, query.count == dimension else { return [] }
            var best: [(index: Int, distance: Float)] = []
            best.reserveCapacity(k + 1)
            let d = dimension
            vectors.withUnsafeBufferPointer { rows in
                query.withUnsafeBufferPointer { q in
                    for i in entries.indices {
                        let gap = burn - entries[i]
                        var distance = gap * gap
                        let row = i * d
                        for f in 0..<d {
                            let difference = q[f] - rows[row + f]
                            distance += difference * difference
                        }
                        // Rows arrive in order, so a row at the same distance as one kept stays behind it.
                        guard best.count < k || distance < best[best.count - 1].distance, filter(i) else { continue }
                        let at = best.firstIndex { distance < $0.distance } ?? best.count
                        best.insert((index: i, distance: distance), at: at)
                        if best.count > k { best.removeLast() }
                    }
                }
            }
            return best
        }
    }
}

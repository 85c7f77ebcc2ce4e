import DecisioningCore
import Foundation

/// A dataset's features quantised once per fit, for the boosted trees' histograms: each value's bin,
/// one byte per value, row-major (a row's features side by side, as the histogram loop reads them).
///
/// Feature `j` has `edges[j].count + 1` bins (value ≤ `edges[j][b]` is in bin `b` or below) and a last
/// slot for missing values, so its slots in a histogram are `offsets[j] ..< offsets[j] + edges[j].count + 2`.
struct FeatureBins: Sendable {
    let featureCount: Int
    let rowCount: Int
    let edges: [[Double]]
    /// `bins[i * featureCount + j]`: the bin of feature j of row i; `edges[j].count + 1` when it is missing.
    let bins: [UInt8]
    /// Feature j's first slot in a histogram.
    let offsets: [Int]
    /// Slots of a whole histogram (every feature's bins and missing slot).
    let slotCount: Int

    /// Bin edges are quantiles of each feature's non-missing values, taken from at most 10,000 evenly
    /// spaced rows as LightGBM bins from a sample. `maxBins` must be 2 ... 255.
    init(_ data: Dataset, maxBins: Int) {
        let featureCount = data.featureNames.count
        let rows = data.rows
        let stride = max(1, rows.count / 10_000)
        var edges: [[Double]] = []
        edges.reserveCapacity(featureCount)
        for j in 0..<featureCount {
            let values = Swift.stride(from: 0, to: rows.count, by: stride).map { rows[$0][j] }.filter { !$0.isNaN }.sorted()
            var e: [Double] = []
            if values.count > 1, let largest = values.last {
                for b in 1..<maxBins {
                    let v = values[min(values.count - 1, b * values.count / maxBins)]
                    if e.last.map({ v > $0 }) ?? true, v < largest { e.append(v) }
                }
            }
            edges.append(e)
        }
        var offsets: [Int] = []
        var slots = 0
        for e in edges {
            offsets.append(slots)
            slots += e.count + 2
        }
        // Rows in chunks on the cores; each chunk's bytes are its own, joined in row order.
        let chunk = 8192
        let chunks = (rows.count + chunk - 1) / chunk
        let parts = ResultSlots<[UInt8]>(count: chunks)
        let frozen = edges
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (c * chunk)..<min(rows.count, (c + 1) * chunk)
            var part = [UInt8](repeating: 0, count: range.count * featureCount)
            var k = 0
            for i in range {
                let row = rows[i]
                for j in 0..<featureCount {
                    let v = row[j]
                    part[k] = v.isNaN ? UInt8(frozen[j].count + 1) : UInt8(Self.bin(v, frozen[j]))
                    k += 1
                }
            }
            parts.set(c, part)
        }
        var bins: [UInt8] = []
        bins.reserveCapacity(rows.count * featureCount)
        for part in parts.values() { bins += part }
        self.featureCount = featureCount
        self.rowCount = rows.count
        self.edges = edges
        self.bins = bins
        self.offsets = offsets
        self.slotCount = slots
    }

    /// The bin of `v` among `edges`: how many edges lie below it (so `v <= edges[b]` exactly when its bin is at most b).
    static func bin(_ v: Double, _ edges: [Double]) -> Int {
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

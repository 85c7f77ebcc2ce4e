import Foundation

/// The histogram loop of the boosted trees over the buffers a `TreeBuilder` owns, shareable with the
/// workers that build one histogram's features in parallel.
///
/// A histogram holds two `SIMD2<Double>` per slot: (gradient sum, hessian sum) and (row count, 0). Each
/// feature's slots are summed by one worker, over the node's rows in their order, so a histogram is the
/// same, bit for bit, however many workers share it.
struct HistogramKernel: @unchecked Sendable {
    // Unchecked: the pointers are the builder's, alive while it is; workers write disjoint features'
    // slots of one histogram and only read the rest.
    let bins: UnsafeMutablePointer<UInt8>
    let featureCount: Int
    /// Gradient and hessian of each row.
    let gh: UnsafeMutablePointer<SIMD2<Double>>
    let index: UnsafeMutablePointer<Int32>
    /// The features that can split, and the first element of each of their slots in a histogram.
    let active: UnsafeMutablePointer<Int>
    let activeBase: UnsafeMutablePointer<Int>
    let activeCount: Int
    /// Elements of each active feature's slots (two per slot).
    let activeSize: UnsafeMutablePointer<Int>
    let histograms: UnsafeMutablePointer<SIMD2<Double>>
    /// Elements of one histogram.
    let histogramSize: Int
    /// Workers for a large node: the cores, at most one per active feature.
    let workers: Int

    /// Histogram number `buffer`.
    func histogram(_ buffer: Int) -> UnsafeMutablePointer<SIMD2<Double>> { histograms + buffer &* histogramSize }

    /// Sums the rows `index[start ..< end]` of the active features `features` into histogram `buffer`, after
    /// zeroing their slots.
    func accumulate(_ start: Int, _ end: Int, features: Range<Int>, into buffer: Int) {
        let histogram = histogram(buffer)
        for a in features { (histogram + activeBase[a]).update(repeating: .zero, count: activeSize[a]) }
        let one = SIMD2<Double>(1, 0)
        for k in start..<end {
            let i = Int(index[k])
            let gradients = gh[i]
            let row = bins + i &* featureCount
            for a in features {
                let s = activeBase[a] &+ 2 &* Int(row[active[a]])
                histogram[s] += gradients
                histogram[s &+ 1] += one
            }
        }
    }

    /// Sums the rows `index[start ..< end]` into histogram `buffer`, the features split among the cores when
    /// the node is large enough to repay it.
    func accumulate(_ start: Int, _ end: Int, into buffer: Int) {
        guard workers > 1, (end - start) * activeCount >= 65_536 else {
            accumulate(start, end, features: 0..<activeCount, into: buffer)
            return
        }
        let count = activeCount
        let workers = workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            accumulate(start, end, features: (w * count / workers)..<((w + 1) * count / workers), into: buffer)
        }
    }
}

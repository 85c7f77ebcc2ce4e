import DecisioningCore
import Foundation

/// Grows the boosted trees of one fit, depth-wise, from gradient and hessian histograms.
///
/// Made once per fit: the binned features, the gradients, the training rows' index and the histograms
/// live in buffers allocated here and reused by every tree, so growing a tree allocates only its nodes.
/// A node's rows are a range of `index`, partitioned stably in place at each split, so every histogram
/// and sum adds its rows in ascending order. A child's histogram is its smaller sibling's subtracted from
/// the parent's, in the parent's buffer; the smaller one goes to the buffer of its depth.
final class TreeBuilder {
    let parameters: GradientBoostedTrees.Parameters
    let features: FeatureBins
    let featureCount: Int
    /// Features with at least one edge (the others cannot split).
    let active: [Int]
    let bins: UnsafeMutablePointer<UInt8>
    /// Gradient and hessian of each row, set by the caller before each tree.
    let gh: UnsafeMutablePointer<SIMD2<Double>>
    /// The training rows, ascending; `index` is their working copy, partitioned as the tree grows.
    let train: [Int32]
    let index: UnsafeMutablePointer<Int32>
    let scratch: UnsafeMutablePointer<Int32>
    /// Which side of the current split each bin value goes (1 left, 0 right).
    let side: UnsafeMutablePointer<UInt8>
    /// One histogram per depth, `kernel.histogramSize` elements each.
    let histograms: UnsafeMutablePointer<SIMD2<Double>>
    let kernel: HistogramKernel

    var nodes: [GradientBoostedTrees.Node] = []
    /// The last bin on the left of each split node (0 for leaves), for `evaluateBinned`.
    var splitBins: [Int32] = []
    /// Split gain per feature of the last tree.
    var gains: [Double]
    /// The last tree's leaves: the range of `index` holding their rows, and their value.
    var leaves: [(start: Int, end: Int, value: Double)] = []

    init(_ features: FeatureBins, train: [Int], parameters: GradientBoostedTrees.Parameters) {
        self.parameters = parameters
        self.features = features
        featureCount = features.featureCount
        let active = (0..<features.featureCount).filter { !features.edges[$0].isEmpty }
        self.active = active
        let activeColumns = UnsafeMutablePointer<Int>.allocate(capacity: 3 * max(1, active.count))
        for (a, j) in active.enumerated() {
            activeColumns[a] = j
            activeColumns[active.count + a] = 2 * features.offsets[j]
            activeColumns[2 * active.count + a] = 2 * (features.edges[j].count + 2)
        }
        bins = .allocate(capacity: max(1, features.bins.count))
        bins.initialize(from: features.bins, count: features.bins.count)
        gh = .allocate(capacity: max(1, features.rowCount))
        gh.initialize(repeating: .zero, count: max(1, features.rowCount))
        self.train = train.map { Int32($0) }
        index = .allocate(capacity: max(1, train.count))
        scratch = .allocate(capacity: max(1, train.count))
        side = .allocate(capacity: 256)
        side.initialize(repeating: 0, count: 256)
        let histogramSize = 2 * features.slotCount
        histograms = .allocate(capacity: (parameters.maxDepth + 1) * histogramSize)
        kernel = HistogramKernel(
            bins: bins, featureCount: features.featureCount, gh: gh, index: index, active: activeColumns,
            activeBase: activeColumns + active.count, activeCount: active.count, activeSize: activeColumns + 2 * active.count,
            histograms: histograms, histogramSize: histogramSize,
            workers: min(active.count, ProcessInfo.processInfo.activeProcessorCount))
        gains = Array(repeating: 0, count: features.featureCount)
    }

    deinit {
        kernel.active.deallocate()
        bins.deallocate()
        gh.deallocate()
        index.deallocate()
        scratch.deallocate()
        side.deallocate()
        histograms.deallocate()
    }

    func leafValue(_ gradient: Double, _ hessian: Double) -> Double { -gradient / (hessian + parameters.l2) * parameters.learningRate }

    func score(_ gradient: Double, _ hessian: Double) -> Double { gradient * gradient / (hessian + parameters.l2) }

    /// Grows one tree on the training rows from the gradients in `gh`.
    func build() -> GradientBoostedTrees.Tree {
        nodes.removeAll(keepingCapacity: true)
        splitBins.removeAll(keepingCapacity: true)
        leaves.removeAll(keepingCapacity: true)
        for j in 0..<featureCount { gains[j] = 0 }
        var gradient = 0.0
        var hessian = 0.0
        train.withUnsafeBufferPointer { train in
            for k in 0..<train.count {
                let i = train[k]
                index[k] = i
                gradient += gh[Int(i)].x
                hessian += gh[Int(i)].y
            }
        }
        let count = train.count
        if parameters.maxDepth > 0 && count >= 2 * parameters.minSamplesLeaf { kernel.accumulate(0, count, into: 0) }
        _ = grow(0, count, gradient, hessian, buffer: 0, depth: 0)
        return GradientBoostedTrees.Tree(nodes: nodes)
    }

    /// The best split of feature `j` from its histogram: gain, last bin on the left, where missing values go.
    func bestSplit(
        _ j: Int, _ histogram: UnsafeMutablePointer<SIMD2<Double>>, _ count: Int, _ gradient: Double, _ hessian: Double, _ parent: Double
    ) -> (gain: Double, bin: Int, missingLeft: Bool)? {
        let edgeCount = features.edges[j].count
        guard edgeCount > 0 else { return nil }
        let base = histogram + 2 * features.offsets[j]
        let missing = base + 2 * (edgeCount + 1)
        let mg = missing[0].x
        let mh = missing[0].y
        let mn = Int(missing[1].x)
        var best: (gain: Double, bin: Int, missingLeft: Bool)?
        var lg = 0.0
        var lh = 0.0
        var ln = 0
        let minLeaf = parameters.minSamplesLeaf
        func consider(_ leftG: Double, _ leftH: Double, _ leftN: Int, _ b: Int, _ missingLeft: Bool) {
            guard leftN >= minLeaf, count - leftN >= minLeaf else { return }
            let gain = score(leftG, leftH) + score(gradient - leftG, hessian - leftH) - parent
            if gain > 1e-12, best.map({ gain > $0.gain }) ?? true { best = (gain, b, missingLeft) }
        }
        for b in 0..<edgeCount {
            lg += base[2 * b].x
            lh += base[2 * b].y
            ln += Int(base[2 * b + 1].x)
            consider(lg, lh, ln, b, false)
            if mn > 0 { consider(lg + mg, lh + mh, ln + mn, b, true) }
        }
        return best
    }

    /// Adds the node for the rows `index[start ..< end]`, whose gradient and hessian sums are given, and its
    /// subtree; returns its index. Histogram number `buffer` holds the node's histogram when the node may split
    /// (below the depth limit, enough rows).
    func grow(_ start: Int, _ end: Int, _ gradient: Double, _ hessian: Double, buffer: Int, depth: Int) -> Int32 {
        let count = end - start
        let node = Int32(nodes.count)
        let value = leafValue(gradient, hessian)
        nodes.append(.init(feature: -1, threshold: 0, missingLeft: false, left: -1, right: -1, value: value))
        splitBins.append(0)
        let minLeaf = parameters.minSamplesLeaf
        guard depth < parameters.maxDepth, count >= 2 * minLeaf else {
            leaves.append((start, end, value))
            return node
        }
        let histogram = kernel.histogram(buffer)
        let parent = score(gradient, hessian)
        var best: (gain: Double, feature: Int, bin: Int, missingLeft: Bool)?
        for j in active {
            if let split = bestSplit(j, histogram, count, gradient, hessian, parent), best.map({ split.gain > $0.gain }) ?? true {
                best = (split.gain, j, split.bin, split.missingLeft)
            }
        }
        guard let split = best else {
            leaves.append((start, end, value))
            return node
        }
        gains[split.feature] += split.gain
        // Stable partition without branches: left rows stay at the front in order, right rows go through
        // `scratch`; each side's sums add its rows in order.
        // Which side each bin goes: 1 left, 0 right (the missing-value slot as the split learned).
        let missingBin = features.edges[split.feature].count + 1
        for b in 0..<256 { side[b] = b == missingBin ? (split.missingLeft ? 1 : 0) : (b <= split.bin ? 1 : 0) }
        let column = bins + split.feature
        var l = start
        var r = 0
        var left = SIMD2<Double>.zero
        var right = SIMD2<Double>.zero
        for k in start..<end {
            let i = index[k]
            let goesLeft = Int(side[Int(column[Int(i) &* featureCount])])
            index[l] = i
            scratch[r] = i
            // Multiplying by 1 or 0 keeps the sums those of the side's rows, bit for bit (adding -0 changes nothing).
            let gradients = gh[Int(i)]
            let mask = SIMD2<Double>(repeating: Double(goesLeft))
            left += gradients * mask
            right += gradients * (SIMD2<Double>(repeating: 1) - mask)
            l &+= goesLeft
            r &+= 1 &- goesLeft
        }
        (index + l).update(from: scratch, count: r)
        let leftCount = l - start
        let rightCount = end - l
        // Children that may split need histograms: the smaller's from its rows, the larger's by subtraction
        // in the parent's buffer.
        var leftBuffer = buffer
        var rightBuffer = buffer
        if depth + 1 < parameters.maxDepth && max(leftCount, rightCount) >= 2 * minLeaf {
            let child = depth + 1
            if leftCount <= rightCount {
                kernel.accumulate(start, l, into: child)
                leftBuffer = child
            } else {
                kernel.accumulate(l, end, into: child)
                rightBuffer = child
            }
            let smaller = kernel.histogram(child)
            for s in 0..<kernel.histogramSize { histogram[s] -= smaller[s] }
        }
        let leftNode = grow(start, l, left.x, left.y, buffer: leftBuffer, depth: depth + 1)
        let rightNode = grow(l, end, right.x, right.y, buffer: rightBuffer, depth: depth + 1)
        nodes[Int(node)].feature = Int32(split.feature)
        nodes[Int(node)].threshold = features.edges[split.feature][split.bin]
        nodes[Int(node)].missingLeft = split.missingLeft
        nodes[Int(node)].left = leftNode
        nodes[Int(node)].right = rightNode
        splitBins[Int(node)] = Int32(split.bin)
        return node
    }

    /// The last tree's output for row `i`, walked on its bins (the same path as the thresholds give).
    func evaluateBinned(_ i: Int) -> Double {
        var n = 0
        let row = bins + i * featureCount
        while nodes[n].feature >= 0 {
            let node = nodes[n]
            let j = Int(node.feature)
            let b = row[j]
            let left = Int(b) == features.edges[j].count + 1 ? node.missingLeft : Int32(b) <= splitBins[n]
            n = Int(left ? node.left : node.right)
        }
        return nodes[n].value
    }
}

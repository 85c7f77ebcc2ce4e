import DecisioningCore
import Foundation

/// Histogram-based gradient-boosted decision trees for binary classification (logistic loss) and
/// regression (squared error), in the manner of LightGBM and scikit-learn's HistGradientBoosting.
///
/// Features are binned into at most `maxBins` quantile bins; missing values (NaN) get a bin of their
/// own, and each split learns whether they go left or right. Trees grow depth-wise to `maxDepth`
/// with `minSamplesLeaf` and L2 leaf regularisation; early stopping watches a seeded validation split.
/// Training is deterministic: the same data, parameters and seed give the same trees, bit for bit.
public struct GradientBoostedTrees: Sendable, Codable {
    public enum Objective: String, Sendable, Codable { case binaryLogistic, squaredError }

    public struct Parameters: Sendable, Codable, Hashable {
        public var iterations = 300
        public var learningRate = 0.1
        public var maxDepth = 4
        public var minSamplesLeaf = 20
        public var l2 = 1.0
        public var maxBins = 64
        /// Share of the training rows held out for early stopping (0 disables it).
        public var validationFraction = 0.15
        /// Rounds without improvement on the validation rows before stopping (scikit-learn's default, 10).
        public var earlyStoppingRounds = 10
        public var seed: UInt64 = 42

        public init(
            iterations: Int = 300, learningRate: Double = 0.1, maxDepth: Int = 4, minSamplesLeaf: Int = 20, l2: Double = 1,
            maxBins: Int = 64, validationFraction: Double = 0.15, earlyStoppingRounds: Int = 10, seed: UInt64 = 42
        ) {
            self.iterations = iterations
            self.learningRate = learningRate
            self.maxDepth = maxDepth
            self.minSamplesLeaf = minSamplesLeaf
            self.l2 = l2
            self.maxBins = maxBins
            self.validationFraction = validationFraction
            self.earlyStoppingRounds = earlyStoppingRounds
            self.seed = seed
        }
    }

    struct Node: Sendable, Codable {
        /// -1 for a leaf.
        var feature: Int32
        /// Values at or below go left.
        var threshold: Double
        var missingLeft: Bool
        var left: Int32
        var right: Int32
        /// The node's output were it a leaf (used for leaves and for per-feature contributions).
        var value: Double
    }

    struct Tree: Sendable, Codable {
        var nodes: [Node]
    }

    public let objective: Objective
    public let parameters: Parameters
    public let featureNames: [String]
    let baseScore: Double
    let trees: [Tree]
    /// Total split gain per feature, normalised to sum to 1.
    public let importance: [Double]
    /// Boosting rounds kept (after early stopping).
    public var rounds: Int { trees.count }

    /// Trains on `data`. Binary labels must be 0 or 1.
    public static func fit(_ data: Dataset, objective: Objective, parameters: Parameters = Parameters()) throws(LearningError)
        -> GradientBoostedTrees
    {
        if objective == .binaryLogistic {
            guard data.labels.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw .invalidInput("binary labels must be 0 or 1") }
            let positives = data.labels.filter { $0 == 1 }.count
            guard positives > 0 && positives < data.count else {
                throw .singleClass("all \(data.count) labels are \(positives > 0 ? 1 : 0): a classifier needs both classes")
            }
        }
        guard parameters.maxBins >= 2 && parameters.maxBins <= 255 else { throw .invalidInput("maxBins must be between 2 and 255") }
        let featureCount = data.featureNames.count
        // Bin edges from the training rows: quantiles of each feature's non-missing values.
        var edges: [[Double]] = []
        for j in 0..<featureCount {
            // Quantiles from at most 10,000 evenly spaced rows, as LightGBM bins from a sample.
            let stride = max(1, data.count / 10_000)
            let values = Swift.stride(from: 0, to: data.count, by: stride).map { data.rows[$0][j] }.filter { !$0.isNaN }.sorted()
            var e: [Double] = []
            if values.count > 1 {
                for b in 1..<parameters.maxBins {
                    let v = values[min(values.count - 1, b * values.count / parameters.maxBins)]
                    if e.last.map({ v > $0 }) ?? true, v < values.last! { e.append(v) }
                }
            }
            edges.append(e)
        }
        let missingBin = UInt8(255)
        let binSlots = ResultSlots<[UInt8]>(count: featureCount)
        let rows = data.rows
        let frozenEdges = edges
        DispatchQueue.concurrentPerform(iterations: featureCount) { j in
            binSlots.set(j, rows.map { row in row[j].isNaN ? missingBin : UInt8(Self.bin(row[j], frozenEdges[j])) })
        }
        let bins = binSlots.values()
        // Validation split for early stopping.
        let order = SplitMixShuffle.shuffledIndexes(data.count, seed: parameters.seed)
        let validationCount =
            parameters.validationFraction > 0 && data.count >= 50 ? Int(Double(data.count) * parameters.validationFraction) : 0
        let validation = Array(order.prefix(validationCount)).sorted()
        let train = Array(order.dropFirst(validationCount)).sorted()
        let y = data.labels
        let mean = train.reduce(0) { $0 + y[$1] } / Double(train.count)
        let base = objective == .binaryLogistic ? log(max(1e-12, mean) / max(1e-12, 1 - mean)) : mean
        var score = [Double](repeating: base, count: data.count)
        var trees: [Tree] = []
        var gains = [Double](repeating: 0, count: featureCount)
        var bestLoss = Double.infinity
        var bestRounds = 0
        var bestGains = gains
        for _ in 0..<parameters.iterations {
            var g = [Double](repeating: 0, count: data.count)
            var h = [Double](repeating: 0, count: data.count)
            switch objective {
            case .binaryLogistic:
                for i in train {
                    let p = 1 / (1 + exp(-score[i]))
                    g[i] = p - y[i]
                    h[i] = max(1e-12, p * (1 - p))
                }
            case .squaredError:
                for i in train {
                    g[i] = score[i] - y[i]
                    h[i] = 1
                }
            }
            var builder = TreeBuilder(bins: bins, edges: edges, g: g, h: h, parameters: parameters, missingBin: missingBin)
            let tree = builder.build(train)
            for j in 0..<featureCount { gains[j] += builder.gains[j] }
            // Training rows already know their leaf; only held-out rows walk the tree.
            for (i, leaf) in builder.leafOf { score[i] += tree.nodes[Int(leaf)].value }
            for i in validation { score[i] += Self.evaluate(tree, data.rows[i]) }
            trees.append(tree)
            if !validation.isEmpty {
                let loss = Self.loss(objective, validation.map { score[$0] }, validation.map { y[$0] })
                if loss < bestLoss - 1e-12 {
                    bestLoss = loss
                    bestRounds = trees.count
                    bestGains = gains
                } else if trees.count - bestRounds >= parameters.earlyStoppingRounds {
                    break
                }
            }
        }
        if !validation.isEmpty {
            trees = Array(trees.prefix(max(1, bestRounds)))
            gains = bestGains
        }
        let total = gains.reduce(0, +)
        return GradientBoostedTrees(
            objective: objective, parameters: parameters, featureNames: data.featureNames, baseScore: base, trees: trees,
            importance: gains.map { total > 0 ? $0 / total : 0 })
    }

    static func bin(_ v: Double, _ edges: [Double]) -> Int {
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func loss(_ objective: Objective, _ scores: [Double], _ labels: [Double]) -> Double {
        var total = 0.0
        for (s, y) in zip(scores, labels) {
            switch objective {
            case .binaryLogistic: total += log(1 + exp(-abs(s))) + max(s, 0) - y * s
            case .squaredError: total += (s - y) * (s - y)
            }
        }
        return total / Double(max(1, scores.count))
    }

    static func evaluate(_ tree: Tree, _ row: [Double]) -> Double {
        var n = 0
        while tree.nodes[n].feature >= 0 {
            let node = tree.nodes[n]
            let v = row[Int(node.feature)]
            let left = v.isNaN ? node.missingLeft : v <= node.threshold
            n = Int(left ? node.left : node.right)
        }
        return tree.nodes[n].value
    }

    /// The raw score: log-odds for classification, the prediction for regression.
    public func rawScore(_ row: [Double]) -> Double {
        trees.reduce(baseScore) { $0 + Self.evaluate($1, row) }
    }

    /// The probability of class 1, or the predicted value.
    public func predict(_ row: [Double]) -> Double {
        let s = rawScore(row)
        return objective == .binaryLogistic ? 1 / (1 + exp(-s)) : s
    }

    /// Per-feature contributions to the raw score (Saabas path attribution), plus the bias:
    /// `bias + contributions.reduce(0, +) == rawScore(row)`.
    public func contributions(_ row: [Double]) -> (bias: Double, contributions: [Double]) {
        var c = [Double](repeating: 0, count: featureNames.count)
        var bias = baseScore
        for tree in trees {
            var n = 0
            bias += tree.nodes[0].value
            while tree.nodes[n].feature >= 0 {
                let node = tree.nodes[n]
                let v = row[Int(node.feature)]
                let next = Int((v.isNaN ? node.missingLeft : v <= node.threshold) ? node.left : node.right)
                c[Int(node.feature)] += tree.nodes[next].value - node.value
                n = next
            }
        }
        return (bias, c)
    }
}

/// Grows one tree depth-wise from gradient and hessian histograms.
struct TreeBuilder {
    let bins: [[UInt8]]
    let edges: [[Double]]
    let g: [Double]
    let h: [Double]
    /// g and h interleaved, for the histogram loop.
    let gh: [Double]
    let parameters: GradientBoostedTrees.Parameters
    let missingBin: UInt8
    var nodes: [GradientBoostedTrees.Node] = []
    var gains: [Double]
    /// The leaf each training row ended in.
    var leafOf: [(Int, Int32)] = []

    init(bins: [[UInt8]], edges: [[Double]], g: [Double], h: [Double], parameters: GradientBoostedTrees.Parameters, missingBin: UInt8) {
        self.bins = bins
        self.edges = edges
        self.g = g
        self.h = h
        var gh = [Double](repeating: 0, count: 2 * g.count)
        for i in 0..<g.count {
            gh[2 * i] = g[i]
            gh[2 * i + 1] = h[i]
        }
        self.gh = gh
        self.parameters = parameters
        self.missingBin = missingBin
        gains = Array(repeating: 0, count: bins.count)
    }

    func leafValue(_ gradient: Double, _ hessian: Double) -> Double { -gradient / (hessian + parameters.l2) * parameters.learningRate }

    func score(_ gradient: Double, _ hessian: Double) -> Double { gradient * gradient / (hessian + parameters.l2) }

    mutating func build(_ rows: [Int]) -> GradientBoostedTrees.Tree {
        nodes = []
        leafOf = []
        leafOf.reserveCapacity(rows.count)
        _ = grow(rows, histograms(rows), depth: 0)
        return GradientBoostedTrees.Tree(nodes: nodes)
    }

    /// Gradient, hessian and count sums per bin of one feature, plus those of the missing values.
    struct Histogram: Sendable {
        var g: [Double]
        var h: [Double]
        var n: [Int]
        var mg = 0.0, mh = 0.0, mn = 0

        static func - (a: Histogram, b: Histogram) -> Histogram {
            var d = a
            for k in 0..<d.g.count {
                d.g[k] -= b.g[k]
                d.h[k] -= b.h[k]
                d.n[k] -= b.n[k]
            }
            d.mg -= b.mg
            d.mh -= b.mh
            d.mn -= b.mn
            return d
        }
    }

    /// Every feature's histogram over `rows`, features in parallel for large nodes.
    func histograms(_ rows: [Int]) -> [Histogram] {
        let featureCount = bins.count
        if rows.count * featureCount >= 20_000 && featureCount > 1 {
            let slots = ResultSlots<Histogram>(count: featureCount)
            let me = self
            DispatchQueue.concurrentPerform(iterations: featureCount) { j in slots.set(j, me.histogram(j, rows)) }
            return slots.values()
        }
        return (0..<featureCount).map { histogram($0, rows) }
    }

    func histogram(_ j: Int, _ rows: [Int]) -> Histogram {
        let binCount = edges[j].count + 1
        var hist = Histogram(
            g: [Double](repeating: 0, count: binCount), h: [Double](repeating: 0, count: binCount), n: [Int](repeating: 0, count: binCount))
        guard !edges[j].isEmpty else { return hist }
        // One interleaved sum array (g, h, count per bin) keeps the inner loop in one cache line per bin.
        var sums = [Double](repeating: 0, count: 3 * (binCount + 1))
        let missing = 3 * binCount
        bins[j].withUnsafeBufferPointer { column in
            gh.withUnsafeBufferPointer { gh in
                sums.withUnsafeMutableBufferPointer { sums in
                    rows.withUnsafeBufferPointer { rows in
                        for i in rows {
                            let b = column[i]
                            let k = b == missingBin ? missing : 3 * Int(b)
                            sums[k] += gh[2 * i]
                            sums[k + 1] += gh[2 * i + 1]
                            sums[k + 2] += 1
                        }
                    }
                }
            }
        }
        for b in 0..<binCount {
            hist.g[b] = sums[3 * b]
            hist.h[b] = sums[3 * b + 1]
            hist.n[b] = Int(sums[3 * b + 2])
        }
        hist.mg = sums[missing]
        hist.mh = sums[missing + 1]
        hist.mn = Int(sums[missing + 2])
        return hist
    }

    /// The best split of feature `j` from its histogram: gain, last bin on the left, where missing values go.
    func bestSplit(_ j: Int, _ hist: Histogram, _ count: Int, _ gradient: Double, _ hessian: Double, _ parent: Double) -> (
        gain: Double, bin: Int, missingLeft: Bool
    )? {
        guard !edges[j].isEmpty else { return nil }
        var best: (gain: Double, bin: Int, missingLeft: Bool)?
        var lg = 0.0
        var lh = 0.0
        var ln = 0
        let minLeaf = parameters.minSamplesLeaf
        func consider(_ leftG: Double, _ leftH: Double, _ leftN: Int, _ b: Int, _ missingLeft: Bool) {
            guard leftN >= minLeaf, count - leftN >= minLeaf else { return }
            let gain = score(leftG, leftH) + score(gradient - leftG, hessian - leftH) - parent
            if gain > 1e-12, best == nil || gain > best!.gain { best = (gain, b, missingLeft) }
        }
        for b in 0..<(hist.g.count - 1) {
            lg += hist.g[b]
            lh += hist.h[b]
            ln += hist.n[b]
            consider(lg, lh, ln, b, false)
            if hist.mn > 0 { consider(lg + hist.mg, lh + hist.mh, ln + hist.mn, b, true) }
        }
        return best
    }

    /// Adds the node for `rows` (whose histograms are given) and its subtree; returns its index.
    /// A child's histograms come from its smaller sibling's by subtraction from the parent's.
    mutating func grow(_ rows: [Int], _ hists: [Histogram], depth: Int) -> Int32 {
        var gradient = 0.0
        var hessian = 0.0
        for i in rows {
            gradient += g[i]
            hessian += h[i]
        }
        let index = Int32(nodes.count)
        nodes.append(.init(feature: -1, threshold: 0, missingLeft: false, left: -1, right: -1, value: leafValue(gradient, hessian)))
        guard depth < parameters.maxDepth, rows.count >= 2 * parameters.minSamplesLeaf else {
            for i in rows { leafOf.append((i, index)) }
            return index
        }
        let parent = score(gradient, hessian)
        var best: (gain: Double, feature: Int, bin: Int, missingLeft: Bool)?
        for j in 0..<bins.count {
            if let split = bestSplit(j, hists[j], rows.count, gradient, hessian, parent), best == nil || split.gain > best!.gain {
                best = (split.gain, j, split.bin, split.missingLeft)
            }
        }
        guard let split = best else {
            for i in rows { leafOf.append((i, index)) }
            return index
        }
        gains[split.feature] += split.gain
        let column = bins[split.feature]
        var left: [Int] = []
        var right: [Int] = []
        left.reserveCapacity(rows.count)
        right.reserveCapacity(rows.count)
        for i in rows {
            let b = column[i]
            if b == missingBin ? split.missingLeft : Int(b) <= split.bin { left.append(i) } else { right.append(i) }
        }
        let leftHists: [Histogram]
        let rightHists: [Histogram]
        if depth + 1 < parameters.maxDepth {
            if left.count <= right.count {
                leftHists = histograms(left)
                rightHists = zip(hists, leftHists).map { $0 - $1 }
            } else {
                rightHists = histograms(right)
                leftHists = zip(hists, rightHists).map { $0 - $1 }
            }
        } else {
            // Children at the depth limit become leaves: no histograms needed.
            leftHists = []
            rightHists = []
        }
        let l = grow(left, leftHists, depth: depth + 1)
        let r = grow(right, rightHists, depth: depth + 1)
        nodes[Int(index)].feature = Int32(split.feature)
        nodes[Int(index)].threshold = edges[split.feature][split.bin]
        nodes[Int(index)].missingLeft = split.missingLeft
        nodes[Int(index)].left = l
        nodes[Int(index)].right = r
        return index
    }
}

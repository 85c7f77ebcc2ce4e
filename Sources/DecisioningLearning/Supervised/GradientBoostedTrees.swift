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
        guard parameters.maxDepth >= 0 && parameters.minSamplesLeaf >= 1 else {
            throw .invalidInput("maxDepth must be at least 0 and minSamplesLeaf at least 1")
        }
        let featureCount = data.featureNames.count
        // Every row binned once, with edges from the training rows' quantiles.
        let features = FeatureBins(data, maxBins: parameters.maxBins)
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
        let builder = TreeBuilder(features, train: train, parameters: parameters)
        let gh = builder.gh
        for _ in 0..<parameters.iterations {
            switch objective {
            case .binaryLogistic:
                for i in train {
                    let p = 1 / (1 + exp(-score[i]))
                    gh[i] = SIMD2(p - y[i], max(1e-12, p * (1 - p)))
                }
            case .squaredError:
                for i in train {
                    gh[i] = SIMD2(score[i] - y[i], 1)
                }
            }
            let tree = builder.build()
            for j in 0..<featureCount { gains[j] += builder.gains[j] }
            // Training rows already sit in their leaf's range; only held-out rows walk the tree (on their bins).
            for leaf in builder.leaves {
                for k in leaf.start..<leaf.end { score[Int(builder.index[k])] += leaf.value }
            }
            var loss = 0.0
            for i in validation {
                score[i] += builder.evaluateBinned(i)
                loss += Self.loss(objective, score[i], y[i])
            }
            trees.append(tree)
            if !validation.isEmpty {
                loss /= Double(validation.count)
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

    /// One row's loss: logistic (log-odds `s`, label 0 or 1) or squared error.
    static func loss(_ objective: Objective, _ s: Double, _ y: Double) -> Double {
        switch objective {
        case .binaryLogistic: return log(1 + exp(-abs(s))) + max(s, 0) - y * s
        case .squaredError: return (s - y) * (s - y)
        }
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

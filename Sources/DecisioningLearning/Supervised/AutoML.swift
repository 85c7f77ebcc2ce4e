import DecisioningCore
import Foundation

/// A trained supervised model of any kind AutoML tries; serialisable for the model registry.
public enum TrainedModel: Sendable, Codable {
    case trees(GradientBoostedTrees)
    case logistic(LogisticRegression)
    case linear(LinearRegression)

    /// The probability of class 1 (classification) or the predicted value (regression).
    public func predict(_ row: [Double]) -> Double {
        switch self {
        case .trees(let m): return m.predict(row)
        case .logistic(let m): return m.predict(row)
        case .linear(let m): return m.predict(row)
        }
    }

    public var featureNames: [String] {
        switch self {
        case .trees(let m): return m.featureNames
        case .logistic(let m): return m.featureNames
        case .linear(let m): return m.featureNames
        }
    }

    /// Global importance per feature, summing to 1: split gain for trees, |standardised weight| for linear models.
    public var importance: [Double] {
        switch self {
        case .trees(let m): return m.importance
        case .logistic(let m): return Self.normalised(m.weights.dropFirst().map(abs))
        case .linear(let m): return Self.normalised(m.weights.dropFirst().map(abs))
        }
    }

    /// Per-feature pushes on this row's score (log-odds for classifiers): path attribution for trees,
    /// weight × standardised value for linear models.
    public func contributions(_ row: [Double]) -> [Double] {
        switch self {
        case .trees(let m): return m.contributions(row).contributions
        case .logistic(let m): return m.contributions(row)
        case .linear(let m): return m.contributions(row)
        }
    }

    static func normalised(_ v: [Double]) -> [Double] {
        let total = v.reduce(0, +)
        return v.map { total > 0 ? $0 / total : 0 }
    }
}

extension LogisticRegression {
    public func contributions(_ row: [Double]) -> [Double] {
        let x = Standardiser.apply(row, means, scales)
        return zip(weights.dropFirst(), x).map { $0 * $1 }
    }
}

extension LinearRegression {
    public func contributions(_ row: [Double]) -> [Double] {
        let x = Standardiser.apply(row, means, scales)
        return zip(weights.dropFirst(), x).map { $0 * $1 }
    }
}

/// Model selection as HeatWave AutoML does it: try candidate models and a small hyperparameter
/// grid, score each by k-fold cross-validation (ROC AUC for classification, RMSE for regression),
/// refit the winner on all rows, and record what was tried and why the winner won.
public enum AutoML {
    public enum Task: String, Sendable, Codable { case classification, regression }

    public struct Trial: Sendable, Codable, Hashable {
        public var model: String
        public var settings: String
        /// Mean cross-validated ROC AUC (higher is better) or RMSE (lower is better).
        public var score: Double
        public var seconds: Double
    }

    public struct Result: Sendable, Codable {
        public var task: Task
        public var metric: String
        public var folds: Int
        public var trials: [Trial]
        public var winner: Trial
        public var reason: String
        public var model: TrainedModel
        /// True when the time budget stopped the search before every candidate was tried.
        public var budgetExhausted: Bool
    }

    struct Candidate {
        var model: String
        var settings: String
        var train: @Sendable (Dataset) throws -> TrainedModel
    }

    static func candidates(_ task: Task, seed: UInt64) -> [Candidate] {
        var list: [Candidate] = []
        switch task {
        case .classification:
            for l2 in [1.0, 10.0] {
                list.append(
                    Candidate(model: "logistic regression", settings: "l2=\(l2)") { .logistic(try LogisticRegression.fit($0, l2: l2)) })
            }
        case .regression:
            list.append(Candidate(model: "linear regression", settings: "ridge") { .linear(try LinearRegression.fit($0)) })
        }
        let objective: GradientBoostedTrees.Objective = task == .classification ? .binaryLogistic : .squaredError
        for (depth, rate, leaf) in [(3, 0.1, 20), (5, 0.1, 40)] {
            let parameters = GradientBoostedTrees.Parameters(learningRate: rate, maxDepth: depth, minSamplesLeaf: leaf, seed: seed)
            list.append(
                Candidate(model: "gradient-boosted trees", settings: "depth=\(depth) learning_rate=\(rate) min_leaf=\(leaf)") {
                    .trees(try GradientBoostedTrees.fit($0, objective: objective, parameters: parameters))
                })
        }
        return list
    }

    /// Runs the search. Every candidate is tried unless `timeBudget` (seconds) runs out first; the
    /// first candidate (the baseline) always is. With a budget that binds, the result can depend on the
    /// machine's speed: `budgetExhausted` says so.
    /// `stopped` is asked between candidates: when it says true (the caller gave up), the search
    /// ends with `LearningError.stopped` instead of trying the rest.
    public static func run(
        _ task: Task, _ data: Dataset, folds k: Int = 3, seed: UInt64 = 42, timeBudget: Double = 120,
        stopped: () -> Bool = { false }
    ) throws(LearningError) -> Result {
        let folds = try data.folds(k, seed: seed)
        if task == .classification {
            for f in folds where Set(f.test.map { data.labels[$0] }).count < 2 || Set(f.train.map { data.labels[$0] }).count < 2 {
                throw .singleClass("a cross-validation fold holds a single class; add rows of the rarer class or use fewer folds")
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var trials: [Trial] = []
        var exhausted = false
        let splits = folds.map { (train: data.subset($0.train), test: data.subset($0.test)) }
        for (i, candidate) in candidates(task, seed: seed).enumerated() {
            if stopped() { throw .stopped("the model search was stopped after \(i) of its candidates: its caller gave up") }
            if i > 0 && (clock.now - start).seconds > timeBudget {
                exhausted = true
                break
            }
            let t0 = clock.now
            // The folds train in parallel; their scores are combined in fold order.
            let slots = ResultSlots<Swift.Result<Double, LearningError>>(count: splits.count)
            DispatchQueue.concurrentPerform(iterations: splits.count) { f in
                do {
                    let model = try candidate.train(splits[f].train)
                    let test = splits[f].test
                    let predictions = test.rows.map(model.predict)
                    let score =
                        task == .classification
                        ? Metrics.rocAUC(scores: predictions, labels: test.labels.map { $0 == 1 }) ?? 0.5
                        : Metrics.rmse(actual: test.labels, predicted: predictions)
                    slots.set(f, .success(score))
                } catch let e as LearningError {
                    slots.set(f, .failure(e))
                } catch {
                    slots.set(f, .failure(.invalidInput("\(error)")))
                }
            }
            var scores: [Double] = []
            for result in slots.values() {
                switch result {
                case .success(let score): scores.append(score)
                case .failure(let error): throw error
                }
            }
            trials.append(
                Trial(
                    model: candidate.model, settings: candidate.settings, score: scores.reduce(0, +) / Double(scores.count),
                    seconds: (clock.now - t0).seconds))
        }
        let better: (Trial, Trial) -> Bool = task == .classification ? { $0.score > $1.score } : { $0.score < $1.score }
        var winnerIndex = 0
        for (i, t) in trials.enumerated() where better(t, trials[winnerIndex]) { winnerIndex = i }
        let winner = trials[winnerIndex]
        let runnerUp = trials.enumerated().filter { $0.offset != winnerIndex }.map(\.element).sorted { better($0, $1) }.first
        let metric = task == .classification ? "ROC AUC" : "RMSE"
        let reason =
            "\(winner.model) (\(winner.settings)) had the best \(k)-fold \(metric), \(String(format: "%.4f", winner.score))"
            + (runnerUp.map { String(format: ", against %.4f for %@ (%@)", $0.score, $0.model, $0.settings) } ?? "")
        let model: TrainedModel
        do { model = try candidates(task, seed: seed)[winnerIndex].train(data) } catch let e as LearningError { throw e } catch {
            throw .invalidInput("\(error)")
        }
        return Result(
            task: task, metric: metric, folds: k, trials: trials, winner: winner, reason: reason, model: model, budgetExhausted: exhausted)
    }
}

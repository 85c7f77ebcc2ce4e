import DecisioningCore
import DecisioningLearning
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// Completed projects with what was known at their start, labelled by the generator's planted overruns.
struct OverrunData {
    let dataset: Dataset

    static let types = ["IMPLEMENTATION", "CONSULTING", "INTEGRATION", "MIGRATION", "MAINTENANCE", "RESEARCH"]

    static func make() throws -> OverrunData {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("overrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent("o.sqlite").path)
        let truth = try Generator(spec: GeneratorSpec(scale: 0.05, seed: 8, asOf: Day(iso: "2026-11-25")!)).generate(into: store)
        let overrun = Set(truth.overrun.overrunProjects)
        let rows = try store.query(
            """
            SELECT p.project_id, p.project_type, p.budget_amount, c.risk_score, c.average_payment_days, c.payment_terms
            FROM projects p JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE p.status = 'COMPLETED' AND p.budget_amount > 0 AND p.end_date >= p.start_date ORDER BY p.project_id
            """, arguments: [],
            columnTypes: [.longText, .longText, .money, .decimal(precision: 3, scale: 2), .decimal(precision: 5, scale: 1), .integer])
        var features: [[Double]] = []
        var labels: [Double] = []
        for r in rows {
            guard case .text(let id) = r[0], case .text(let type) = r[1], case .decimal(let budget) = r[2],
                case .decimal(let risk) = r[3], case .decimal(let days) = r[4], case .integer(let terms) = r[5]
            else { continue }
            var row = [Double(risk) / 100, Double(days) / 10 - Double(terms), log(Double(budget) / 100)]
            row += types.map { $0 == type ? 1 : 0 }
            features.append(row)
            labels.append(overrun.contains(id) ? 1 : 0)
        }
        let names = ["risk_score", "days_late", "log_budget"] + types.map { "type_\($0)" }
        return OverrunData(dataset: try Dataset(featureNames: names, rows: features, labels: labels))
    }
}

@Suite struct SupervisedTests {
    static let data = try! OverrunData.make()

    func heldOut(_ seed: UInt64 = 3) throws -> (train: Dataset, test: Dataset) {
        let folds = try Self.data.dataset.folds(4, seed: seed)
        return (Self.data.dataset.subset(folds[0].train), Self.data.dataset.subset(folds[0].test))
    }

    @Test func boostedTreesPredictPlantedOverrunsOnHeldOutProjects() throws {
        let (train, test) = try heldOut()
        #expect(train.count > 1000)
        let model = try GradientBoostedTrees.fit(train, objective: .binaryLogistic)
        let auc = try #require(Metrics.rocAUC(scores: test.rows.map(model.predict), labels: test.labels.map { $0 == 1 }))
        #expect(auc >= 0.65, "held-out AUC \(auc)")
        #expect(model.rounds >= 1 && model.rounds <= 300)
        // Risk known at the start is the strongest planted driver.
        let top = model.importance.enumerated().max { $0.element < $1.element }!.offset
        #expect(["risk_score", "days_late", "log_budget"].contains(model.featureNames[top]))
    }

    @Test func logisticBaselineAlsoLearnsTheOverruns() throws {
        let (train, test) = try heldOut()
        let model = try LogisticRegression.fit(train)
        let auc = try #require(Metrics.rocAUC(scores: test.rows.map(model.predict), labels: test.labels.map { $0 == 1 }))
        #expect(auc >= 0.65, "held-out AUC \(auc)")
        #expect(model.weights[1] > 0, "higher customer risk raises the overrun odds")
    }

    @Test func contributionsAddUpToTheScore() throws {
        let (train, test) = try heldOut()
        let model = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: .init(iterations: 40))
        for row in test.rows.prefix(50) {
            let (bias, parts) = model.contributions(row)
            #expect(abs(bias + parts.reduce(0, +) - model.rawScore(row)) < 1e-9)
        }
    }

    @Test func trainingIsDeterministicAndSurvivesSerialisation() throws {
        let (train, test) = try heldOut()
        let a = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: .init(iterations: 60))
        let b = try GradientBoostedTrees.fit(train, objective: .binaryLogistic, parameters: .init(iterations: 60))
        let decoded = try JSONDecoder().decode(GradientBoostedTrees.self, from: try JSONEncoder().encode(a))
        for row in test.rows.prefix(200) {
            #expect(a.predict(row).bitPattern == b.predict(row).bitPattern)
            #expect(a.predict(row).bitPattern == decoded.predict(row).bitPattern)
        }
    }

    @Test func regressionFitsANoisyLinearSignal() throws {
        var rng = SeededRandom(seed: 4)
        let rows = (0..<2000).map { _ in [rng.uniform(0, 10), rng.uniform(-5, 5), 7.0] }
        let labels = rows.map { 3 * $0[0] - 2 * $0[1] + rng.normal(sd: 0.5) }
        let data = try Dataset(featureNames: ["a", "b", "constant"], rows: rows, labels: labels)
        let folds = try data.folds(5, seed: 1)
        let train = data.subset(folds[0].train)
        let test = data.subset(folds[0].test)
        let trees = try GradientBoostedTrees.fit(train, objective: .squaredError)
        let rmse = Metrics.rmse(actual: test.labels, predicted: test.rows.map(trees.predict))
        #expect(rmse < 1.5, "boosted trees RMSE \(rmse)")
        let linear = try LinearRegression.fit(train)
        #expect(Metrics.rmse(actual: test.labels, predicted: test.rows.map(linear.predict)) < 0.6)
        #expect(trees.importance[2] == 0, "a constant feature is never split on")
    }

    @Test func missingValuesAreHandled() throws {
        var rng = SeededRandom(seed: 6)
        var rows: [[Double]] = []
        var labels: [Double] = []
        for _ in 0..<1500 {
            let x = rng.uniform(0, 1)
            let missing = rng.chance(0.3)
            rows.append([missing ? .nan : x])
            labels.append(missing ? 1 : (x > 0.5 ? 1 : 0))
        }
        let model = try GradientBoostedTrees.fit(try Dataset(featureNames: ["x"], rows: rows, labels: labels), objective: .binaryLogistic)
        #expect(model.predict([.nan]) > 0.9)
        #expect(model.predict([0.1]) < 0.1)
        #expect(model.predict([0.9]) > 0.9)
    }

    @Test func degenerateInputsGetClearErrors() throws {
        let one = try Dataset(featureNames: ["x"], rows: [[1], [2], [3]], labels: [1, 1, 1])
        #expect(throws: LearningError.singleClass("all 3 labels are 1: a classifier needs both classes")) {
            try GradientBoostedTrees.fit(one, objective: .binaryLogistic)
        }
        #expect(throws: LearningError.invalidInput("3 rows are fewer than 5 folds")) { try one.folds(5, seed: 1) }
        #expect(throws: LearningError.emptyInput("no rows to learn from")) { try Dataset(featureNames: ["x"], rows: [], labels: []) }
        #expect(throws: LearningError.invalidInput("every row needs 2 values (one per feature)")) {
            try Dataset(featureNames: ["x", "y"], rows: [[1]], labels: [0])
        }
    }
}

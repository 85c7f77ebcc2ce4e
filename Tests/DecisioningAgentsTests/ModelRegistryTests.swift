import DecisioningAgents
import DecisioningCore
import DecisioningLearning
import DecisioningStore
import Foundation
import Testing

@Suite struct ModelRegistryTests {
    @Test func aStoredModelPredictsExactlyWhatItDid() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent("r.sqlite").path)
        try store.migrate()
        var rng = SeededRandom(seed: 12)
        let rows = (0..<800).map { _ in [rng.uniform(0, 1), rng.chance(0.1) ? .nan : rng.uniform(-1, 1)] }
        let labels = rows.map { $0[0] + ($0[1].isNaN ? 0.3 : $0[1]) * 0.2 + rng.normal(sd: 0.2) > 0.6 ? 1.0 : 0.0 }
        let data = try Dataset(featureNames: ["a", "b"], rows: rows, labels: labels)
        let search = try AutoML.run(.classification, data, folds: 3, seed: 5)
        #expect(search.trials.count == 4)
        #expect(search.reason.hasPrefix(search.winner.model))
        let record = ModelRegistry.Record(
            modelId: "test-model", name: "test", task: "classification", target: "label", features: ["a", "b"],
            score: search.winner.score, metric: search.metric, trainedAsOf: Day(iso: "2026-11-25")!, seed: 5,
            trainingQuery: "SELECT a, b FROM t", automl: search.trials, reason: search.reason, model: search.model)
        try ModelRegistry.save(record, to: store)
        let loaded = try ModelRegistry.load("test-model", from: store)
        #expect(loaded.automl == search.trials)
        for row in rows { #expect(loaded.model.predict(row).bitPattern == search.model.predict(row).bitPattern) }
        // The same for a boosted-tree model specifically (the AutoML winner may be linear).
        let trees = TrainedModel.trees(try GradientBoostedTrees.fit(data, objective: .binaryLogistic, parameters: .init(iterations: 50)))
        var treeRecord = record
        treeRecord.modelId = "test-trees"
        treeRecord.model = trees
        try ModelRegistry.save(treeRecord, to: store)
        let loadedTrees = try ModelRegistry.load("test-trees", from: store).model
        for row in rows { #expect(loadedTrees.predict(row).bitPattern == trees.predict(row).bitPattern) }
        let columns = try store.query(
            "SELECT model_type, target_column, feature_columns, model_accuracy FROM ml_models WHERE model_id = 'test-model'",
            arguments: [], columnTypes: [.longText, .longText, .json, .decimal(precision: 5, scale: 4)])
        #expect(columns.first?[0] == .text("classification"))
        #expect(columns.first?[2] == .json("[\"a\",\"b\"]"))
        #expect(throws: (any Error).self) { try ModelRegistry.load("missing", from: store) }
    }
}

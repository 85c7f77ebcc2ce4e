public import DecisioningCore
public import DecisioningLearning
public import DecisioningStore
import Foundation

/// Stores trained models in the seed's `ml_models` table (the model itself as JSON in `model_payload`)
/// and their predictions in `model_predictions`, so that a stored model predicts exactly what it did.
public enum ModelRegistry {
    public struct Record: Sendable, Codable {
        public var modelId: String
        public var name: String
        public var task: String
        public var target: String
        public var features: [String]
        /// The cross-validated score of the winner (ROC AUC or RMSE).
        public var score: Double
        public var metric: String
        public var trainedAsOf: Day
        public var seed: UInt64
        /// The SQL that selects the training rows (HeatWave dialect).
        public var trainingQuery: String
        public var automl: [AutoML.Trial]
        public var reason: String
        public var model: TrainedModel

        public init(
            modelId: String, name: String, task: String, target: String, features: [String], score: Double, metric: String,
            trainedAsOf: Day, seed: UInt64, trainingQuery: String, automl: [AutoML.Trial], reason: String, model: TrainedModel
        ) {
            self.modelId = modelId
            self.name = name
            self.task = task
            self.target = target
            self.features = features
            self.score = score
            self.metric = metric
            self.trainedAsOf = trainedAsOf
            self.seed = seed
            self.trainingQuery = trainingQuery
            self.automl = automl
            self.reason = reason
            self.model = model
        }
    }

    /// Stores `record`; the batch commits only while `cancellation` is not raised.
    public static func save(_ record: Record, to store: any Store, cancellation: CancellationFlag? = nil) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: try encoder.encode(record), as: UTF8.self)
        let features = String(decoding: try encoder.encode(record.features), as: UTF8.self)
        try store.writeBatch(cancellation: cancellation) { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels,
                columns: [
                    "model_id", "model_name", "model_type", "training_data_query", "target_column", "feature_columns", "model_accuracy",
                    "last_trained", "status", "model_payload",
                ], onConflict: .replace)
            _ = try models.insert([
                .text(record.modelId), .text(record.name), .text(record.task), .text(record.trainingQuery), .text(record.target),
                .json(features),
                .decimal(FixedPoint.units(min(9.9999, max(-9.9999, record.score)), scale: 4)),
                .timestamp(Timestamp(day: record.trainedAsOf)),
                .text("ACTIVE"), .json(payload),
            ])
        }
    }

    public static func load(_ modelId: String, from store: any Store) throws -> Record {
        let rows = try store.query(
            "SELECT model_payload FROM ml_models WHERE model_id = ?", arguments: [.text(modelId)], columnTypes: [.json])
        guard case .json(let payload)? = rows.first?.first else { throw AgentError("no model \(modelId) in ml_models") }
        return try JSONDecoder().decode(Record.self, from: Data(payload.utf8))
    }

    /// The id `savePredictions` gives the prediction of `model` for `entity` in `run`.
    public static func predictionId(run: String, model: String, entity: String) -> String { "\(run):\(model):\(entity)" }

    /// Stores one prediction per entity; ids are `<run>:<model>:<entity>` (`predictionId`).
    public static func savePredictions(
        _ predictions: [(entity: String, value: Double, confidence: Double)], model: String, runId: String,
        asOf: Day, to store: any Store, cancellation: CancellationFlag? = nil
    ) throws {
        try store.writeBatch(cancellation: cancellation) { writer in
            try insert(
                predictions, model: model, idPrefix: predictionId(run: runId, model: model, entity: ""),
                stamp: .timestamp(Timestamp(day: asOf)),
                into: writer)
        }
    }

    /// A model that is a method rather than trained weights (the anomaly detector Discovery ran):
    /// what it is, stored with its predictions in one batch.
    public struct Method: Sendable {
        public var modelId: String
        public var name: String
        public var task: String
        public var target: String
        public var features: [String]
        public var trainedAsOf: Day
        /// What ran, kept in `model_payload`.
        public var payload: [String: String]

        public init(
            modelId: String, name: String, task: String, target: String, features: [String], trainedAsOf: Day, payload: [String: String]
        ) {
            self.modelId = modelId
            self.name = name
            self.task = task
            self.target = target
            self.features = features
            self.trainedAsOf = trainedAsOf
            self.payload = payload
        }
    }

    /// Stores `method` in `ml_models` and its predictions (ids `<run>:<entity>`: with the method's
    /// long name they would not fit `prediction_id`'s 50 characters) in one batch, which commits
    /// only while `cancellation` is not raised.
    public static func save(
        _ method: Method, predictions: [(entity: String, value: Double, confidence: Double)], runId: String, to store: any Store,
        cancellation: CancellationFlag? = nil
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let features = String(decoding: try encoder.encode(method.features), as: UTF8.self)
        let payload = String(decoding: try encoder.encode(method.payload), as: UTF8.self)
        let stamp = Value.timestamp(Timestamp(day: method.trainedAsOf))
        try store.writeBatch(cancellation: cancellation) { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels,
                columns: [
                    "model_id", "model_name", "model_type", "target_column", "feature_columns", "last_trained", "status", "model_payload",
                ], onConflict: .replace)
            _ = try models.insert([
                .text(method.modelId), .text(method.name), .text(method.task), .text(method.target), .json(features), stamp,
                .text("ACTIVE"), .json(payload),
            ])
            try insert(predictions, model: method.modelId, idPrefix: "\(runId):", stamp: stamp, into: writer)
        }
    }

    static func insert(
        _ predictions: [(entity: String, value: Double, confidence: Double)], model: String, idPrefix: String, stamp: Value,
        into writer: any BatchWriter
    ) throws {
        let inserter = try writer.inserter(
            for: Catalog.modelPredictions,
            columns: ["prediction_id", "model_id", "entity_id", "prediction_value", "confidence_score", "prediction_date"],
            onConflict: .replace)
        for p in predictions {
            _ = try inserter.insert([
                .text(idPrefix + p.entity), .text(model), .text(p.entity), .decimal(FixedPoint.units(p.value, scale: 4)),
                .decimal(FixedPoint.units(min(0.9999, max(0, p.confidence)), scale: 4)), stamp,
            ])
        }
    }
}

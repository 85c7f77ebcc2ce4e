import Crypto
import DecisioningAgents
public import DecisioningCore
import DecisioningStore
import Foundation

extension Application {
    /// The `ml_models` row that keeps the project featurizer's fit, so that stored case vectors stay
    /// comparable across refreshes.
    static let projectCaseModelId = "project-case"

    /// Stores the case vector of every project started by `asOf` in `business_embeddings`
    /// (`entity_type` PROJECT), recomputing only projects whose features changed. The featurizer's fit
    /// is kept in `ml_models` (`project-case`) and reused; `refit` fits it anew on today's projects
    /// (and so rewrites every vector).
    public func refreshProjectCaseEmbeddings(asOf: Day, refit: Bool = false) throws -> EmbeddingBook.Report {
        let started = try ProjectCase.cases(warehouse.query(ProjectCase.startedPlan, asOf: asOf), query: "started projects")
        let featurizer: ProjectCaseFeaturizer
        if !refit, let fit = try storedProjectCaseFit() {
            featurizer = ProjectCaseFeaturizer(fit: fit)
        } else {
            featurizer = ProjectCaseFeaturizer(fitting: started)
            try saveProjectCaseFit(featurizer.fit, asOf: asOf)
        }
        let model = featurizer.modelName(digest: try Self.digest(featurizer.fit))
        let vectors = started.map(featurizer.vector)
        let sources = zip(started, vectors).map { project, vector in
            EmbeddingBook.Source(
                entityId: project.projectId, content: vector.map { String($0.bitPattern, radix: 16) }.joined(separator: ","))
        }
        let byId = Dictionary(zip(sources.map(\.entityId), vectors), uniquingKeysWith: { first, _ in first })
        return try EmbeddingBook(entityType: "PROJECT", model: model).refresh(sources, in: store) { missing in
            missing.map { byId[$0.entityId] ?? [] }
        }
    }

    func storedProjectCaseFit() throws -> ProjectCaseFeaturizer.Fit? {
        let rows = try store.query(
            "SELECT model_payload, model_type FROM ml_models WHERE model_id = ?", arguments: [.text(Self.projectCaseModelId)],
            columnTypes: [.json, .text(maxLength: 50)], cancellation: nil)
        guard let row = rows.first, case .json(let payload) = row[0],
            case .text(let type) = row[1], type == "featurizer@\(ProjectCaseFeaturizer.version)"
        else { return nil }
        return try? JSONDecoder().decode(ProjectCaseFeaturizer.Fit.self, from: Data(payload.utf8))
    }

    func saveProjectCaseFit(_ fit: ProjectCaseFeaturizer.Fit, asOf: Day) throws {
        let payload = String(decoding: try Self.canonicalJSON(fit), as: UTF8.self)
        let features = String(decoding: try Self.canonicalJSON(ProjectCaseFeaturizer.numericFeatures), as: UTF8.self)
        try store.writeBatch(cancellation: nil) { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels,
                columns: ["model_id", "model_name", "model_type", "feature_columns", "last_trained", "status", "model_payload"],
                onConflict: .replace)
            _ = try models.insert([
                .text(Self.projectCaseModelId), .text("Project case vectors (similar past cases)"),
                .text("featurizer@\(ProjectCaseFeaturizer.version)"), .json(features), .timestamp(Timestamp(day: asOf)), .text("ACTIVE"),
                .json(payload),
            ])
        }
    }

    static func canonicalJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// Hex SHA-256 of the fit's canonical JSON.
    static func digest(_ fit: ProjectCaseFeaturizer.Fit) throws -> String {
        SHA256.hash(data: try canonicalJSON(fit)).map { String(format: "%02x", $0) }.joined()
    }
}

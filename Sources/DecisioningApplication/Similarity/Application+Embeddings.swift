import Crypto
import DecisioningAgents
public import DecisioningCore
import DecisioningStore
import Foundation

extension Application {
    /// The `ml_models` rows that keep the featurizers' fits, so that stored case vectors stay
    /// comparable across refreshes.
    static let projectCaseModelId = "project-case"
    static let customerCaseModelId = "customer-case"

    /// Stores the case vector of every project started by `asOf` in `business_embeddings`
    /// (`entity_type` PROJECT), recomputing only projects whose features changed. The featurizer's fit
    /// is kept in `ml_models` (`project-case`) and reused; `refit` fits it anew on today's projects
    /// (and so rewrites every vector).
    public func refreshProjectCaseEmbeddings(asOf: Day, refit: Bool = false) throws -> EmbeddingBook.Report {
        let started = try ProjectCase.cases(warehouse.query(ProjectCase.startedPlan, asOf: asOf), query: "started projects")
        let featurizer = ProjectCaseFeaturizer(
            fit: try frozenFit(
                modelId: Self.projectCaseModelId, name: "Project case vectors (similar past cases)",
                version: ProjectCaseFeaturizer.version, features: ProjectCaseFeaturizer.numericFeatures, asOf: asOf, refit: refit
            ) { ProjectCaseFeaturizer(fitting: started).fit })
        return try storeCaseVectors(
            entityType: "PROJECT", model: featurizer.modelName(digest: try Self.digest(featurizer.fit)),
            started.map { ($0.projectId, featurizer.vector($0)) })
    }

    /// Stores the case vector of every customer in `business_embeddings` (`entity_type` CUSTOMER),
    /// as `refreshProjectCaseEmbeddings` does for projects (fit kept as `customer-case`).
    public func refreshCustomerCaseEmbeddings(asOf: Day, refit: Bool = false) throws -> EmbeddingBook.Report {
        let customers = try CustomerCase.cases(warehouse.query(CustomerCase.plan, asOf: asOf), query: "customers")
        let featurizer = CustomerCaseFeaturizer(
            fit: try frozenFit(
                modelId: Self.customerCaseModelId, name: "Customer case vectors", version: CustomerCaseFeaturizer.version,
                features: CustomerCaseFeaturizer.numericFeatures, asOf: asOf, refit: refit
            ) { CustomerCaseFeaturizer(fitting: customers).fit })
        return try storeCaseVectors(
            entityType: "CUSTOMER", model: featurizer.modelName(digest: try Self.digest(featurizer.fit)),
            customers.map { ($0.customerId, featurizer.vector($0)) })
    }

    /// Keeps `entityType`'s rows in step with `items`: a vector's content is its own bits, so only
    /// entities whose vector changed are written.
    func storeCaseVectors(entityType: String, model: String, _ items: [(id: String, vector: [Float])]) throws -> EmbeddingBook.Report {
        let sources = items.map { item in
            EmbeddingBook.Source(entityId: item.id, content: item.vector.map { String($0.bitPattern, radix: 16) }.joined(separator: ","))
        }
        let byId = Dictionary(items.map { ($0.id, $0.vector) }, uniquingKeysWith: { first, _ in first })
        return try EmbeddingBook(entityType: entityType, model: model).refresh(sources, in: store) { missing in
            missing.map { byId[$0.entityId] ?? [] }
        }
    }

    /// The fit kept in `ml_models` as `modelId` for this featurizer version, or (none kept, another
    /// version, or `refit`) a new one from `fitting`, kept in its place.
    func frozenFit<Fit: Codable>(
        modelId: String, name: String, version: Int, features: [String], asOf: Day, refit: Bool, fitting: () -> Fit
    ) throws -> Fit {
        let modelType = "featurizer@\(version)"
        if !refit, let fit = try storedFit(Fit.self, modelId: modelId, modelType: modelType) { return fit }
        let fit = fitting()
        try saveFit(fit, modelId: modelId, name: name, modelType: modelType, features: features, asOf: asOf)
        return fit
    }

    /// The fit stored as `modelId` when it is of `modelType` (the featurizer's version), else nil.
    func storedFit<Fit: Decodable>(_ type: Fit.Type, modelId: String, modelType: String) throws -> Fit? {
        let rows = try store.query(
            "SELECT model_payload, model_type FROM ml_models WHERE model_id = ?", arguments: [.text(modelId)],
            columnTypes: [.json, .text(maxLength: 50)], cancellation: nil)
        guard let row = rows.first, case .json(let payload) = row[0], case .text(let stored) = row[1], stored == modelType else {
            return nil
        }
        return try? JSONDecoder().decode(Fit.self, from: Data(payload.utf8))
    }

    func saveFit(_ fit: some Encodable, modelId: String, name: String, modelType: String, features: [String], asOf: Day) throws {
        let payload = String(decoding: try Self.canonicalJSON(fit), as: UTF8.self)
        let names = String(decoding: try Self.canonicalJSON(features), as: UTF8.self)
        try store.writeBatch(cancellation: nil) { writer in
            let models = try writer.inserter(
                for: Catalog.mlModels,
                columns: ["model_id", "model_name", "model_type", "feature_columns", "last_trained", "status", "model_payload"],
                onConflict: .replace)
            _ = try models.insert([
                .text(modelId), .text(name), .text(modelType), .json(names), .timestamp(Timestamp(day: asOf)), .text("ACTIVE"),
                .json(payload),
            ])
        }
    }

    static func canonicalJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// Hex SHA-256 of a fit's canonical JSON.
    static func digest(_ fit: some Encodable) throws -> String {
        SHA256.hash(data: try canonicalJSON(fit)).hexDigits
    }
}

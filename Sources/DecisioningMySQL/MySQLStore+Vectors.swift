import DecisioningCore
public import DecisioningStore

extension MySQLStore {
    /// Sizes `business_embeddings.embedding_vector` to the vectors: on a server with `VECTOR`, the
    /// column becomes `VECTOR(n)` with n the largest dimension stored or about to be (`dimension`),
    /// instead of the 2048 it is created with. Elsewhere the column is a blob and nothing changes.
    public func fitVectorColumn(dimension: Int) throws(StoreError) {
        guard capabilities.vectorType else { return }
        guard (1...HeatWaveStatements.maximumVectorDimension).contains(dimension) else {
            throw .invalidArgument(
                "vectors of \(dimension) entries: VECTOR holds 1 to \(HeatWaveStatements.maximumVectorDimension)")
        }
        try pool.withStoreConnection("size the vector column") { connection throws(StoreError) in
            let declared = try connection.textRows(Self.declaredVectorSize).first?.first??.description
            let stored = try connection.textRows("SELECT MAX(VECTOR_DIM(embedding_vector)) FROM business_embeddings").first?.first??
                .description
            let wanted = max(dimension, stored.flatMap { Int($0) } ?? 0)
            guard declared.flatMap(Self.vectorSize) != wanted else { return }
            try connection.execute(Self.resizeVectorColumn(wanted))
        }
    }

    /// The declared type of the vector column (`vector(2048)`).
    static let declaredVectorSize =
        "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'business_embeddings' AND COLUMN_NAME = 'embedding_vector'"

    static func resizeVectorColumn(_ n: Int) -> String {
        "ALTER TABLE business_embeddings MODIFY embedding_vector VECTOR(\(n))"
    }

    /// n of a `vector(n)` column type; nil for another type.
    static func vectorSize(_ columnType: String) -> Int? {
        let t = columnType.lowercased()
        guard t.hasPrefix("vector("), t.hasSuffix(")") else { return nil }
        return Int(t.dropFirst(7).dropLast())
    }
}

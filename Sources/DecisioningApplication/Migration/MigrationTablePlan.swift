public import DecisioningCore

/// How one table is migrated: every column is copied; the key and the fixed-point (DECIMAL, money
/// among them) columns are what the verification checksums.
public struct MigrationTablePlan: Sendable, Hashable {
    public let schema: TableSchema
    /// The primary key's columns.
    public let keyColumns: [String]
    /// The key followed by every DECIMAL column (money, rates, scores), compared exactly.
    public let checksumColumns: [String]

    public init(_ schema: TableSchema) {
        self.schema = schema
        keyColumns = schema.primaryKey
        let fixedPoint = schema.columns.filter { $0.type.decimalScale != nil && !schema.primaryKey.contains($0.name) }.map(\.name)
        checksumColumns = schema.primaryKey + fixedPoint
    }

    public var name: String { schema.name }

    /// The tables `migrate` copies: the business tables.
    public static var allowedTables: [String] { Catalog.businessTables.map(\.name) }

    /// The plans for `names` (nil or empty: every business table), in the catalog's dependency order.
    public static func plans(for names: [String]?) throws(MigrationError) -> [MigrationTablePlan] {
        let wanted = names ?? []
        for name in wanted where !allowedTables.contains(name) {
            throw .unknownTable(name: name, choices: allowedTables)
        }
        return Catalog.businessTables.filter { wanted.isEmpty || wanted.contains($0.name) }.map(MigrationTablePlan.init)
    }
}

public import DecisioningCore

/// The tables plans may scan. `standard` is Decisioning's own schema; tests add their own tables.
public struct TableCatalog: Sendable {
    public var tables: [String: TableSchema]

    public init(_ tables: [TableSchema]) {
        self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    }

    public static let standard = TableCatalog(Catalog.all)

    public func table(_ name: String) -> TableSchema? { tables[name] }
}

/// A column of a table: its name, logical type, nullability and default.
public struct ColumnSchema: Sendable, Hashable {
    public enum Default: Sendable, Hashable {
        /// The time of insertion (`CURRENT_TIMESTAMP`).
        case currentTimestamp
        case value(Value)
    }

    public var name: String
    public var type: ColumnType
    public var nullable: Bool
    public var defaultValue: Default?

    public init(_ name: String, _ type: ColumnType, nullable: Bool = true, default defaultValue: Default? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
    }

    /// A column an insert must name: not nullable and without a default.
    public var isRequired: Bool { !nullable && defaultValue == nil }
}

/// The shape of one table, shared by the stores, ingest, the generator and the analytics layer.
public struct TableSchema: Sendable, Hashable {
    public var name: String
    public var columns: [ColumnSchema]
    public var primaryKey: [String]

    public init(name: String, columns: [ColumnSchema], primaryKey: [String]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
    }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public func column(_ name: String) -> ColumnSchema? { columns.first { $0.name == name } }

    public var primaryKeyIndexes: [Int] { primaryKey.map { columnIndex($0)! } }

    public var columnNames: [String] { columns.map(\.name) }
}

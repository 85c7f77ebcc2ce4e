/// One named, forward-only schema change with its SQL for each engine family.
public struct Migration: Sendable {
    public var id: String
    public var sqlite: [String]
    /// MySQL / MariaDB / HeatWave statements; `vectorType` is `VECTOR(n)` where the server has it, else `LONGBLOB`.
    public var mysql: @Sendable (_ capabilities: MySQLSchemaCapabilities) -> [String]

    public init(id: String, sqlite: [String], mysql: @escaping @Sendable (MySQLSchemaCapabilities) -> [String]) {
        self.id = id
        self.sqlite = sqlite
        self.mysql = mysql
    }
}

/// What the MySQL-family server supports, as far as the DDL cares.
public struct MySQLSchemaCapabilities: Sendable, Hashable {
    /// MySQL 9 / HeatWave `VECTOR` type.
    public var vectorType: Bool
    /// HeatWave RAPID secondary engine available for `SECONDARY_ENGINE = RAPID`.
    public var rapidEngine: Bool

    public init(vectorType: Bool, rapidEngine: Bool) {
        self.vectorType = vectorType
        self.rapidEngine = rapidEngine
    }

    public static let mariaDB = MySQLSchemaCapabilities(vectorType: false, rapidEngine: false)
    public static let heatWave = MySQLSchemaCapabilities(vectorType: true, rapidEngine: true)
}

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
    /// A byte-order collation without trailing-space padding, so that 'a' and 'a ' stay distinct
    /// keys as in SQLite: `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8+
    /// (`utf8mb4_bin` pads with spaces on both).
    public var binaryCollation: String

    public init(vectorType: Bool, rapidEngine: Bool, mariaDB: Bool) {
        self.vectorType = vectorType
        self.rapidEngine = rapidEngine
        self.binaryCollation = mariaDB ? "utf8mb4_nopad_bin" : "utf8mb4_0900_bin"
    }

    public static let mariaDB = MySQLSchemaCapabilities(vectorType: false, rapidEngine: false, mariaDB: true)
    public static let heatWave = MySQLSchemaCapabilities(vectorType: true, rapidEngine: true, mariaDB: false)

    /// `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=<binaryCollation>`.
    public var tableOptions: String { "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=\(binaryCollation)" }
}

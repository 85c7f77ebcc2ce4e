/// One named, forward-only schema change: its id and its SQLite statements. Each other store owns its
/// engine's statements for the same ids (`MySQLMigrations` in DecisioningMySQL for MySQL, MariaDB and
/// HeatWave).
public struct Migration: Sendable {
    public var id: String
    public var sqlite: [String]

    public init(id: String, sqlite: [String]) {
        self.id = id
        self.sqlite = sqlite
    }
}

/// The SQL families a plan renders to. What each renders differently is its `rules`
/// (`SQLDialectRules`: `SQLiteDialect`, `MySQLDialect`, `HeatWaveDialect`).
public enum SQLDialect: String, Sendable, CaseIterable {
    /// SQLite 3.35+ (window functions, math functions); money columns hold integer minor units.
    case sqlite
    /// MySQL 8.0.17+ and MariaDB 10.4.5+.
    case mysql
    /// MySQL HeatWave: MySQL's SQL with the RAPID offload forced by an optimizer hint.
    case heatwave
}

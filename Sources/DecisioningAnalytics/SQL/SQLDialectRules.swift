import DecisioningCore

/// What differs between the SQL families a plan renders to. `SQLRenderer` builds the statement's shape
/// (blocks, CTEs, joins, group keys) once and asks its dialect's rules for every piece of text that is not
/// the same everywhere. One conformance per dialect: `SQLiteDialect`, `MySQLDialect` (MySQL and MariaDB)
/// and `HeatWaveDialect` (MySQL's rules, refined by `MySQLFamilyDialect`'s shared defaults).
protocol SQLDialectRules: Sendable {
    // MARK: Text of the statement

    /// An identifier, quoted.
    func quote(_ identifier: String) -> String
    /// The `n`th placeholder (from 1) of the final statement.
    func placeholder(_ n: Int) -> String
    /// An optimizer hint for the outermost `SELECT` (`SELECT /*+ … */`), nil for none.
    var statementHint: String? { get }
    /// A script for the dialect's own client that binds the values and runs the statement.
    func pasteable(_ query: RenderedQuery) -> String

    // MARK: Shape of the statement

    /// Whether a CTE that computes columns must be materialised (given a LIMIT) before it is LEFT JOINed:
    /// MariaDB merges it into the joining query otherwise, and its window functions then see the CTE's
    /// constant columns on unmatched rows too, where they are NULL.
    var materializesComputedLeftJoinSide: Bool { get }
    /// Whether the server has `STDDEV_POP` / `STDDEV_SAMP`. Without them the renderer computes each
    /// group's mean first (a window over the same rows), then the squared deviations.
    var hasStddev: Bool { get }
    /// Whether group keys need the MySQL family's care: a constant key is a position in `GROUP BY`,
    /// ONLY_FULL_GROUP_BY and MariaDB refuse expressions over grouped expressions (see `SQLRenderer`).
    var guardsGroupKeys: Bool { get }

    // MARK: Values and expressions

    /// A text column or bound text made to compare by its bytes, without padding (see `SQLRenderer.text`).
    func text(_ e: SQLRenderer.Scoped) -> SQLRenderer.Scoped
    /// A value that is not already a double (an integer or a decimal), as a double.
    func castToDouble(_ e: SQLRenderer.Scoped) -> SQLRenderer.Scoped
    /// A number widened to `DECIMAL(_, scale)` from `from` (an integer or a decimal of a smaller scale).
    func widen(_ e: SQLRenderer.Scoped, from: DataType, toDecimalScale scale: Int) -> SQLRenderer.Scoped
    /// A decimal literal of `units` × 10^-`scale`.
    func decimalLiteral(units: Int64, scale: Int, type: DataType?) -> SQLRenderer.Scoped
    /// `AVG` of a number, as a double.
    func average(_ e: SQLRenderer.Scoped) -> Fragment
    /// The population or sample standard deviation of `x`, a double, when computed in one pass.
    func stddev(_ function: Measure.Function, of x: Fragment) -> Fragment
    /// The year of a date, as an integer.
    func year(_ date: Fragment) -> Fragment
    /// The first day of a date's month, as a date.
    func monthStart(_ date: Fragment) -> Fragment
    /// Whole days from `from` to `to`, as an integer.
    func daysBetween(from: Fragment, to: Fragment) -> Fragment
}

extension SQLDialectRules {
    /// The expression as a double.
    func double(_ e: SQLRenderer.Scoped) -> SQLRenderer.Scoped {
        switch e.type {
        case .double?, nil: return e
        default: return castToDouble(e)
        }
    }
}

extension SQLDialect {
    /// This dialect's rules.
    var rules: any SQLDialectRules {
        switch self {
        case .sqlite: return SQLiteDialect()
        case .mysql: return MySQLDialect()
        case .heatwave: return HeatWaveDialect()
        }
    }
}

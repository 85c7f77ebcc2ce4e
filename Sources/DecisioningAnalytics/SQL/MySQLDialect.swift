import DecisioningCore

/// The rules MySQL 8.0.17+, MariaDB 10.4.5+ and HeatWave share: backquoted identifiers, `?` placeholders,
/// real `DECIMAL` and `DOUBLE` types, `STDDEV_POP`, `YEAR`, `DATEDIFF`, and group keys guarded against
/// ONLY_FULL_GROUP_BY and MariaDB (see `SQLRenderer`). `MySQLDialect` and `HeatWaveDialect` refine it.
protocol MySQLFamilyDialect: SQLDialectRules {}

extension MySQLFamilyDialect {
    typealias Scoped = SQLRenderer.Scoped

    func quote(_ identifier: String) -> String {
        "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`"
    }

    func placeholder(_ n: Int) -> String { "?" }

    var statementHint: String? { nil }

    /// The script first sets the connection to utf8mb4, as Decisioning's own connections are: text is bound
    /// and compared as utf8mb4 bytes (the `mysql` and `mariadb` clients may default to utf8mb3). Then the
    /// values as user variables, and the statement prepared from a string and executed with them.
    func pasteable(_ query: RenderedQuery) -> String {
        let sets = query.bindings.enumerated().map { "SET @p\($0.offset + 1) = \(RenderedQuery.mysqlLiteral($0.element));" }
        let escaped = query.sql.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
        let using = query.bindings.isEmpty ? "" : " USING " + (1...query.bindings.count).map { "@p\($0)" }.joined(separator: ", ")
        return
            (["SET NAMES utf8mb4;"] + sets
            + [
                "PREPARE decisioning_query FROM '\(escaped)';", "EXECUTE decisioning_query\(using);",
                "DEALLOCATE PREPARE decisioning_query;",
            ])
            .joined(separator: "\n")
    }

    var materializesComputedLeftJoinSide: Bool { false }
    var hasStddev: Bool { true }
    var guardsGroupKeys: Bool { true }

    func castToDouble(_ e: Scoped) -> Scoped {
        Scoped(sql: "CAST(" + e.sql + " AS DOUBLE)", type: .double)
    }

    /// Decimals are decimals: the type changes, not the text.
    func widen(_ e: Scoped, from: DataType, toDecimalScale scale: Int) -> Scoped {
        Scoped(sql: e.sql, type: .decimal(scale: scale))
    }

    /// The value bound as text and cast, so that it stays exact.
    func decimalLiteral(units: Int64, scale: Int, type: DataType?) -> Scoped {
        Scoped(sql: "CAST(" + Fragment.bound(.text(FixedPoint.format(units, scale: scale))) + " AS DECIMAL(30,\(scale)))", type: type)
    }

    func average(_ e: Scoped) -> Fragment {
        if case .decimal(let s)? = e.type, s > 0 {
            // As on SQLite and in the column engine: the exact sum in units, divided by the count, then
            // by 10^s. AVG of the doubles would add rounding errors (0.10 × 3 → 0.30000000000000004), and
            // AVG of the decimals rounds to s + div_precision_increment places.
            let units = "1" + String(repeating: "0", count: s)  // an exact DECIMAL product
            return "(CAST(SUM(" + e.sql + ") * " + units + " AS DOUBLE) / COUNT(" + e.sql + ") / 1e\(s))"
        }
        return "AVG(" + double(e).sql + ")"
    }

    func stddev(_ function: Measure.Function, of x: Fragment) -> Fragment {
        (function == .stddevPop ? "STDDEV_POP(" : "STDDEV_SAMP(") + x + ")"
    }

    func year(_ date: Fragment) -> Fragment { "YEAR(" + date + ")" }

    func monthStart(_ date: Fragment) -> Fragment { "CAST(DATE_FORMAT(" + date + ", '%Y-%m-01') AS DATE)" }

    func daysBetween(from: Fragment, to: Fragment) -> Fragment { "DATEDIFF(" + to + ", " + from + ")" }
}

/// MySQL 8.0.17+ and MariaDB 10.4.5+.
struct MySQLDialect: MySQLFamilyDialect {
    /// MariaDB merges a computing CTE into the query that LEFT JOINs it (see `SQLDialectRules`).
    var materializesComputedLeftJoinSide: Bool { true }

    /// A binary string (`VARBINARY`), whatever the table's collation: compared by its bytes, unpadded.
    func text(_ e: Scoped) -> Scoped {
        Scoped(sql: "CAST(" + e.sql + " AS BINARY)", type: .text, column: e.isColumn ? e.sql : nil)
    }
}

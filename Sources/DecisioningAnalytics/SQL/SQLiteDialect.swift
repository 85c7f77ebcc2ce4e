import DecisioningCore

/// SQLite 3.35+: double-quoted identifiers, numbered placeholders (`?1`, so the sqlite3 shell can bind
/// them), text compared by its bytes already (BINARY collation).
///
/// `DECIMAL(p,s)` columns hold integer units of 10^-s, so decimals are rescaled before they are compared or
/// added and divided by 10^s where a double is needed. SQLite has no `STDDEV`, no `YEAR` nor `DATEDIFF`.
struct SQLiteDialect: SQLDialectRules {
    typealias Scoped = SQLRenderer.Scoped

    func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func placeholder(_ n: Int) -> String { "?\(n)" }

    var statementHint: String? { nil }

    /// `.parameter set ?n …` lines for the sqlite3 shell, then the statement.
    /// The `sqlite3` script: `.parameter set` for each value, then the statement. SQLite keeps
    /// decimals as integer units, so the script's final SELECT writes them back at their scale
    /// (`2339087755.00`, not `233908775500`), exactly, as text: the figures the report shows.
    func pasteable(_ query: RenderedQuery) -> String {
        let sets = query.bindings.enumerated().map { ".parameter set ?\($0.offset + 1) \(RenderedQuery.literal($0.element, sqlite: true))" }
        return (sets + [Self.scaledBack(query) + ";"]).joined(separator: "\n")
    }

    static func scaledBack(_ query: RenderedQuery) -> String {
        let scaled = query.fields.contains { if case .decimal(let s) = $0.type { return s > 0 } else { return false } }
        guard scaled else { return query.sql }
        let columns = query.fields.map { field -> String in
            let name = "\"" + field.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            guard case .decimal(let s) = field.type, s > 0 else { return "    " + name }
            let unit = "1" + String(repeating: "0", count: s)
            let digits = "substr('" + String(repeating: "0", count: s) + "' || (abs(" + name + ") % " + unit + "), -" + String(s) + ")"
            return "    CASE WHEN " + name + " IS NULL THEN NULL ELSE (CASE WHEN " + name + " < 0 THEN '-' ELSE '' END) || (abs(" + name
                + ") / " + unit + ") || '.' || " + digits + " END AS " + name
        }
        return "SELECT\n" + columns.joined(separator: ",\n") + "\nFROM (\n" + query.sql + "\n)"
    }

    var materializesComputedLeftJoinSide: Bool { false }
    var hasStddev: Bool { false }
    var guardsGroupKeys: Bool { false }

    /// SQLite compares text by its bytes (BINARY collation) already.
    func text(_ e: Scoped) -> Scoped { e }

    /// 10^scale as a REAL literal.
    func power(_ scale: Int) -> String { "1" + String(repeating: "0", count: scale) + ".0" }

    func castToDouble(_ e: Scoped) -> Scoped {
        if case .decimal(let s)? = e.type {
            return Scoped(sql: s == 0 ? "CAST(" + e.sql + " AS REAL)" : "(" + e.sql + " / " + power(s) + ")", type: .double)
        }
        return Scoped(sql: "CAST(" + e.sql + " AS REAL)", type: .double)
    }

    /// Units of a smaller scale multiplied up to units of `scale`.
    func widen(_ e: Scoped, from: DataType, toDecimalScale scale: Int) -> Scoped {
        let fromScale: Int
        if case .decimal(let f) = from { fromScale = f } else { fromScale = 0 }
        guard scale > fromScale else { return Scoped(sql: e.sql, type: .decimal(scale: scale)) }
        return Scoped(sql: "(" + e.sql + " * 1" + String(repeating: "0", count: scale - fromScale) + ")", type: .decimal(scale: scale))
    }

    /// The units, bound as an integer.
    func decimalLiteral(units: Int64, scale: Int, type: DataType?) -> Scoped {
        Scoped(sql: .bound(.integer(units)), type: type)
    }

    func average(_ e: Scoped) -> Fragment {
        if case .decimal(let s)? = e.type, s > 0 { return "(AVG(" + e.sql + ") / " + power(s) + ")" }
        return "AVG(" + e.sql + ")"
    }

    /// The textbook moments, clamped at 0 against rounding.
    func stddev(_ function: Measure.Function, of x: Fragment) -> Fragment {
        if function == .stddevPop {
            return "sqrt(max(0.0, AVG(" + x + " * " + x + ") - AVG(" + x + ") * AVG(" + x + ")))"
        }
        return "sqrt(max(0.0, (SUM(" + x + " * " + x + ") - SUM(" + x + ") * SUM(" + x + ") / COUNT(" + x + ")) / (COUNT(" + x + ") - 1)))"
    }

    func year(_ date: Fragment) -> Fragment { "CAST(strftime('%Y', " + date + ") AS INTEGER)" }

    func monthStart(_ date: Fragment) -> Fragment { "date(" + date + ", 'start of month')" }

    func daysBetween(from: Fragment, to: Fragment) -> Fragment {
        "CAST(julianday(" + to + ") - julianday(" + from + ") AS INTEGER)"
    }
}

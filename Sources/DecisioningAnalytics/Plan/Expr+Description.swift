import DecisioningCore

extension Expr: CustomStringConvertible {
    /// A SQL-like rendering for error messages (not for execution: see `SQLRenderer`).
    public var description: String {
        switch self {
        case .column(let name): return name
        case .literal(let v):
            switch v {
            case .text(let s): return "'\(s)'"
            default: return v.description
            }
        case .decimalLiteral(let units, let scale): return FixedPointText.format(units, scale)
        case .asOf(let months, let days):
            var s = "as_of"
            if months != 0 { s += " \(months < 0 ? "-" : "+") INTERVAL \(abs(months)) MONTH" }
            if days != 0 { s += " \(days < 0 ? "-" : "+") INTERVAL \(abs(days)) DAY" }
            return s
        case .arithmetic(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .negate(let a): return "-(\(a))"
        case .compare(let op, let a, let b): return "\(a) \(op.rawValue) \(b)"
        case .and(let a, let b): return "(\(a) AND \(b))"
        case .or(let a, let b): return "(\(a) OR \(b))"
        case .not(let a): return "NOT (\(a))"
        case .isNull(let a): return "\(a) IS NULL"
        case .inList(let a, let list): return "\(a) IN (\(list.map(\.description).joined(separator: ", ")))"
        case .between(let a, let l, let h): return "\(a) BETWEEN \(l) AND \(h)"
        case .caseWhen(let clauses, let otherwise):
            return "CASE " + clauses.map { "WHEN \($0.condition) THEN \($0.result)" }.joined(separator: " ")
                + (otherwise.map { " ELSE \($0)" } ?? "") + " END"
        case .coalesce(let list): return "COALESCE(\(list.map(\.description).joined(separator: ", ")))"
        case .year(let a): return "YEAR(\(a))"
        case .monthStart(let a): return "MONTH_START(\(a))"
        case .daysBetween(let a, let b): return "DATEDIFF(\(b), \(a))"
        case .toDouble(let a): return "CAST(\(a) AS DOUBLE)"
        }
    }
}

enum FixedPointText {
    static func format(_ units: Int64, _ scale: Int) -> String { FixedPoint.format(units, scale: scale) }
}

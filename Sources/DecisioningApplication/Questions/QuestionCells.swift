import DecisioningAnalytics
import DecisioningCore

/// Query results as answer cells: integers and doubles as JSON numbers at full precision, decimals (money) as
/// decimal strings at their scale, dates as `YYYY-MM-DD`, NULL and non-finite numbers as null.
enum QuestionCells {
    static func cell(_ v: Value, _ type: DataType) -> JSONValue {
        switch v {
        case .null: return .null
        case .integer(let i): return .number(Double(i))
        case .double(let d): return d.isFinite ? .number(d) : .null
        case .boolean(let b): return .bool(b)
        case .decimal(let units):
            if case .decimal(let scale) = type { return .string(FixedPoint.format(units, scale: scale)) }
            return .string(String(units))
        case .date(let d): return .string(d.iso)
        default: return .string(v.description)
        }
    }

    static func rows(_ result: QueryResult) -> [[JSONValue]] {
        result.rows.map { row in zip(row, result.fields).map { cell($0, $1.type) } }
    }

    /// Money from a double (forecasts), rounded to cents, as a decimal string.
    static func money(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .null }
        return .string(String(format: "%.2f", d))
    }
}

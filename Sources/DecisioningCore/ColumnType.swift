/// The logical type of a column, independent of the engine that stores it.
public enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// `VARCHAR(n)`.
    case text(maxLength: Int)
    /// `INT` (stored as 64-bit).
    case integer
    /// `DECIMAL(precision, scale)`, held as an integer count of 10^-scale units.
    case decimal(precision: Int, scale: Int)
    /// `DOUBLE`.
    case double
    /// `DATE`.
    case date
    /// `TIMESTAMP` (UTC, seconds).
    case timestamp
    /// `BOOLEAN`.
    case boolean
    /// `JSON` document, held as its UTF-8 text.
    case json
    /// `TEXT` without a length limit.
    case longText
    /// A float vector: `VECTOR(n)` on MySQL 9 / HeatWave, a little-endian float32 blob elsewhere.
    case vector(dimensions: Int)

    public static let money = ColumnType.decimal(precision: 15, scale: 2)

    /// What a value of this type looks like, for error messages.
    public var expectation: String {
        switch self {
        case .text(let n): return "text of at most \(n) characters"
        case .integer: return "a whole number"
        case .decimal(let p, let s):
            return "a decimal number with at most \(p - s) integer digits and \(s) decimal places (DECIMAL(\(p),\(s)))"
        case .double: return "a number"
        case .date: return "a date as YYYY-MM-DD"
        case .timestamp: return "a timestamp as YYYY-MM-DD HH:MM:SS"
        case .boolean: return "a boolean (true/false/1/0)"
        case .json: return "a JSON document"
        case .longText: return "text"
        case .vector(let n): return "a JSON array of at most \(n) numbers"
        }
    }

    public var description: String {
        switch self {
        case .text(let n): return "VARCHAR(\(n))"
        case .integer: return "INT"
        case .decimal(let p, let s): return "DECIMAL(\(p),\(s))"
        case .double: return "DOUBLE"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .boolean: return "BOOLEAN"
        case .json: return "JSON"
        case .longText: return "TEXT"
        case .vector(let n): return "VECTOR(\(n))"
        }
    }

    public var decimalScale: Int? {
        if case .decimal(_, let s) = self { return s }
        return nil
    }
}

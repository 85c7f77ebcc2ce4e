/// One typed cell. Decimals carry integer units; the column's scale gives them meaning.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case decimal(Int64)
    case double(Double)
    case text(String)
    case date(Day)
    case timestamp(Timestamp)
    case boolean(Bool)
    case json(String)
    case vector([Float])

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .decimal(let v): return "\(v) units"
        case .double(let v): return String(v)
        case .text(let s), .json(let s): return s
        case .date(let d): return d.iso
        case .timestamp(let t): return t.iso
        case .boolean(let b): return b ? "true" : "false"
        case .vector(let v): return "[" + v.map { String($0) }.joined(separator: ",") + "]"
        }
    }

    /// The text form a CSV file or a SQL client would show for this value in a column of `type`.
    public func rendered(as type: ColumnType) -> String {
        switch self {
        case .decimal(let units): return FixedPoint.format(units, scale: type.decimalScale ?? 0)
        case .null: return ""
        default: return description
        }
    }
}

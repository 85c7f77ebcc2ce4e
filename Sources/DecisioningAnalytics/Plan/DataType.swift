public import DecisioningCore

/// The type of a value flowing through a plan. Decimals keep their scale: money stays exact.
public enum DataType: Sendable, Hashable, CustomStringConvertible {
    case integer
    case decimal(scale: Int)
    case double
    case text
    case date
    case timestamp
    case boolean

    public init?(_ column: ColumnType) {
        switch column {
        case .text, .longText, .json: self = .text
        case .integer: self = .integer
        case .decimal(_, let scale): self = .decimal(scale: scale)
        case .double: self = .double
        case .date: self = .date
        case .timestamp: self = .timestamp
        case .boolean: self = .boolean
        case .vector: return nil
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .double: return true
        default: return false
        }
    }

    /// The storage type used to decode results of this type from a Store.
    public var columnType: ColumnType {
        switch self {
        case .integer: return .integer
        case .decimal(let s): return .decimal(precision: 38, scale: s)
        case .double: return .double
        case .text: return .longText
        case .date: return .date
        case .timestamp: return .timestamp
        case .boolean: return .boolean
        }
    }

    public var description: String {
        switch self {
        case .integer: return "integer"
        case .decimal(let s): return "decimal(scale \(s))"
        case .double: return "double"
        case .text: return "text"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .boolean: return "boolean"
        }
    }
}

/// One output column of a plan.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: DataType

    public init(_ name: String, _ type: DataType) {
        self.name = name
        self.type = type
    }
}

import DecisioningCore
import MCP

extension JSONValue {
    /// The value as MCP's JSON value: whole numbers within ±2^53 as integers, others as doubles.
    var mcpValue: MCP.Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n == n.rounded(), abs(n) <= 9_007_199_254_740_992 { return .int(Int(n)) }
            return .double(n)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(\.mcpValue))
        case .object(let fields): return .object(fields.mapValues(\.mcpValue))
        }
    }
}

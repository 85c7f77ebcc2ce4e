import Foundation

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try n == n.rounded() && abs(n) < 9e15 ? container.encode(Int64(n)) : container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// The value as compact JSON text with sorted keys: equal values, equal text. A number that is
    /// not finite (which JSON cannot hold) is written as null.
    public var canonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(finite) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// This value with every non-finite number replaced by null.
    var finite: JSONValue {
        switch self {
        case .number(let n) where !n.isFinite: return .null
        case .array(let a): return .array(a.map(\.finite))
        case .object(let o): return .object(o.mapValues(\.finite))
        default: return self
        }
    }
}

public import DecisioningCore
public import Foundation

/// Validates a JSON document against the subset of JSON Schema that docs/results.schema.json uses:
/// `type` (one or several), `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `const`.
public struct SchemaValidator: Sendable {
    public let schema: JSONValue

    public init(file: String) throws {
        schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// Every violation as "path: message"; empty when the document is valid.
    public func violations(of data: Data) throws -> [String] {
        var out: [String] = []
        check(try JSONDecoder().decode(JSONValue.self, from: data), schema, "$", &out)
        return out
    }

    func typeName(_ v: JSONValue) -> String {
        switch v {
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? "integer" : "number"
        case .bool: return "boolean"
        default: return v.typeName
        }
    }

    func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ out: inout [String]) {
        guard case .object(let s) = schema else { return }
        if case .array(let allowed)? = s["enum"] {
            if !allowed.contains(value) { out.append("\(path): \(value.summary) is not one of \(allowed.map(\.summary))") }
            return
        }
        if let constant = s["const"] {
            if constant != value { out.append("\(path): expected \(constant.summary), found \(value.summary)") }
            return
        }
        if let type = s["type"] {
            var types: [String] = []
            if case .string(let t) = type { types = [t] }
            if case .array(let list) = type { types = list.compactMap { if case .string(let t) = $0 { return t } else { return nil } } }
            let actual = typeName(value)
            if !(types.contains(actual) || (actual == "integer" && types.contains("number"))) {
                out.append("\(path): expected \(types.joined(separator: " or ")), found \(actual)")
                return
            }
        }
        if case .object(let object) = value {
            var properties: [String: JSONValue] = [:]
            if case .object(let p)? = s["properties"] { properties = p }
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where object[key] == nil { out.append("\(path): missing required \(key)") }
            }
            for key in object.keys.sorted() {
                if let sub = properties[key] {
                    check(object[key]!, sub, "\(path).\(key)", &out)
                } else if s["additionalProperties"] == .bool(false) {
                    out.append("\(path): unexpected property \(key)")
                }
            }
        }
        if case .array(let array) = value, let items = s["items"] {
            for (i, v) in array.enumerated() { check(v, items, "\(path)[\(i)]", &out) }
        }
    }
}

/// docs/results.schema.json, found from this file's location in the repository.
public let resultsSchemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("docs/results.schema.json").path

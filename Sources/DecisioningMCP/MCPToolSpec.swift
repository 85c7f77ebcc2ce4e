import DecisioningApplication
import MCP

/// A tool as the client lists it, with the role a caller needs and whether it only reads.
struct MCPToolSpec: Sendable {
    var name: String
    var description: String
    /// Each argument: name, JSON schema.
    var arguments: [(String, MCP.Value)]
    var required: [String] = []
    var role: APIRole = .viewer
    var readOnly = true

    var tool: Tool {
        var properties: [String: MCP.Value] = [:]
        for (name, schema) in arguments { properties[name] = schema }
        var schema: [String: MCP.Value] = [
            "type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false),
        ]
        if !required.isEmpty { schema["required"] = .array(required.map(MCP.Value.string)) }
        return Tool(
            name: name, description: description, inputSchema: .object(schema),
            annotations: .init(readOnlyHint: readOnly, destructiveHint: false, idempotentHint: readOnly, openWorldHint: false))
    }

    var argumentNames: [String] { arguments.map(\.0) }

    static func string(_ description: String, enumeration: [String]? = nil, pattern: String? = nil) -> MCP.Value {
        var schema: [String: MCP.Value] = ["type": .string("string"), "description": .string(description)]
        if let enumeration { schema["enum"] = .array(enumeration.map(MCP.Value.string)) }
        if let pattern { schema["pattern"] = .string(pattern) }
        return .object(schema)
    }

    static func integer(_ description: String, minimum: Int, maximum: Int) -> MCP.Value {
        .object([
            "type": .string("integer"), "description": .string(description), "minimum": .int(minimum), "maximum": .int(maximum),
        ])
    }

    static let date = string("A date as YYYY-MM-DD.", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
}

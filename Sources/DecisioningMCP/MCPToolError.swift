/// Why a tool call could not be answered, told to the client as a tool result with `isError`
/// (so the model reads what to do) rather than as a protocol error.
struct MCPToolError: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}

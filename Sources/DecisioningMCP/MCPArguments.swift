import DecisioningCore
import MCP

/// A tool call's arguments, read with errors that name the argument and what it takes.
struct MCPArguments {
    let tool: String
    let values: [String: MCP.Value]

    init(tool: String, _ values: [String: MCP.Value]?, allowed: [String]) throws {
        self.tool = tool
        self.values = values ?? [:]
        for key in self.values.keys.sorted() where !allowed.contains(key) {
            throw MCPToolError(
                "\(tool) has no argument '\(TerminalText.quoted(key))'; it takes: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))"
            )
        }
    }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = values[name], value != .null else { return nil }
        guard case .string(let text) = value else { throw MCPToolError("\(tool): \(name) must be a string") }
        guard text.count <= maxLength else { throw MCPToolError("\(tool): \(name) has at most \(maxLength) characters") }
        return text
    }

    func day(_ name: String) throws -> Day? {
        guard let text = try string(name, maxLength: 10) else { return nil }
        guard text.count == 10, let day = Day(iso: text) else {
            throw MCPToolError("\(tool): \(name) must be a date as YYYY-MM-DD, found '\(TerminalText.quoted(text))'")
        }
        return day
    }

    func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[name], value != .null else { return nil }
        let number: Int?
        switch value {
        case .int(let n): number = n
        case .double(let d) where d == d.rounded() && abs(d) < 1e9: number = Int(d)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw MCPToolError("\(tool): \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func choice(_ name: String, among choices: [String]) throws -> String? {
        guard let text = try string(name) else { return nil }
        guard choices.contains(text) else {
            throw MCPToolError("\(tool): \(name) must be one of \(choices.joined(separator: ", ")), found '\(TerminalText.quoted(text))'")
        }
        return text
    }
}

import DecisioningCore

extension QuestionAnswer {
    /// The answer for a person: the summary, the rows as an aligned table, how the question was read, and
    /// the readings or suggestions when it was not answered.
    public func text(model: SemanticModel) -> String {
        var lines = [summary]
        if !columns.isEmpty && !rows.isEmpty {
            let cells = rows.map { row in
                row.map { cell -> String in
                    switch cell {
                    case .null: return ""
                    case .string(let s): return TerminalText.escaped(s)
                    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(format: "%.6g", n)
                    case .bool(let b): return b ? "true" : "false"
                    default: return cell.summary
                    }
                }
            }
            var widths = columns.map(\.count)
            for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
            func line(_ values: [String]) -> String {
                zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            }
            lines.append("")
            lines.append(line(columns))
            lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            lines += cells.map(line)
        }
        if let interpretation {
            lines.append("")
            lines.append(
                "Read as: \(QuestionWording.question(interpretation, model)) [\(interpretation.intent.rawValue)], as of \(asOf.iso)")
            if !corrections.isEmpty {
                lines.append("Spelling: " + corrections.keys.sorted().map { "\($0) → \(corrections[$0] ?? "")" }.joined(separator: ", "))
            }
        }
        if let method { lines.append("Method: \(method)") }
        if let interpreterNote { lines.append("Interpreter: \(interpreter.rawValue) (\(interpreterNote))") }
        if !suggestions.isEmpty {
            lines.append("")
            lines.append(status == .ambiguous ? "Did you mean:" : "Try instead:")
            lines += suggestions.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}

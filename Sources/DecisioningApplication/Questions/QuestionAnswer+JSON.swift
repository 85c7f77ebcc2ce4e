public import DecisioningCore
import Foundation

extension QuestionAnswer {
    /// The answer as the documented JSON object (docs/questions.md): `question`, `as_of`, `status`,
    /// `interpretation`, `answer` (`columns`, `rows`), `summary`, `evidence` (`plan`, `sql`, `figures`, `method`),
    /// `suggestions`, and `readings`, `corrections`, `interpreter`, `interpreter_note`.
    public var json: JSONValue {
        var figures: [String: JSONValue] = [:]
        for f in self.figures { figures[f.name] = f.value }
        return .object([
            "question": .string(question),
            "as_of": .string(asOf.iso),
            "status": .string(status.rawValue),
            "interpreter": .string(interpreter.rawValue),
            "interpreter_note": interpreterNote.map(JSONValue.string) ?? .null,
            "interpretation": interpretation?.json ?? .null,
            "readings": .array(readings.map(\.json)),
            "corrections": .object(corrections.mapValues(JSONValue.string)),
            "answer": .object(["columns": .array(columns.map(JSONValue.string)), "rows": .array(rows.map(JSONValue.array))]),
            "summary": .string(summary),
            "evidence": .object([
                "plan": plan.map(JSONValue.string) ?? .null,
                "sql": .object(sql.mapValues(JSONValue.string)),
                "figures": .object(figures),
                "method": method.map(JSONValue.string) ?? .null,
                "site": site.map(JSONValue.string) ?? .null,
            ]),
            "suggestions": .array(suggestions.map(JSONValue.string)),
        ])
    }

    /// `json` as text: keys sorted, two-space indentation, so the same answer is the same bytes.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(json), as: UTF8.self)
    }
}

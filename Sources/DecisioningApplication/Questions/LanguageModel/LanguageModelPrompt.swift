public import DecisioningCore

/// What the language model is told: the semantic model's keys (and nothing of the data's figures), the
/// dates questions resolve against, and the JSON schema of the typed request it must return. Built from the
/// same model the deterministic interpreter reads, so both can only name the same metrics and dimensions.
public struct LanguageModelPrompt: Sendable {
    public let model: SemanticModel
    /// Members of the categorical dimensions (industry, project type, …), as the interpreter knows them.
    public let members: [String: [String]]
    public let asOf: Day

    /// At most this many members of one dimension are listed (customers and projects are never listed).
    static let membersListed = 40

    public init(model: SemanticModel, members: [String: [String]], asOf: Day) {
        self.model = model
        self.members = members
        self.asOf = asOf
    }

    /// The intent the model returns when the question cannot be read with the semantic model's terms.
    static let unsupportedIntent = "unsupported"

    /// The system message.
    public var instructions: String {
        let lastMonthEnd = TimePhrases([], asOf: asOf).lastCompleteMonthEnd
        var lines = [
            "You translate a business question into a JSON request for an analytics engine. You never compute or guess figures.",
            "Answer with one JSON object and nothing else, with exactly the keys: intent, metric, dimension, filters, period, compared_to, grain, limit, order, direction, horizon (null when unused).",
            "Today is \(asOf.iso); the last complete month ends \(lastMonthEnd.iso). Periods are {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\", \"phrase\": the question's words for it}, both days included.",
            "",
            "intent, one of:",
            "- figure: one value of a metric (\"revenue last quarter\").",
            "- breakdown: a metric per member of a dimension (\"revenue by industry\").",
            "- ranking: the first or last N members by a metric; limit = N, order descending (top) or ascending (bottom).",
            "- comparison: a metric in period against compared_to; with a dimension, direction down or up keeps the members that moved that way.",
            "- trend: a metric per month, quarter or year (grain) over period.",
            "- drivers: what moved a metric between compared_to and period, per member of dimension (\"why did margin fall\").",
            "- forecast: a ledger sum over the months after the last complete month; horizon = number of months ahead.",
            "- risk: running projects most at risk of overrunning their budget.",
            "- decisions: the latest ranked decisions (\"what should we do first\"); limit = how many.",
            "- similar: the completed projects most like one project; filters = [{\"field\": \"project\", \"op\": \"=\", \"value\": its id as written}], limit = how many (default 20).",
            "- \(Self.unsupportedIntent): the question cannot be expressed with the keys below.",
            "",
            "metric, one of:",
        ]
        for metric in model.metrics.values.sorted(by: { $0.key < $1.key }) {
            let dated = metric.source.timeColumn == nil ? "no dates" : "dated"
            let also = metric.synonyms.isEmpty ? "" : "; also called \(metric.synonyms.prefix(6).joined(separator: ", "))"
            lines.append("- \(metric.key): \(metric.label) (\(metric.source.rawValue), \(metric.unit.rawValue), \(dated)\(also))")
        }
        lines.append("")
        lines.append("dimension, one of:")
        for d in model.dimensions.values.sorted(by: { $0.key < $1.key }) {
            var line = "- \(d.key): \(d.label)"
            if let grain = d.time { line += " (time, grain \(grain.rawValue))" }
            if let list = members[d.key], !list.isEmpty, d.keyColumn == nil {
                line += "; members: " + list.prefix(Self.membersListed).joined(separator: ", ")
            }
            lines.append(line)
        }
        lines.append("")
        lines.append("filters, a list of {field, op, value}:")
        lines.append("- a dimension and a member: {\"field\": \"industry\", \"op\": \"=\", \"value\": \"Media\"}")
        for f in model.filters.values.sorted(by: { $0.key < $1.key }) {
            lines.append("- {\"field\": \"\(f.key)\", \"op\": \"is\", \"value\": null}: \(f.label)")
        }
        for t in model.thresholds.values.sorted(by: { $0.key < $1.key }) {
            lines.append("- {\"field\": \"\(t.key)\", \"op\": \">\" | \">=\" | \"<\" | \"<=\", \"value\": a number as text}: \(t.label)")
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON schema of the answer (OpenAI's `response_format: json_schema`, strict: every key required,
    /// nothing else allowed; unused keys are null).
    public var schema: JSONValue {
        func nullable(_ type: String, _ values: [String]? = nil) -> JSONValue {
            var o: [String: JSONValue] = ["type": .array([.string(type), .string("null")])]
            if let values { o["enum"] = .array(values.map(JSONValue.string) + [.null]) }
            return .object(o)
        }
        let period: JSONValue = .object([
            "anyOf": .array([
                .object(["type": .string("null")]),
                .object([
                    "type": .string("object"), "additionalProperties": .bool(false),
                    "required": .array(["from", "to", "phrase"].map(JSONValue.string)),
                    "properties": .object([
                        "from": .object(["type": .string("string")]), "to": .object(["type": .string("string")]),
                        "phrase": .object(["type": .string("string")]),
                    ]),
                ]),
            ])
        ])
        let filter: JSONValue = .object([
            "type": .string("object"), "additionalProperties": .bool(false),
            "required": .array(["field", "op", "value"].map(JSONValue.string)),
            "properties": .object([
                "field": .object(["type": .string("string")]),
                "op": .object([
                    "type": .string("string"), "enum": .array(QuestionRequest.Filter.Operator.allCases.map { .string($0.rawValue) }),
                ]),
                "value": nullable("string"),
            ]),
        ])
        let properties: [String: JSONValue] = [
            "intent": .object([
                "type": .string("string"),
                "enum": .array(QuestionRequest.Intent.allCases.map { .string($0.rawValue) } + [.string(Self.unsupportedIntent)]),
            ]),
            "metric": nullable("string", model.metrics.keys.sorted()),
            "dimension": nullable("string", model.dimensions.keys.sorted()),
            "filters": .object(["type": .string("array"), "items": filter]),
            "period": period,
            "compared_to": period,
            "grain": nullable("string", SemanticModel.TimeGrain.allCases.map(\.rawValue)),
            "limit": nullable("integer"),
            "order": nullable("string", ["descending", "ascending"]),
            "direction": nullable("string", ["down", "up"]),
            "horizon": nullable("integer"),
        ]
        return .object([
            "type": .string("object"), "additionalProperties": .bool(false),
            "required": .array(properties.keys.sorted().map(JSONValue.string)), "properties": .object(properties),
        ])
    }
}

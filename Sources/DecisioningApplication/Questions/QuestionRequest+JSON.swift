public import DecisioningCore

extension QuestionRequest {
    /// The request as `interpretation` in the answer's JSON (docs/questions.md): every key present, null when unset.
    public var json: JSONValue {
        func periodJSON(_ p: QuestionPeriod?) -> JSONValue {
            guard let p else { return .null }
            return .object(["from": .string(p.from.iso), "to": .string(p.to.iso), "phrase": .string(p.phrase)])
        }
        return .object([
            "intent": .string(intent.rawValue),
            "metric": metric.map(JSONValue.string) ?? .null,
            "dimension": dimension.map(JSONValue.string) ?? .null,
            "filters": .array(
                filters.map { f in
                    .object(["field": .string(f.field), "op": .string(f.op.rawValue), "value": f.value.map(JSONValue.string) ?? .null])
                }),
            "period": periodJSON(period),
            "compared_to": periodJSON(comparedTo),
            "grain": grain.map { .string($0.rawValue) } ?? .null,
            "limit": limit.map { .number(Double($0)) } ?? .null,
            "order": order.map { .string($0.rawValue) } ?? .null,
            "direction": direction.map { .string($0.rawValue) } ?? .null,
            "horizon": horizon.map { .number(Double($0)) } ?? .null,
        ])
    }

    /// Reads a request written as `json` (the golden set's expectations); keys left out are unset.
    public init(json: JSONValue) throws(QuestionRequestFormatError) {
        guard case .object(let o) = json else { throw QuestionRequestFormatError("expected an object, found \(json.summary)") }
        func string(_ key: String) throws(QuestionRequestFormatError) -> String? {
            switch o[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let v?: throw QuestionRequestFormatError("\(key): expected a string, found \(v.summary)")
            }
        }
        func int(_ key: String) throws(QuestionRequestFormatError) -> Int? {
            switch o[key] {
            case nil, .null?: return nil
            // Bounded before the conversion: Int(1e300) would trap, and no count or horizon is that large.
            case .number(let n)? where n == n.rounded() && abs(n) <= 1e9: return Int(n)
            case let v?: throw QuestionRequestFormatError("\(key): expected a whole number up to 1e9, found \(v.summary)")
            }
        }
        func period(_ key: String) throws(QuestionRequestFormatError) -> QuestionPeriod? {
            switch o[key] {
            case nil, .null?: return nil
            case .object(let p)?:
                guard case .string(let f)? = p["from"], case .string(let t)? = p["to"], let from = Day(iso: f), let to = Day(iso: t) else {
                    throw QuestionRequestFormatError("\(key): expected {\"from\": DATE, \"to\": DATE}")
                }
                var phrase = ""
                if case .string(let s)? = p["phrase"] { phrase = s }
                return QuestionPeriod(from: from, to: to, phrase: phrase)
            case let v?: throw QuestionRequestFormatError("\(key): expected an object, found \(v.summary)")
            }
        }
        guard let intentName = try string("intent"), let intent = Intent(rawValue: intentName) else {
            throw QuestionRequestFormatError("intent: expected one of \(Intent.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var filters: [Filter] = []
        switch o["filters"] {
        case nil, .null?: break
        case .array(let list)?:
            for item in list {
                guard case .object(let f) = item, case .string(let field)? = f["field"], case .string(let op)? = f["op"],
                    let oper = Filter.Operator(rawValue: op)
                else { throw QuestionRequestFormatError("filters: expected {\"field\", \"op\", \"value\"}, found \(item.summary)") }
                var value: String?
                switch f["value"] {
                case nil, .null?: break
                case .string(let v)?: value = v
                case .number(let n)?: value = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                case let v?: throw QuestionRequestFormatError("filters: value must be a string or a number, found \(v.summary)")
                }
                filters.append(Filter(field: field, op: oper, value: value))
            }
        case let v?: throw QuestionRequestFormatError("filters: expected an array, found \(v.summary)")
        }
        func choice<T: RawRepresentable<String>>(_ key: String, _ values: [T]) throws(QuestionRequestFormatError) -> T? {
            guard let text = try string(key) else { return nil }
            guard let value = T(rawValue: text) else {
                throw QuestionRequestFormatError("\(key): expected one of \(values.map(\.rawValue).joined(separator: ", ")), found \(text)")
            }
            return value
        }
        var grain: SemanticModel.TimeGrain?
        if let g = try string("grain") {
            guard let parsed = SemanticModel.TimeGrain(rawValue: g) else { throw QuestionRequestFormatError("grain: unknown \(g)") }
            grain = parsed
        }
        self.init(
            intent: intent, metric: try string("metric"), dimension: try string("dimension"), filters: filters,
            period: try period("period"),
            comparedTo: try period("compared_to"), grain: grain, limit: try int("limit"),
            order: try choice("order", [Order.descending, .ascending]), direction: try choice("direction", [Direction.down, .up]),
            horizon: try int("horizon"))
    }
}

/// A request written as JSON that cannot be read (the golden set).
public struct QuestionRequestFormatError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ message: String) { description = message }
}

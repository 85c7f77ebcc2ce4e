import DecisioningAnalytics
public import DecisioningCore

extension SemanticModel {
    /// The model shipped with the binary.
    public static func standard() throws(ConfigurationError) -> SemanticModel {
        let root: JSONValue
        do {
            root = try StrictJSON.parse(PackageResources.semantic_model_json)
        } catch {
            throw ConfigurationError(key: "(shipped semantic model)", message: "not valid JSON: \(error)")
        }
        return try SemanticModel(metrics: [:], dimensions: [:], filters: [:], thresholds: [:]).merging(
            root, key: "(shipped semantic model)")
    }

    /// The shipped model with `configuration.questions.semantic_model` merged over it; errors name the key.
    public static func forConfiguration(_ configuration: Configuration) throws(ConfigurationError) -> SemanticModel {
        let model = try standard()
        guard let extra = configuration.questions.semanticModel else { return model }
        do {
            return try model.merging(extra, key: "questions.semantic_model")
        } catch var error {
            if let file = configuration.questions.semanticModelFile { error.message += " (in \(TerminalText.quoted(file)))" }
            throw error
        }
    }

    /// This model with the entries of `document` added, replacing those with the same key.
    public func merging(_ document: JSONValue, key: String) throws(ConfigurationError) -> SemanticModel {
        func fail(_ path: String, _ message: String) -> ConfigurationError { ConfigurationError(key: path, message: message) }
        guard case .object(let top) = document else { throw fail(key, "expected an object, found \(document.summary)") }
        let sections = ["metrics", "dimensions", "filters", "thresholds"]
        for name in top.keys.sorted() where !sections.contains(name) {
            throw fail("\(key).\(TerminalText.quoted(name))", "unknown key; expected one of: \(sections.joined(separator: ", "))")
        }
        var model = self
        func entries(_ section: String) throws(ConfigurationError) -> [(String, [String: JSONValue], String)] {
            guard let value = top[section] else { return [] }
            guard case .object(let o) = value else { throw fail("\(key).\(section)", "expected an object, found \(value.summary)") }
            var out: [(String, [String: JSONValue], String)] = []
            for name in o.keys.sorted() {
                let path = "\(key).\(section).\(TerminalText.quoted(name))"
                guard Self.isKey(name) else {
                    throw fail(path, "a key is lowercase letters, digits and underscores, starting with a letter")
                }
                guard case .object(let entry) = o[name] ?? .null else {
                    throw fail(path, "expected an object, found \(o[name]?.summary ?? "null")")
                }
                out.append((name, entry, path))
            }
            return out
        }
        func check(_ entry: [String: JSONValue], _ allowed: [String], _ path: String) throws(ConfigurationError) {
            for name in entry.keys.sorted() where !allowed.contains(name) {
                throw fail("\(path).\(TerminalText.quoted(name))", "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        func text(_ entry: [String: JSONValue], _ name: String, _ path: String, default value: String? = nil) throws(ConfigurationError)
            -> String
        {
            guard let v = entry[name] else {
                if let value { return value }
                throw fail("\(path).\(name)", "missing")
            }
            guard case .string(let s) = v, !s.isEmpty else {
                throw fail("\(path).\(name)", "expected a non-empty string, found \(v.summary)")
            }
            return s
        }
        func phrases(_ entry: [String: JSONValue], _ name: String, _ path: String) throws(ConfigurationError) -> [String] {
            guard let v = entry[name] else { return [] }
            guard case .array(let list) = v else { throw fail("\(path).\(name)", "expected an array of strings, found \(v.summary)") }
            var out: [String] = []
            for (i, item) in list.enumerated() {
                guard case .string(let s) = item, !QuestionText.words(s).isEmpty else {
                    throw fail("\(path).\(name)[\(i)]", "expected a phrase of at least one word, found \(item.summary)")
                }
                out.append(s)
            }
            return out
        }
        // Metrics: plain aggregates first, so that ratios can name metrics added in the same document.
        let metricEntries = try entries("metrics")
        for (name, entry, path) in metricEntries {
            try check(entry, ["label", "source", "unit", "aggregate", "of", "where", "divide", "synonyms"], path)
            let sourceName = try text(entry, "source", path)
            guard let source = Source(rawValue: sourceName) else {
                throw fail(
                    "\(path).source",
                    "expected one of: \(Source.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(TerminalText.quoted(sourceName))\""
                )
            }
            let unitName = try text(entry, "unit", path)
            guard let unit = Unit(rawValue: unitName) else {
                throw fail(
                    "\(path).unit",
                    "expected one of: \(Unit.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(TerminalText.quoted(unitName))\"")
            }
            let definition: Metric.Definition
            if let divide = entry["divide"] {
                guard entry["aggregate"] == nil, entry["of"] == nil, entry["where"] == nil else {
                    throw fail("\(path).divide", "a ratio metric has no aggregate, of or where of its own")
                }
                guard case .array(let parts) = divide, parts.count == 2, case .string(let a) = parts[0], case .string(let b) = parts[1]
                else {
                    throw fail("\(path).divide", "expected [numerator metric, denominator metric], found \(divide.summary)")
                }
                definition = .divide(a, b)
            } else {
                let function = try text(entry, "aggregate", path)
                let functions: [String: Measure.Function] = [
                    "sum": .sum, "avg": .avg, "count": .count, "count_distinct": .countDistinct, "min": .min, "max": .max,
                ]
                guard let f = functions[function] else {
                    throw fail(
                        "\(path).aggregate",
                        "expected one of: \(functions.keys.sorted().joined(separator: ", ")) (or a divide of two metrics), found \"\(TerminalText.quoted(function))\""
                    )
                }
                let of = try entry["of"].map { v throws(ConfigurationError) in
                    try SemanticExpression.read(v, "\(path).of", columns: source.columns)
                }
                guard of != nil || f == .count else { throw fail("\(path).of", "missing; only count may leave it out") }
                let condition = try entry["where"].map { v throws(ConfigurationError) in
                    try SemanticExpression.read(v, "\(path).where", columns: source.columns)
                }
                definition = .aggregate(f, of: of, where: condition)
            }
            model.metrics[name] = Metric(
                key: name, label: try text(entry, "label", path, default: name.replacingOccurrences(of: "_", with: " ")), source: source,
                unit: unit, definition: definition, synonyms: try phrases(entry, "synonyms", path))
        }
        for (name, _, path) in metricEntries {
            guard let metric = model.metrics[name], case .divide(let a, let b) = metric.definition else { continue }
            for part in [a, b] {
                guard let other = model.metrics[part] else {
                    throw fail(
                        "\(path).divide",
                        "unknown metric \"\(TerminalText.quoted(part))\"; expected one of: \(model.metrics.keys.sorted().joined(separator: ", "))"
                    )
                }
                guard case .aggregate = other.definition, other.source == metric.source else {
                    throw fail("\(path).divide", "\"\(part)\" must be an aggregate metric of the source \(metric.source.rawValue)")
                }
            }
        }
        for (name, entry, path) in try entries("dimensions") {
            try check(entry, ["label", "column", "key", "time", "synonyms"], path)
            let label = try text(entry, "label", path, default: name.replacingOccurrences(of: "_", with: " "))
            var dimension = Dimension(
                key: name, label: label, column: nil, keyColumn: nil, time: nil, synonyms: try phrases(entry, "synonyms", path))
            if let t = entry["time"] {
                guard entry["column"] == nil, entry["key"] == nil else {
                    throw fail("\(path).time", "a time dimension has no column or key")
                }
                guard case .string(let grain) = t, let g = TimeGrain(rawValue: grain) else {
                    throw fail("\(path).time", "expected month, quarter or year, found \(t.summary)")
                }
                dimension.time = g
            } else {
                let all = Source.ledger.columns
                let column = try text(entry, "column", path)
                guard all.contains(column) else {
                    throw fail(
                        "\(path).column",
                        "unknown column \"\(TerminalText.quoted(column))\"; expected one of: \(all.sorted().joined(separator: ", "))")
                }
                dimension.column = column
                if entry["key"] != nil {
                    let k = try text(entry, "key", path)
                    guard all.contains(k) else { throw fail("\(path).key", "unknown column \"\(TerminalText.quoted(k))\"") }
                    dimension.keyColumn = k
                }
            }
            model.dimensions[name] = dimension
        }
        for (name, entry, path) in try entries("filters") {
            try check(entry, ["label", "where", "phrases"], path)
            guard let w = entry["where"] else { throw fail("\(path).where", "missing") }
            let condition = try SemanticExpression.read(w, "\(path).where", columns: Source.ledger.columns)
            let list = try phrases(entry, "phrases", path)
            guard !list.isEmpty else { throw fail("\(path).phrases", "missing; a filter needs at least one phrase") }
            model.filters[name] = Filter(
                key: name, label: try text(entry, "label", path, default: name), condition: condition,
                columns: SemanticExpression.columns(condition), phrases: list)
        }
        for (name, entry, path) in try entries("thresholds") {
            try check(entry, ["label", "column", "expression", "phrases"], path)
            let expression: Expr
            if let e = entry["expression"] {
                expression = try SemanticExpression.read(e, "\(path).expression", columns: Source.ledger.columns)
            } else {
                expression = try SemanticExpression.read(entry["column"] ?? .null, "\(path).column", columns: Source.ledger.columns)
            }
            let list = try phrases(entry, "phrases", path)
            guard !list.isEmpty else { throw fail("\(path).phrases", "missing; a threshold needs at least one phrase") }
            model.thresholds[name] = Threshold(
                key: name, label: try text(entry, "label", path, default: name), expression: expression,
                columns: SemanticExpression.columns(expression), phrases: list)
        }
        return model
    }

    static func isKey(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

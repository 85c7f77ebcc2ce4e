import DecisioningCore

/// Turns the phrases found in a question into a request: the kind of question from its cues, the metric, the
/// dimension, the filters and the periods, with the model's defaults where the question says nothing.
struct QuestionAssembly {
    let interpreter: QuestionInterpreter
    let tokens: [String]
    var matches: [QuestionInterpreter.Match]
    let time: TimePhrases
    let unknown: [String]

    var model: SemanticModel { interpreter.model }

    init(interpreter: QuestionInterpreter, tokens: [String], matches: [QuestionInterpreter.Match], time: TimePhrases, unknown: [String]) {
        self.interpreter = interpreter
        self.tokens = tokens
        self.matches = matches
        self.time = time
        self.unknown = unknown
    }

    func has(_ cue: QuestionCue) -> Bool { matches.contains { $0.meanings.contains(.cue(cue)) } }

    func cueIndex(_ cue: QuestionCue) -> Int? { matches.firstIndex { $0.meanings.contains(.cue(cue)) } }

    /// A number written right after match `m` (skipping nothing), as written.
    func number(after m: Int) -> (value: Double, text: String)? {
        let next = matches[m].range.upperBound
        guard next < tokens.count else { return nil }
        var text = tokens[next]
        if text.hasPrefix("$") { text.removeFirst() }
        if let v = Double(text) { return (v, text) }
        if let n = QuestionText.integer(text) { return (Double(n), String(n)) }
        return nil
    }

    mutating func run(corrections: [String: String]) -> QuestionReading {
        // "Similar" always asks for cases; "like" only with a project id ("projects like P000012", not "I would like …").
        if has(.similar) || (has(.like) && projectIdentifier(lettersAndDigits: true) != nil) {
            guard let id = projectIdentifier() else {
                return .unsupported(
                    reason: "similar cases are found for one project: name it by its id",
                    suggestions: ["projects similar to P000012", "which running projects will overrun", "top 5 projects by cost ratio"])
            }
            let request = QuestionRequest(
                intent: .similar, dimension: "project", filters: [QuestionRequest.Filter(field: "project", op: .equal, value: id)],
                limit: rankingLimit() ?? 20)
            return .request(request, corrections: corrections)
        }
        if has(.decisions) { return .request(QuestionRequest(intent: .decisions, limit: 5), corrections: corrections) }

        // Thresholds: a threshold phrase followed by a comparison and a number.
        var filters: [QuestionRequest.Filter] = []
        var used = Set<Int>()
        for (m, match) in matches.enumerated() {
            guard let key = match.meanings.lazy.compactMap({ if case .threshold(let k) = $0 { k } else { nil } }).first,
                m + 1 < matches.count
            else { continue }
            let next = matches[m + 1]
            guard next.range.lowerBound == match.range.upperBound, let number = number(after: m + 1) else { continue }
            let op: QuestionRequest.Filter.Operator
            if next.meanings.contains(.cue(.above)) {
                op = .greater
            } else if next.meanings.contains(.cue(.below)) {
                op = .less
            } else if next.meanings.contains(.cue(.atLeast)) {
                op = .greaterOrEqual
            } else if next.meanings.contains(.cue(.atMost)) {
                op = .lessOrEqual
            } else {
                continue
            }
            filters.append(QuestionRequest.Filter(field: key, op: op, value: number.text))
            used.formUnion([m, m + 1])
        }
        // Members and named filters.
        for (m, match) in matches.enumerated() where !used.contains(m) {
            for meaning in match.meanings {
                if case .member(let dimension, let value) = meaning {
                    filters.append(QuestionRequest.Filter(field: dimension, op: .equal, value: value))
                    used.insert(m)
                    break
                }
                if case .filter(let key) = meaning {
                    filters.append(QuestionRequest.Filter(field: key, op: .is))
                    used.insert(m)
                    break
                }
            }
        }
        filters = Array(Set(filters)).sorted()

        if has(.risk) && !matches.contains(where: { $0.meanings.contains(.metric("overrun_rate")) }) {
            var riskFilters = filters
            if !riskFilters.contains(where: { $0.field == "status" || model.filters[$0.field]?.columns.contains("status") == true }) {
                riskFilters.append(QuestionRequest.Filter(field: "running", op: .is))
            }
            return .request(
                QuestionRequest(
                    intent: .risk, metric: "cost_ratio", dimension: "project", filters: riskFilters, limit: rankingLimit() ?? 10,
                    order: .descending), corrections: corrections)
        }

        // Metrics, and dimensions that are breakdowns rather than nouns qualified by a filter ("Media customers").
        var metrics: [String] = []
        var dimensions: [String] = []
        var singularDimension = false
        var nouns: [String] = []
        for (m, match) in matches.enumerated() where !used.contains(m) {
            let metricKey = match.meanings.lazy.compactMap({ if case .metric(let k) = $0 { k } else { nil } }).first
            let dimensionKey = match.meanings.lazy.compactMap({ if case .dimension(let k) = $0 { k } else { nil } }).first
            // "customers" and "projects" are both a count and a dimension: a dimension where it breaks down.
            if let key = metricKey, dimensionKey.map({ !isBreakdown(m, $0) || !dimensions.isEmpty }) ?? true {
                if dimensionKey != nil && !(isBreakdown(m, dimensionKey ?? "") && !dimensions.isEmpty) {
                    // A noun ("cost ratio of running projects"): the count only when nothing else is asked.
                    if !nouns.contains(key) { nouns.append(key) }
                } else if !metrics.contains(key) {
                    metrics.append(key)
                }
                continue
            }
            if let key = dimensionKey {
                if isBreakdown(m, key) {
                    if !dimensions.contains(key) { dimensions.append(key) }
                    singularDimension = singularDimension || match.singular
                } else if has(.howMany), key == "customer" || key == "project" {
                    let metric = key == "customer" ? "customers" : "projects"
                    if !metrics.contains(metric) { metrics.append(metric) }
                }
                continue
            }
            if let key = match.meanings.lazy.compactMap({ if case .threshold(let k) = $0 { k } else { nil } }).first,
                let metric = model.metrics[key] ?? (key == "budget_amount" ? model.metrics["budget"] : nil)
            {
                if !metrics.contains(metric.key) { metrics.append(metric.key) }
            }
        }
        // "Which projects are over budget": the projects furthest over budget, whatever their status.
        if metrics.isEmpty, dimensions == ["project"] || (dimensions.isEmpty && nouns == ["projects"] && has(.which)), !filters.isEmpty {
            return .request(
                QuestionRequest(
                    intent: .risk, metric: "cost_ratio", dimension: "project", filters: filters, limit: rankingLimit() ?? 10,
                    order: .descending),
                corrections: corrections)
        }
        // "Which customers have risk above 0.6": the threshold's own metric, when it has one.
        if metrics.isEmpty {
            for f in filters where f.op != .is && f.op != .equal {
                let key = f.field == "budget_amount" ? "budget" : f.field
                if model.metrics[key] != nil, !metrics.contains(key) { metrics.append(key) }
            }
        }
        if metrics.isEmpty { metrics = nouns }
        let timeDimension = dimensions.first { model.dimensions[$0]?.time != nil }
        let category = dimensions.filter { model.dimensions[$0]?.time == nil }

        guard let metricKey = metrics.first, let metric = model.metrics[metricKey] else {
            return noMetric(category: category, corrections: corrections)
        }
        if metrics.count > 1 {
            let readings = metrics.prefix(3).compactMap { key -> QuestionRequest? in
                var copy = self
                copy.matches = matches.filter { m in !m.meanings.contains { if case .metric(let k) = $0 { k != key } else { false } } }
                if case .request(let r, _) = copy.run(corrections: corrections) { return r }
                return nil
            }
            if readings.count > 1 {
                return .ambiguous(
                    readings, reason: "the question names several metrics (\(metrics.joined(separator: ", "))); ask about one at a time")
            }
        }
        for f in filters {
            let columns = columns(of: f)
            guard columns.isSubset(of: metric.source.columns) else {
                return .unsupported(
                    reason: "\(metric.label) is a figure of \(metric.source.rawValue), which has no \(f.field) to filter on",
                    suggestions: suggestions(for: metric))
            }
        }
        if category.count > 1 {
            let readings = category.prefix(3).map { d in
                QuestionRequest(
                    intent: .breakdown, metric: metricKey, dimension: d, filters: filters, period: defaultPeriod(metric), order: .descending
                )
            }
            return .ambiguous(readings, reason: "the question breaks down by several dimensions; ask for one")
        }
        let dimension = category.first
        if let dimension, let column = model.dimensions[dimension]?.column, !metric.source.columns.contains(column) {
            return .unsupported(
                reason:
                    "\(metric.label) is a figure of \(metric.source.rawValue), which cannot be broken down by \(model.dimensions[dimension]?.label ?? dimension)",
                suggestions: suggestions(for: metric))
        }

        // Forecast.
        if has(.forecast) || time.future != nil {
            guard case .aggregate(.sum, _, _) = metric.definition, metric.source == .ledger else {
                return .unsupported(
                    reason: "forecasts are made for the ledger's sums (revenue, cost, margin), not for \(metric.label)",
                    suggestions: ["revenue next quarter", "cost over the next 6 months", "margin next month"])
            }
            let origin = time.lastCompleteMonthEnd
            let target =
                time.future
                ?? QuestionPeriod(
                    from: origin.adding(days: 1), to: origin.adding(days: 1).adding(months: 3).adding(days: -1),
                    phrase: "default: the next 3 months")
            let horizon = origin.adding(days: 1).monthsUntil(target.to.adding(days: 1))
            return .request(
                QuestionRequest(intent: .forecast, metric: metricKey, filters: filters, period: target, grain: .month, horizon: horizon),
                corrections: corrections)
        }

        let direction: QuestionRequest.Direction? = has(.down) ? .down : has(.up) ? .up : nil
        let comparing =
            has(.compare) || direction != nil || time.yearAgo || time.previousPeriod || time.periods.count >= 2
            || time.periods.contains { $0.afterComparison && $0.yearBefore }
        if has(.why) || comparing {
            guard metric.source.timeColumn != nil else {
                return .unsupported(reason: "\(metric.label) has no dates to compare periods by", suggestions: suggestions(for: metric))
            }
            let (current, previous) = comparedPeriods()
            if has(.why) {
                return .request(
                    QuestionRequest(
                        intent: .drivers, metric: metricKey, dimension: dimension ?? "industry", filters: filters, period: current,
                        comparedTo: previous, direction: direction), corrections: corrections)
            }
            return .request(
                QuestionRequest(
                    intent: .comparison, metric: metricKey, dimension: dimension, filters: filters, period: current, comparedTo: previous,
                    order: dimension == nil ? nil : direction == .up ? .descending : .ascending,
                    direction: dimension == nil ? nil : direction),
                corrections: corrections)
        }

        let period = time.periods.first?.period ?? defaultPeriod(metric)
        if timeDimension != nil || has(.trend) {
            guard metric.source.timeColumn != nil else {
                return .unsupported(reason: "\(metric.label) has no dates to follow over time", suggestions: suggestions(for: metric))
            }
            let grain = timeDimension.flatMap { model.dimensions[$0]?.time } ?? .month
            return .request(
                QuestionRequest(
                    intent: .trend, metric: metricKey, dimension: dimension, filters: filters,
                    period: time.periods.first?.period ?? lastMonths(12), grain: grain), corrections: corrections)
        }
        let usable = metric.source.timeColumn == nil ? nil : period
        if has(.top) || has(.bottom) {
            guard let dimension else {
                let readings = ["customer", "industry", "project"].map { d in
                    QuestionRequest(
                        intent: .ranking, metric: metricKey, dimension: d, filters: filters, period: usable, limit: rankingLimit() ?? 10,
                        order: has(.bottom) ? .ascending : .descending)
                }
                return .ambiguous(readings, reason: "a ranking of what? name customers, industries or projects")
            }
            let limit = rankingLimit() ?? (singularDimension ? 1 : 10)
            return .request(
                QuestionRequest(
                    intent: .ranking, metric: metricKey, dimension: dimension, filters: filters, period: usable, limit: limit,
                    order: has(.bottom) ? .ascending : .descending), corrections: corrections)
        }
        if let dimension {
            return .request(
                QuestionRequest(
                    intent: .breakdown, metric: metricKey, dimension: dimension, filters: filters, period: usable, order: .descending),
                corrections: corrections)
        }
        return .request(QuestionRequest(intent: .figure, metric: metricKey, filters: filters, period: usable), corrections: corrections)
    }

    // MARK: - Parts

    /// Whether dimension match `m` asks for a breakdown: after "by", "per", "each", "which", a ranking word or
    /// a number, or it is a time dimension ("monthly"); not when a filter qualifies it ("running projects").
    func isBreakdown(_ m: Int, _ key: String) -> Bool {
        if model.dimensions[key]?.time != nil { return true }
        let start = matches[m].range.lowerBound
        if let previous = matches.last(where: { $0.range.upperBound == start }) {
            if previous.meanings.contains(.cue(.by)) { return true }
            if previous.meanings.contains(where: { if case .member = $0 { true } else if case .filter = $0 { true } else { false } }) {
                return false
            }
        }
        if start >= 1, QuestionText.integer(tokens[start - 1]) != nil, tokens[start - 1].count < 4 { return true }
        let cues: Set<String> = [
            "which", "what", "top", "bottom", "best", "worst", "highest", "lowest", "largest", "biggest", "smallest", "each", "per", "by",
            "most", "least", "list",
        ]
        for back in 1...3 where start - back >= 0 && cues.contains(tokens[start - back]) { return true }
        return false
    }

    /// The last word with a digit that no time phrase took and that is not a ranking's count: a project id as the
    /// question spelt it (lowercased; the answer finds the stored id whatever its case).
    /// With `lettersAndDigits`, only a word with both ("p000012", not "1.2"): "like" asks for cases only next to an id.
    func projectIdentifier(lettersAndDigits: Bool = false) -> String? {
        let count = rankingLimit().map(String.init)
        return tokens.indices.reversed().lazy.filter { i in
            let t = tokens[i]
            return !time.consumed.contains(i) && t.count >= 2 && t != count && t.contains(where: \.isNumber)
                && (!lettersAndDigits || t.contains(where: \.isLetter))
        }.first.map { tokens[$0] }
    }

    func rankingLimit() -> Int? {
        for cue in [QuestionCue.top, .bottom] {
            if let m = cueIndex(cue), let n = number(after: m), n.value >= 1, n.value <= 1000, n.value == n.value.rounded() {
                return Int(n.value)
            }
        }
        // "the 5 largest customers"
        if let m = cueIndex(.top) ?? cueIndex(.bottom) {
            let start = matches[m].range.lowerBound
            if start > 0, let n = QuestionText.integer(tokens[start - 1]), n >= 1, n <= 1000 { return n }
        }
        return nil
    }

    func columns(of filter: QuestionRequest.Filter) -> Set<String> {
        if let f = model.filters[filter.field], filter.op == .is { return f.columns }
        if let t = model.thresholds[filter.field] { return t.columns }
        if let d = model.dimensions[filter.field], let c = d.column { return [c] }
        return []
    }

    func lastMonths(_ n: Int) -> QuestionPeriod {
        let end = time.lastCompleteMonthEnd
        return QuestionPeriod(from: end.adding(days: 1).adding(months: -n), to: end, phrase: "default: last \(n) months")
    }

    /// No period named: ledger figures cover the last 12 months; projects and customers all rows.
    func defaultPeriod(_ metric: SemanticModel.Metric) -> QuestionPeriod? {
        metric.source == .ledger ? lastMonths(12) : nil
    }

    /// The period asked about and the one it is compared with.
    func comparedPeriods() -> (QuestionPeriod, QuestionPeriod) {
        let found = time.periods
        let lastQuarterEnd = time.latestComplete(.quarter)
        let lastQuarter = QuestionPeriod(
            from: lastQuarterEnd.adding(days: 1).adding(months: -3), to: lastQuarterEnd, phrase: "default: last quarter")
        if found.count >= 2 {
            let current = found[0].period
            let other = found[1]
            if other.yearBefore || time.yearAgo {
                return (current, current.shifted(months: -12, phrase: "the same period a year earlier"))
            }
            return (current, other.period)
        }
        if let only = found.first {
            if only.afterComparison && only.yearBefore {
                let ytd = QuestionPeriod(from: interpreter.asOf.firstOfYear, to: interpreter.asOf, phrase: "default: this year to date")
                return (ytd, ytd.shifted(months: -12, phrase: "the same period a year earlier"))
            }
            return (
                only.period,
                time.yearAgo
                    ? only.period.shifted(months: -12, phrase: "the same period a year earlier")
                    : only.period.preceding(phrase: "the period before")
            )
        }
        return (
            lastQuarter,
            time.yearAgo
                ? lastQuarter.shifted(months: -12, phrase: "the same quarter a year earlier")
                : lastQuarter.preceding(phrase: "the quarter before")
        )
    }

    func suggestions(for metric: SemanticModel.Metric) -> [String] {
        switch metric.source {
        case .ledger:
            return ["\(metric.label) by industry last quarter", "monthly \(metric.label) this year", "\(metric.label) next quarter"]
        case .projects:
            return [
                "\(metric.label) by project type", "\(metric.label) of running projects by industry", "top 5 customers by \(metric.label)",
            ]
        case .customers: return ["\(metric.label) by industry", "\(metric.label) by credit rating", "number of customers by industry"]
        }
    }

    func noMetric(category: [String], corrections: [String: String]) -> QuestionReading {
        let generic: Set<QuestionCue> = [.howMany, .which, .by, .above, .below, .atLeast, .atMost]
        let informative = matches.contains { m in
            m.meanings.contains { if case .cue(let c) = $0 { !generic.contains(c) } else { true } }
        }
        let known = (informative || !time.periods.isEmpty) && (unknown.isEmpty || !category.isEmpty || !time.periods.isEmpty)
        if known {
            let period = time.periods.first?.period ?? lastMonths(12)
            let dimension = category.first
            let readings = ["revenue", "margin", "cost"].map { m in
                if let dimension {
                    return QuestionRequest(
                        intent: has(.top) || has(.bottom) ? .ranking : .breakdown, metric: m, dimension: dimension, period: period,
                        limit: has(.top) || has(.bottom) ? rankingLimit() ?? 10 : nil, order: has(.bottom) ? .ascending : .descending)
                }
                return QuestionRequest(intent: has(.trend) ? .trend : .figure, metric: m, period: period, grain: has(.trend) ? .month : nil)
            }
            return .ambiguous(readings, reason: "the question names no metric; did you mean one of these?")
        }
        let words = unknown.isEmpty ? "" : " (unknown words: \(unknown.joined(separator: ", ")))"
        return .unsupported(
            reason: "nothing in the question names a metric, a dimension or a kind of question the model knows\(words)",
            suggestions: QuestionInterpreter.examples)
    }
}

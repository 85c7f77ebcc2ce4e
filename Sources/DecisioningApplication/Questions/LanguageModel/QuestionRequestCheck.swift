import DecisioningCore
import Foundation

/// Checks a typed request that did not come from the deterministic interpreter (the language model's) against the
/// semantic model and the data's members, and completes it with the interpreter's defaults: every key must be
/// the model's, every member one the data has, every number in range. A request that fails names the key.
struct QuestionRequestCheck {
    let model: SemanticModel
    let members: [String: [String]]
    let asOf: Day

    /// The most rows a ranking or a list of decisions may ask for.
    static let limits = 1...1_000
    /// The most months a forecast may look ahead.
    static let horizons = 1...60
    /// The most filters a request may carry.
    static let maxFilters = 10
    /// The years a period may fall in.
    static let years = 1900...2200

    struct Refusal: Error, CustomStringConvertible, Equatable {
        var description: String
        init(_ message: String) { description = message }
    }

    func checked(_ input: QuestionRequest) throws(Refusal) -> QuestionRequest {
        var request = input
        let time = TimePhrases([], asOf: asOf)
        guard request.filters.count <= Self.maxFilters else {
            throw Refusal("\(request.filters.count) filters; a question takes at most \(Self.maxFilters)")
        }
        if let limit = request.limit, !Self.limits.contains(limit) {
            throw Refusal("limit \(limit) is outside \(Self.limits.lowerBound)…\(Self.limits.upperBound)")
        }
        for (key, p) in [("period", request.period), ("compared_to", request.comparedTo)] {
            guard let p else { continue }
            guard Self.years.contains(p.from.year), Self.years.contains(p.to.year), p.from <= p.to else {
                throw Refusal("\(key) \(p.description) is not a range of days within \(Self.years.lowerBound)…\(Self.years.upperBound)")
            }
        }
        request.period = request.period.map(Self.phrased)
        request.comparedTo = request.comparedTo.map(Self.phrased)
        switch request.intent {
        case .decisions:
            return QuestionRequest(intent: .decisions, limit: request.limit ?? 5)
        case .similar:
            guard let f = request.filters.first(where: { $0.field == "project" }), f.op == .equal, let id = f.value, !id.isEmpty,
                id.count <= 200
            else {
                throw Refusal("a similar question needs the filter {\"field\": \"project\", \"op\": \"=\", \"value\": a project id}")
            }
            return QuestionRequest(intent: .similar, dimension: "project", filters: [f], limit: request.limit ?? 20)
        case .risk:
            request.metric = "cost_ratio"
            request.dimension = "project"
            if !request.filters.contains(where: { $0.field == "status" || model.filters[$0.field]?.columns.contains("status") == true }) {
                request.filters.append(QuestionRequest.Filter(field: "running", op: .is))
            }
            request.limit = request.limit ?? 10
        default: break
        }
        guard let key = request.metric, let metric = model.metrics[key] else {
            throw Refusal("metric \(request.metric.map { "'\($0.prefix(60))'" } ?? "(none)") is not one of the semantic model's metrics")
        }
        request.filters = try request.filters.map { f throws(Refusal) in try checked(f, metric: metric) }.sorted()
        if let d = request.dimension {
            guard let dimension = model.dimensions[d] else { throw Refusal("dimension '\(d)' is not one of the semantic model's") }
            if let column = dimension.column, !metric.source.columns.contains(column) {
                throw Refusal("\(metric.label) cannot be broken down by \(dimension.label)")
            }
        }
        let lastMonths = QuestionPeriod(
            from: time.lastCompleteMonthEnd.adding(days: 1).adding(months: -12), to: time.lastCompleteMonthEnd,
            phrase: "default: last 12 months")
        let dated = metric.source.timeColumn != nil
        if !dated, request.period != nil || request.comparedTo != nil {
            throw Refusal("\(metric.label) has no dates, so the request must have no period")
        }
        switch request.intent {
        case .figure, .breakdown, .ranking:
            if request.intent != .figure && request.dimension == nil { throw Refusal("a \(request.intent.rawValue) needs a dimension") }
            if dated && request.period == nil && metric.source == .ledger { request.period = lastMonths }
            if request.intent == .ranking {
                request.limit = request.limit ?? 10
                request.order = request.order ?? .descending
            }
        case .comparison, .drivers:
            guard dated else { throw Refusal("\(metric.label) has no dates to compare periods by") }
            if request.intent == .drivers && request.dimension == nil { request.dimension = "industry" }
            let lastQuarterEnd = time.latestComplete(.quarter)
            let current =
                request.period
                ?? QuestionPeriod(
                    from: lastQuarterEnd.adding(days: 1).adding(months: -3), to: lastQuarterEnd, phrase: "default: last quarter")
            request.period = current
            request.comparedTo = request.comparedTo ?? current.preceding(phrase: "the period before")
        case .trend:
            guard dated else { throw Refusal("\(metric.label) has no dates to follow over time") }
            request.period = request.period ?? lastMonths
            request.grain = request.grain ?? .month
        case .forecast:
            guard case .aggregate(.sum, _, _) = metric.definition, metric.source == .ledger else {
                throw Refusal("forecasts are made for the ledger's sums, not for \(metric.label)")
            }
            let first = time.lastCompleteMonthEnd.adding(days: 1)
            var horizon = request.horizon
            if horizon == nil, let p = request.period { horizon = first.monthsUntil(p.to.adding(days: 1)) }
            let months = horizon ?? 3
            guard Self.horizons.contains(months) else {
                throw Refusal(
                    "horizon \(months) is outside \(Self.horizons.lowerBound)…\(Self.horizons.upperBound) months after \(first.iso)")
            }
            request.horizon = months
            request.grain = .month
            request.dimension = nil
            request.comparedTo = nil
            request.period = QuestionPeriod(
                from: first, to: first.adding(months: months).adding(days: -1),
                phrase: request.period?.phrase ?? "the next \(months) months")
        case .risk, .decisions, .similar: break
        }
        return request
    }

    /// A filter as the planner reads it: a member spelt as the data spells it, a named filter, or a finite bound.
    func checked(_ f: QuestionRequest.Filter, metric: SemanticModel.Metric) throws(Refusal) -> QuestionRequest.Filter {
        let columns: Set<String>
        var filter = f
        if let named = model.filters[f.field] {
            guard f.op == .is else { throw Refusal("filter '\(f.field)' takes op \"is\", not \"\(f.op.rawValue)\"") }
            filter.value = nil
            columns = named.columns
        } else if let threshold = model.thresholds[f.field] {
            guard f.op != .is, f.op != .equal, let text = f.value, let bound = Double(text), bound.isFinite else {
                throw Refusal("threshold '\(f.field)' needs op >, >=, < or <= and a finite number as value")
            }
            columns = threshold.columns
        } else if let dimension = model.dimensions[f.field], let column = dimension.column, dimension.time == nil {
            guard f.op == .equal, let value = f.value, !value.isEmpty, value.count <= 200 else {
                throw Refusal("filter on '\(f.field)' needs op \"=\" and a member as value")
            }
            if dimension.keyColumn == nil {
                let known = members[f.field] ?? []
                guard let member = known.first(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) else {
                    let listed = known.prefix(12).joined(separator: ", ")
                    throw Refusal("'\(value)' is not a \(dimension.label) in the data (\(listed))")
                }
                filter.value = member
            }
            columns = [column]
        } else {
            throw Refusal("filter field '\(f.field)' is not a dimension, filter or threshold of the semantic model")
        }
        guard columns.isSubset(of: metric.source.columns) else {
            throw Refusal("\(metric.label) is a figure of \(metric.source.rawValue), which has no \(f.field) to filter on")
        }
        return filter
    }

    /// A period's phrase as shown back: the model's words, kept short and on one line.
    static func phrased(_ p: QuestionPeriod) -> QuestionPeriod {
        var copy = p
        let line = String(String.UnicodeScalarView(p.phrase.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        copy.phrase = line.isEmpty ? p.description : String(line.prefix(80))
        return copy
    }
}

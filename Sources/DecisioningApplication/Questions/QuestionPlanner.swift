import DecisioningAnalytics
import DecisioningCore

/// Typed request → plan. Metrics become measures (a ratio: its two sums, divided after aggregation), filters
/// and periods become a filter, dimensions and time buckets become group keys. Comparisons aggregate per
/// period, then pivot the two periods into columns with a second aggregate.
struct QuestionPlanner {
    let model: SemanticModel

    struct Component {
        var name: String
        var measure: Measure
    }

    func metric(_ key: String?) throws(QuestionError) -> SemanticModel.Metric {
        guard let key, let metric = model.metrics[key] else { throw QuestionError.unknownMetric(key ?? "(none)") }
        return metric
    }

    /// The aggregates a metric is computed from.
    func components(_ metric: SemanticModel.Metric) throws(QuestionError) -> [Component] {
        switch metric.definition {
        case .aggregate(let f, let of, let condition):
            let measure: Measure
            switch (f, of, condition) {
            case (.count, nil, nil): measure = .count(metric.key)
            case (.count, nil, let c?): measure = .count(metric.key, when(c, then: 1))
            case (.sum, let e?, let c?): measure = .sum(metric.key, when(c, then: e, else: 0))
            case (_, let e?, let c?): measure = Measure(metric.key, f, when(c, then: e))
            case (_, let e, nil): measure = Measure(metric.key, f, e)
            case (_, nil, _): throw QuestionError.unknownMetric(metric.key)
            }
            return [Component(name: metric.key, measure: measure)]
        case .divide(let a, let b):
            return try components(try self.metric(a)) + components(try self.metric(b))
        }
    }

    /// The metric's value over the component columns named `name + suffix`.
    func value(_ metric: SemanticModel.Metric, suffix: String = "") -> Expr {
        switch metric.definition {
        case .aggregate: return col(metric.key + suffix)
        case .divide(let a, let b): return col(a + suffix) / col(b + suffix)
        }
    }

    func columns(of metric: SemanticModel.Metric) -> Set<String> { model.columns(of: metric) }

    func condition(_ filter: QuestionRequest.Filter) throws(QuestionError) -> Expr {
        switch filter.op {
        case .is:
            guard let f = model.filters[filter.field] else { throw QuestionError.unknownFilter(filter.field) }
            return f.condition
        case .equal:
            guard let d = model.dimensions[filter.field], let column = d.column, let value = filter.value else {
                throw QuestionError.unknownFilter(filter.field)
            }
            return col(column).eq(.literal(.text(value)))
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            guard let t = model.thresholds[filter.field], let text = filter.value, let bound = Double(text) else {
                throw QuestionError.unknownFilter(filter.field)
            }
            let e = t.expression
            let b = Expr.literal(.double(bound))
            switch filter.op {
            case .greater: return e > b
            case .greaterOrEqual: return e >= b
            case .less: return e < b
            default: return e <= b
            }
        }
    }

    func columns(of filter: QuestionRequest.Filter) -> Set<String> {
        switch filter.op {
        case .is: return model.filters[filter.field]?.columns ?? []
        case .equal: return Set([model.dimensions[filter.field]?.column].compactMap { $0 })
        default: return model.thresholds[filter.field]?.columns ?? []
        }
    }

    static func within(_ column: String, _ p: QuestionPeriod) -> Expr {
        col(column).between(.literal(.date(p.from)), .literal(.date(p.to)))
    }

    /// The dimension's group keys: the member shown, and its identifying column when it has one.
    func groups(_ dimension: String?) throws(QuestionError) -> [NamedExpr] {
        guard let dimension else { return [] }
        guard let d = model.dimensions[dimension], let column = d.column else { throw QuestionError.unknownDimension(dimension) }
        var out = [NamedExpr(d.key, col(column))]
        if let key = d.keyColumn { out.append(NamedExpr(key, col(key))) }
        return out
    }

    func groupColumns(_ dimension: String?) -> Set<String> {
        guard let dimension, let d = model.dimensions[dimension] else { return [] }
        return Set([d.column, d.keyColumn].compactMap { $0 })
    }

    /// The time bucket of a trend: the month's first day, the year, or "YYYY-Qn".
    static func bucket(_ grain: SemanticModel.TimeGrain, _ column: String, _ period: QuestionPeriod) -> Expr {
        switch grain {
        case .month: return col(column).monthStart
        case .year: return col(column).year
        case .quarter:
            var clauses: [WhenClause] = []
            var start = period.from.firstOfQuarter
            while start <= period.to {
                let next = start.adding(months: 3)
                clauses.append(
                    WhenClause(condition: col(column) < .literal(.date(next)), result: .literal(.text("\(start.year)-Q\(start.quarter)"))))
                start = next
            }
            return .caseWhen(clauses, otherwise: nil)
        }
    }

    /// The rows of the request's source with its filters and `period` applied.
    func filtered(_ request: QuestionRequest, _ metric: SemanticModel.Metric, periods: [QuestionPeriod], extra: Set<String> = [])
        throws(QuestionError) -> Plan
    {
        var needed = columns(of: metric).union(groupColumns(request.dimension)).union(extra)
        for f in request.filters { needed.formUnion(columns(of: f)) }
        let time = metric.source.timeColumn
        if time != nil && !periods.isEmpty, let time { needed.insert(time) }
        var plan = QuestionSources.rows(metric.source, needing: needed)
        var conditions: [Expr] = []
        if let time, !periods.isEmpty {
            conditions.append(periods.dropFirst().reduce(Self.within(time, periods[0])) { $0 || Self.within(time, $1) })
        }
        for f in request.filters { conditions.append(try condition(f)) }
        if let first = conditions.first { plan = plan.filter(conditions.dropFirst().reduce(first) { $0 && $1 }) }
        return plan
    }

    /// The request's rows grouped by `groups` with the metric's components. A ledger question that reads project or
    /// customer columns aggregates the ledger per project first (sums and counts add up), then joins the projects: the
    /// join sees one row per project and group instead of one per ledger row.
    func aggregated(
        _ request: QuestionRequest, _ metric: SemanticModel.Metric, periods: [QuestionPeriod], by groups: [NamedExpr], _ comps: [Component]
    ) throws(QuestionError) -> Plan {
        let ledger = QuestionSources.ledgerColumns
        var filterColumns = Set<String>()
        for f in request.filters { filterColumns.formUnion(columns(of: f)) }
        let timeGroups = groups.filter { SemanticExpression.columns($0.expr).isSubset(of: ledger) }
        let otherGroups = groups.filter { !SemanticExpression.columns($0.expr).isSubset(of: ledger) }
        let additive = comps.allSatisfy { $0.measure.function == .sum || $0.measure.function == .count }
        let outside = groupColumns(request.dimension).union(filterColumns)
        guard metric.source == .ledger, additive, !outside.isEmpty, filterColumns.isDisjoint(with: ledger),
            otherGroups.allSatisfy({ SemanticExpression.columns($0.expr).isDisjoint(with: ledger) })
        else {
            return try filtered(request, metric, periods: periods).aggregate(by: groups, comps.map(\.measure))
        }
        var scan = columns(of: metric).intersection(ledger)
        scan.insert("metric_date")
        var perProject = Plan.scan(
            "financial_metrics", scan.sorted().map { ScanColumn($0) } + [ScanColumn("project_id", as: "m_project_id")])
        if let first = periods.first {
            perProject = perProject.filter(
                periods.dropFirst().reduce(Self.within("metric_date", first)) { $0 || Self.within("metric_date", $1) })
        }
        perProject = perProject.aggregate(by: [NamedExpr("m_project_id", col("m_project_id"))] + timeGroups, comps.map(\.measure))
        var plan = perProject.join(QuestionSources.projects(outside.union(["project_id"])), on: "m_project_id", equals: "project_id")
        var conditions: [Expr] = []
        for f in request.filters { conditions.append(try condition(f)) }
        if let first = conditions.first { plan = plan.filter(conditions.dropFirst().reduce(first) { $0 && $1 }) }
        return plan.aggregate(
            by: otherGroups + timeGroups.map { NamedExpr($0.name, col($0.name)) }, comps.map { Measure.sum($0.name, col($0.name)) })
    }

    /// One plan per request that reads the store (all but decisions).
    func plan(_ request: QuestionRequest) throws(QuestionError) -> Plan {
        if request.intent == .risk { return try risk(request) }
        let metric = try metric(request.metric)
        let comps = try components(metric)
        let dims = try groups(request.dimension)
        let dimNames = dims.map(\.name)
        switch request.intent {
        case .figure:
            return try aggregated(request, metric, periods: request.period.map { [$0] } ?? [], by: [], comps)
                .project([NamedExpr(metric.key, value(metric))])
        case .breakdown, .ranking:
            var plan = try aggregated(request, metric, periods: request.period.map { [$0] } ?? [], by: dims, comps)
                .project(dims.map { NamedExpr($0.name, col($0.name)) } + [NamedExpr(metric.key, value(metric))])
                .sort([SortKey(metric.key, descending: request.order != .ascending)] + dimNames.map { SortKey($0) })
            if let limit = request.limit { plan = plan.limit(limit) }
            return plan
        case .trend, .forecast:
            guard let time = metric.source.timeColumn, let period = request.period else { throw QuestionError.noDates(metric.label) }
            let history = request.intent == .forecast ? Self.forecastHistory(before: period, request: request) : period
            let grain = request.intent == .forecast ? .month : request.grain ?? .month
            let groups = [NamedExpr("period", Self.bucket(grain, time, history))] + (request.intent == .forecast ? [] : dims)
            return try aggregated(request, metric, periods: [history], by: groups, comps)
                .project(groups.map { NamedExpr($0.name, col($0.name)) } + [NamedExpr(metric.key, value(metric))])
                .sort([SortKey("period")] + (request.intent == .forecast ? [] : dimNames.map { SortKey($0) }))
        case .comparison, .drivers:
            guard let time = metric.source.timeColumn, let current = request.period, let previous = request.comparedTo else {
                throw QuestionError.noDates(metric.label)
            }
            let label = NamedExpr("period", when(Self.within(time, current), then: "current", else: "previous"))
            var pivot: [Measure] = []
            for c in comps {
                pivot.append(.sum("\(c.name)_current", when(col("period").eq("current"), then: col(c.name))))
                pivot.append(.sum("\(c.name)_previous", when(col("period").eq("previous"), then: col(c.name))))
            }
            let now = value(metric, suffix: "_current")
            let before = value(metric, suffix: "_previous")
            var outputs =
                dims.map { NamedExpr($0.name, col($0.name)) } + [
                    NamedExpr("current", now), NamedExpr("previous", before), NamedExpr("change", now - before),
                    NamedExpr("change_pct", (now - before) / before * 100.0),
                ]
            if request.intent == .drivers, comps.count > 1 {
                for c in comps {
                    outputs += [
                        NamedExpr("\(c.name)_current", col("\(c.name)_current")),
                        NamedExpr("\(c.name)_previous", col("\(c.name)_previous")),
                    ]
                }
            }
            var plan = try aggregated(request, metric, periods: [current, previous], by: dims + [label], comps)
                .aggregate(by: dims.map { NamedExpr($0.name, col($0.name)) }, pivot)
                .project(outputs)
            if request.intent == .comparison, !dims.isEmpty {
                if request.direction == .down { plan = plan.filter(col("change") < 0) }
                if request.direction == .up { plan = plan.filter(col("change") > 0) }
                plan = plan.sort([SortKey("change", descending: request.order == .descending)] + dimNames.map { SortKey($0) })
            } else if !dims.isEmpty {
                plan = plan.sort(dimNames.map { SortKey($0) })
            }
            return plan
        case .risk, .decisions, .similar:
            throw QuestionError.noPlan(request.intent.rawValue)
        }
    }

    /// The months a forecast is fitted on: the 60 months ending with the last complete month before the
    /// forecast's first step (the request's horizon counts the steps from there).
    static func forecastHistory(before target: QuestionPeriod, request: QuestionRequest) -> QuestionPeriod {
        let months = request.horizon ?? 3
        let end = target.to.adding(days: 1).adding(months: -months).adding(days: -1)
        return QuestionPeriod(from: end.adding(days: 1).adding(months: -60), to: end, phrase: "the 60 months before the forecast")
    }

    /// Running projects furthest over budget (cost ratio = actual cost ÷ budget), the first `limit` of them
    /// (default: the request's, else 10; nil: all, when the overrun model's probabilities rank them instead).
    func risk(_ request: QuestionRequest, limit: Int?? = .none) throws(QuestionError) -> Plan {
        var needed: Set<String> = ["project_id", "project_name", "status", "budget_amount", "actual_cost"]
        for f in request.filters { needed.formUnion(columns(of: f)) }
        var condition = col("budget_amount") > 0
        for f in request.filters { condition = condition && (try self.condition(f)) }
        let plan = QuestionSources.projects(needed).filter(condition)
            .project([
                NamedExpr("project", col("project_name")), NamedExpr("project_id", col("project_id")), NamedExpr("status", col("status")),
                NamedExpr("budget", col("budget_amount")), NamedExpr("actual_cost", col("actual_cost")),
                NamedExpr("cost_ratio", col("actual_cost") / col("budget_amount")),
            ])
            .sort(.desc("cost_ratio"), .asc("project_id"))
        let cut = limit ?? (request.limit ?? 10)
        return cut.map { plan.limit($0) } ?? plan
    }
}

import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import DecisioningLearning
import Foundation

/// Answers a typed request: runs its plan on the Warehouse and words the result; forecasts, driver
/// decompositions and decisions add what the plan alone does not give.
struct QuestionAnswerer {
    let application: Application
    let model: SemanticModel
    let asOf: Day
    var planner: QuestionPlanner { QuestionPlanner(model: model) }

    func answer(_ request: QuestionRequest, question: String) throws -> QuestionAnswer {
        var answer = QuestionAnswer(question: question, asOf: asOf, status: .answered, summary: "")
        answer.interpretation = request
        if request.intent == .decisions { return try decisions(request, answer) }
        if request.intent == .similar { return try similar(request, answer) }
        // Which running projects will overrun: the overrun model's probabilities rank them once a run has scored them.
        let scores = request.intent == .risk ? try OverrunScores.latest(in: application.store, asOf: asOf) : nil
        let plan = try scores == nil ? planner.plan(request) : planner.risk(request, limit: .some(nil))
        let result = try application.warehouse.query(plan, asOf: asOf)
        answer.plan = PlanOutline.text(plan)
        for dialect in SQLDialect.allCases {
            answer.sql[dialect.rawValue] = try SQLRenderer(dialect: dialect, asOf: asOf).render(plan).pasteable
        }
        answer.site = result.site.description
        answer.columns = result.fields.map(\.name)
        answer.rows = QuestionCells.rows(result)
        switch request.intent {
        case .figure: figure(request, &answer)
        case .breakdown, .ranking: breakdown(request, &answer)
        case .trend: trend(request, &answer)
        case .comparison: comparison(request, &answer)
        case .drivers: drivers(request, &answer)
        case .forecast: try forecast(request, &answer)
        case .risk:
            if let scores { risk(request, scores, &answer) } else { risk(request, &answer) }
        case .decisions, .similar: break
        }
        return answer
    }

    func metric(_ request: QuestionRequest) -> SemanticModel.Metric? { request.metric.flatMap { model.metrics[$0] } }

    // MARK: - Kinds

    func figure(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        guard let metric = metric(request) else { return }
        let value = answer.rows.first?.first ?? .null
        answer.summary =
            "\(QuestionWording.capitalized(metric.label))\(QuestionWording.filters(request, model)), \(QuestionWording.period(request.period)): \(QuestionWording.figure(value, unit: metric.unit))."
        answer.figures = [(metric.key, value)]
    }

    func breakdown(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        guard let metric = metric(request), let dimension = request.dimension.flatMap({ model.dimensions[$0] }) else { return }
        let valueIndex = answer.columns.firstIndex(of: metric.key) ?? 0
        let head =
            "\(QuestionWording.capitalized(metric.label)) by \(dimension.label)\(QuestionWording.filters(request, model)), \(QuestionWording.period(request.period))"
        guard let first = answer.rows.first else {
            answer.summary = "\(head): no rows."
            return
        }
        let name = first.first.map { if case .string(let s) = $0 { s } else { "(none)" } } ?? "(none)"
        if request.intent == .ranking {
            let list = answer.rows.prefix(3).enumerated().map { i, row -> String in
                let member = row.first.map { if case .string(let s) = $0 { s } else { "(none)" } } ?? "(none)"
                return "\(i + 1). \(member) (\(QuestionWording.figure(row[valueIndex], unit: metric.unit)))"
            }
            let word = request.order == .ascending ? "Bottom" : "Top"
            answer.summary =
                "\(word) \(answer.rows.count) by \(head.prefix(1).lowercased() + head.dropFirst()): \(list.joined(separator: ", "))."
        } else {
            answer.summary =
                "\(head): \(name) is first with \(QuestionWording.figure(first[valueIndex], unit: metric.unit)) of \(answer.rows.count) \(answer.rows.count == 1 ? "member" : "members")."
        }
        answer.figures = [
            ("first", .string(name)), ("first_\(metric.key)", first[valueIndex]), ("rows", .number(Double(answer.rows.count))),
        ]
    }

    func trend(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        guard let metric = metric(request) else { return }
        let valueIndex = answer.columns.firstIndex(of: metric.key) ?? answer.columns.count - 1
        let grain = request.grain ?? .month
        let head =
            "\(QuestionWording.capitalized(metric.label)) per \(grain.rawValue)\(QuestionWording.filters(request, model)), \(QuestionWording.period(request.period))"
        guard let first = answer.rows.first, let last = answer.rows.last else {
            answer.summary = "\(head): no rows."
            return
        }
        var best = first
        for row in answer.rows
        where (QuestionWording.number(row[valueIndex]) ?? -.infinity) > (QuestionWording.number(best[valueIndex]) ?? -.infinity) {
            best = row
        }
        func label(_ row: [JSONValue]) -> String {
            if case .string(let s) = row[0] { s } else if case .number(let n) = row[0] { String(Int(n)) } else { "?" }
        }
        if request.dimension == nil {
            answer.summary =
                "\(head): \(QuestionWording.figure(first[valueIndex], unit: metric.unit)) in \(label(first)), \(QuestionWording.figure(last[valueIndex], unit: metric.unit)) in \(label(last)); highest in \(label(best)) (\(QuestionWording.figure(best[valueIndex], unit: metric.unit)))."
        } else {
            answer.summary =
                "\(head): \(answer.rows.count) rows; highest \(label(best)) (\(QuestionWording.figure(best[valueIndex], unit: metric.unit)))."
        }
        answer.figures = [
            ("first_period", first[0]), ("first", first[valueIndex]), ("last_period", last[0]), ("last", last[valueIndex]),
            ("highest_period", best[0]), ("highest", best[valueIndex]),
        ]
    }

    func comparison(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        guard let metric = metric(request) else { return }
        let names = answer.columns
        let i = { (name: String) in names.firstIndex(of: name) ?? 0 }
        let periods = "\(QuestionWording.period(request.period)) against \(QuestionWording.period(request.comparedTo))"
        if request.dimension == nil {
            guard let row = answer.rows.first else {
                answer.summary = "No \(metric.label) in either period."
                return
            }
            let pct = QuestionWording.number(row[i("change_pct")]).map { String(format: " (%+.1f%%)", $0) } ?? ""
            answer.summary =
                "\(QuestionWording.capitalized(metric.label))\(QuestionWording.filters(request, model)) was \(QuestionWording.figure(row[i("current")], unit: metric.unit)) in \(periods): \(QuestionWording.figure(row[i("previous")], unit: metric.unit)) before, a change of \(QuestionWording.change(row[i("change")], unit: metric.unit))\(pct)."
            answer.figures = [
                ("current", row[i("current")]), ("previous", row[i("previous")]), ("change", row[i("change")]),
                ("change_pct", row[i("change_pct")]),
            ]
            return
        }
        let label = model.dimensions[request.dimension ?? ""]?.label ?? "member"
        let moved = request.direction == .down ? "lost" : request.direction == .up ? "gained" : "changed"
        guard let first = answer.rows.first else {
            answer.summary = "No \(label) \(moved) \(metric.label) in \(periods)."
            answer.figures = [("rows", .number(0))]
            return
        }
        let name = if case .string(let s) = first[0] { s } else { "(none)" }
        answer.summary =
            "\(answer.rows.count) \(answer.rows.count == 1 ? label : label + " members") \(moved) \(metric.label) in \(periods); first: \(name) (\(QuestionWording.change(first[i("change")], unit: metric.unit)))."
        answer.figures = [("rows", .number(Double(answer.rows.count))), ("first", .string(name)), ("first_change", first[i("change")])]
    }

    /// Rate/mix decomposition for a ratio metric, as the Strategy agent computes it: a segment's contribution to the
    /// change of the overall rate is its numerator over all of the denominator after, minus before; its rate effect
    /// is its denominator share after × the change of its own rate; the mix effect is the rest. For a sum, each
    /// segment's change and its share of the total change.
    func drivers(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        guard let metric = metric(request), let d = request.dimension.flatMap({ model.dimensions[$0] }) else { return }
        let keyCount = d.keyColumn == nil ? 1 : 2
        let names = answer.columns
        let col = { (name: String) in names.firstIndex(of: name) ?? 0 }
        let periods = "\(QuestionWording.period(request.period)) against \(QuestionWording.period(request.comparedTo))"
        let number = { (v: JSONValue) in QuestionWording.number(v) ?? 0 }
        var out: [[JSONValue]] = []
        var sortKey: [Double] = []
        if case .divide(let a, let b) = metric.definition {
            let totals = answer.rows.reduce((ac: 0.0, ap: 0.0, bc: 0.0, bp: 0.0)) {
                (
                    $0.ac + number($1[col("\(a)_current")]), $0.ap + number($1[col("\(a)_previous")]),
                    $0.bc + number($1[col("\(b)_current")]), $0.bp + number($1[col("\(b)_previous")])
                )
            }
            for row in answer.rows {
                let ac = number(row[col("\(a)_current")])
                let ap = number(row[col("\(a)_previous")])
                let bc = number(row[col("\(b)_current")])
                let bp = number(row[col("\(b)_previous")])
                let share = totals.bc != 0 ? bc / totals.bc : 0
                let contribution = (totals.bc != 0 ? ac / totals.bc : 0) - (totals.bp != 0 ? ap / totals.bp : 0)
                let rate = bc != 0 && bp != 0 ? share * (ac / bc - ap / bp) : 0
                out.append(
                    Array(row.prefix(keyCount)) + [
                        row[col("previous")], row[col("current")], row[col("change")], .number(rate), .number(contribution - rate),
                        .number(contribution),
                    ])
                sortKey.append(rate)
            }
            answer.columns =
                Array(answer.columns.prefix(keyCount)) + ["previous", "current", "change", "rate_effect", "mix_effect", "contribution"]
            let before = totals.bp != 0 ? totals.ap / totals.bp : 0
            let after = totals.bc != 0 ? totals.ac / totals.bc : 0
            answer.figures = [("previous", .number(before)), ("current", .number(after)), ("change", .number(after - before))]
            answer.method =
                "contribution of a segment = its \(a) ÷ all \(b) after − its \(a) ÷ all \(b) before (they add up to the change) = rate effect (its share of \(b) after × the change of its own rate) + mix effect; ranked by rate effect"
            answer.summary =
                "\(QuestionWording.capitalized(metric.label))\(QuestionWording.filters(request, model)) went from \(QuestionWording.figure(.number(before), unit: .ratio)) to \(QuestionWording.figure(.number(after), unit: .ratio)) (\(QuestionWording.change(.number(after - before), unit: .ratio))) in \(periods)"
        } else {
            let total = answer.rows.reduce(0.0) { $0 + number($1[col("change")]) }
            for row in answer.rows {
                let change = number(row[col("change")])
                out.append(
                    Array(row.prefix(keyCount)) + [
                        row[col("previous")], row[col("current")], row[col("change")], .number(total != 0 ? change / total : 0),
                    ])
                sortKey.append(change)
            }
            answer.columns = Array(answer.columns.prefix(keyCount)) + ["previous", "current", "change", "share_of_change"]
            answer.figures = [("change", metric.unit == .money ? .string(String(format: "%.2f", total)) : .number(total))]
            answer.method = "each segment's change between the two periods and its share of the total change; ranked by change"
            answer.summary =
                "\(QuestionWording.capitalized(metric.label))\(QuestionWording.filters(request, model)) changed by \(QuestionWording.change(metric.unit == .money ? .string(String(format: "%.2f", total)) : .number(total), unit: metric.unit)) in \(periods)"
        }
        let order = out.indices.sorted { x, y in
            let (p, q) = (sortKey[x], sortKey[y])
            let key: (Double, Double) = request.direction == .down ? (p, q) : request.direction == .up ? (-p, -q) : (-abs(p), -abs(q))
            if key.0 != key.1 { return key.0 < key.1 }
            return "\(out[x][0])" < "\(out[y][0])"
        }
        answer.rows = order.map { out[$0] }
        if let top = answer.rows.first {
            let name = if case .string(let s) = top[0] { s } else { "(none)" }
            let effect =
                metric.unit == .ratio
                ? "rate effect \(QuestionWording.change(top[answer.columns.firstIndex(of: "rate_effect") ?? 0], unit: .ratio))"
                : "change \(QuestionWording.change(top[answer.columns.firstIndex(of: "change") ?? 0], unit: metric.unit))"
            answer.summary += "; the largest driver by \(d.label) is \(name) (\(effect))."
            answer.figures.append(("top_driver", .string(name)))
        } else {
            answer.summary += "."
        }
    }

    func forecast(_ request: QuestionRequest, _ answer: inout QuestionAnswer) throws {
        guard let metric = metric(request), let target = request.period, let horizon = request.horizon, horizon >= 1 else { return }
        let history = QuestionPlanner.forecastHistory(before: target, request: request)
        // The monthly series without gaps, from the first month with data to the last complete month.
        var byMonth: [Day: Double] = [:]
        for row in answer.rows {
            if case .string(let s) = row[0], let day = Day(iso: s) { byMonth[day] = QuestionWording.number(row[1]) ?? 0 }
        }
        let firstMonth = byMonth.keys.min() ?? history.from
        var months: [Day] = []
        var m = firstMonth
        while m <= history.to {
            months.append(m)
            m = m.adding(months: 1)
        }
        let values = months.map { byMonth[$0] ?? 0 }
        guard values.count >= 4 else {
            answer.status = .unsupported
            answer.columns = []
            answer.rows = []
            answer.summary = "Too little history to forecast \(metric.label): \(values.count) months (4 or more needed)."
            return
        }
        let selection = try ExponentialSmoothing.select(
            values, period: values.count >= 24 ? 12 : 1, kinds: ExponentialSmoothing.Kind.automatic)
        let steps = selection.combinedForecast(horizon, level: 0.8)
        var rows: [[JSONValue]] = []
        var total = 0.0
        for step in steps {
            let month = history.to.adding(days: 1).adding(months: step.step - 1)
            guard month >= target.from.firstOfMonth else { continue }
            total += step.mean
            let cell = { (x: Double) in metric.unit == .money ? QuestionCells.money(x) : JSONValue.number(x) }
            rows.append([.string(month.iso), cell(step.mean), cell(step.lower), cell(step.upper)])
        }
        answer.columns = ["month", "forecast", "lower_80", "upper_80"]
        answer.rows = rows
        let totalCell: JSONValue = metric.unit == .money ? QuestionCells.money(total) : .number(total)
        answer.figures = [
            ("forecast_total", totalCell), ("history_months", .number(Double(values.count))),
            ("model", .string(selection.best.kind.notation)),
        ]
        answer.method =
            "exponential smoothing (18 forms, combined by AICc weights, best \(selection.best.kind.notation)) fitted on \(values.count) months of \(metric.label) (\(months.first?.iso ?? "") … \(history.to.iso)); 80% prediction intervals per month"
        answer.summary =
            "\(QuestionWording.capitalized(metric.label))\(QuestionWording.filters(request, model)) forecast for \(QuestionWording.period(target)): \(QuestionWording.figure(totalCell, unit: metric.unit)) in total, month by month with 80% intervals (\(selection.best.kind.notation))."
    }

    func risk(_ request: QuestionRequest, _ answer: inout QuestionAnswer) {
        let ratio = answer.columns.firstIndex(of: "cost_ratio") ?? 0
        let over = answer.rows.filter { (QuestionWording.number($0[ratio]) ?? 0) > 1 }.count
        let filters = QuestionWording.filters(request, model)
        guard let first = answer.rows.first else {
            answer.summary = "No projects\(filters) with a budget."
            return
        }
        let name = if case .string(let s) = first[0] { s } else { "(none)" }
        answer.summary =
            "Projects\(filters), furthest over budget first: \(over) of the \(answer.rows.count) listed have spent more than their budget; first \(name) at \(QuestionWording.figure(first[ratio], unit: .ratio)) of its budget."
        answer.figures = [("over_budget", .number(Double(over))), ("first", .string(name)), ("first_cost_ratio", first[ratio])]
        answer.method =
            "cost ratio = actual cost ÷ budget, as of the data; no run has scored the running projects yet (decisioning run does; then they rank by the overrun model's probability)"
    }

    /// Running projects ranked by the overrun model's probability from the latest run that scored them (then by cost
    /// ratio; projects it did not score come last), cut at the request's limit.
    func risk(_ request: QuestionRequest, _ scores: OverrunScores, _ answer: inout QuestionAnswer) {
        let id = answer.columns.firstIndex(of: "project_id") ?? 1
        let ratio = answer.columns.firstIndex(of: "cost_ratio") ?? 0
        let threshold = 0.5
        var ranked = answer.rows.map { row -> (p: Double?, ratio: Double, id: String, row: [JSONValue]) in
            let projectId = if case .string(let s) = row[id] { s } else { "" }
            let p = scores.probabilities[projectId]
            return (p, QuestionWording.number(row[ratio]) ?? 0, projectId, row + [p.map(JSONValue.number) ?? .null])
        }
        let scored = ranked.filter { $0.p != nil }.count
        let likely = ranked.filter { ($0.p ?? 0) >= threshold }.count
        ranked.sort { a, b in
            if (a.p ?? -1) != (b.p ?? -1) { return (a.p ?? -1) > (b.p ?? -1) }
            return a.ratio != b.ratio ? a.ratio > b.ratio : a.id < b.id
        }
        answer.columns.append("overrun_probability")
        answer.rows = ranked.prefix(request.limit ?? 10).map(\.row)
        let filters = QuestionWording.filters(request, model)
        let source = "the overrun model of run \(scores.runId) (as of \(scores.runAsOf.iso))"
        guard let first = ranked.first, let p = first.p else {
            answer.summary = "Projects\(filters): none was scored by \(source)."
            return
        }
        let name = if case .string(let s) = first.row[0] { s } else { first.id }
        answer.summary =
            "Projects\(filters), most likely to overrun first, by \(source): \(likely) of the \(scored) scored have a probability of \(Int(threshold * 100))% or more of ending over 10% above budget; first \(name) (\(first.id)) at \(String(format: "%.0f%%", p * 100)), \(QuestionWording.figure(first.row[ratio], unit: .ratio)) of its budget spent so far."
        answer.figures = [
            ("likely_to_overrun", .number(Double(likely))), ("scored", .number(Double(scored))), ("first", .string(first.id)),
            ("first_probability", .number(p)), ("first_cost_ratio", first.row[ratio]), ("run_id", .string(scores.runId)),
            ("run_as_of", .string(scores.runAsOf.iso)),
        ]
        answer.method =
            "probability of ending more than 10% over budget from \(source), read from model_predictions (\(OverrunScores.runStatement)); the projects and their cost ratio (actual cost ÷ budget) from the plan; projects the run did not score come last"
    }

    func decisions(_ request: QuestionRequest, _ start: QuestionAnswer) throws -> QuestionAnswer {
        var answer = start
        guard let runId = try application.latestDecidedRunId() else {
            answer.columns = ["rank", "title", "category", "expected_impact", "urgency", "risk", "confidence"]
            answer.summary = "No run with decisions is stored yet: run the agents first (decisioning run), then ask again."
            answer.suggestions = ["which running projects will overrun", "why did margin fall", "revenue by industry last quarter"]
            return answer
        }
        let run = try application.loadRun(id: runId)
        let decisions = run.decisions.sorted { $0.rank < $1.rank }.prefix(request.limit ?? 5)
        answer.columns = ["rank", "title", "category", "expected_impact", "urgency", "risk", "confidence"]
        answer.rows = decisions.map { d in
            [
                .number(Double(d.rank)), .string(d.title), .string(d.category),
                .string(FixedPoint.format(d.expectedImpact.minorUnits, scale: 2)), .string(d.urgency.rawValue), .string(d.risk.rawValue),
                .number(d.confidence),
            ]
        }
        answer.method = "the ranked decisions of run \(runId) (as of \(run.run.asOf.iso)), read from the database"
        answer.figures = [
            ("run_id", .string(runId)), ("run_as_of", .string(run.run.asOf.iso)), ("decisions", .number(Double(run.decisions.count))),
        ]
        if let first = decisions.first {
            answer.summary =
                "First, per run \(runId) (as of \(run.run.asOf.iso)): \(first.title) (expected impact \(QuestionWording.money(Double(first.expectedImpact.minorUnits) / 100)), urgency \(first.urgency.rawValue))."
        } else {
            answer.summary = "Run \(runId) made no decisions."
        }
        return answer
    }
}

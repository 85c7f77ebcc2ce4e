import DecisioningCore
import DecisioningStore

/// The golden set's referee: the expected answer to a request of the shipped semantic model, written as SQL
/// by hand for SQLite (money in cents) and run on the store, independently of the plans, the planner and the
/// column engine. It knows the shipped metrics, dimensions, filters and thresholds only.
struct QuestionOracle {
    let store: any Store

    struct Cell: Sendable {
        var text: String?
        var number: Double?
    }

    static let metrics: [String: String] = [
        "revenue": "SUM(CASE WHEN COND THEN (CASE WHEN fm.metric_type = 'REVENUE' THEN fm.metric_value ELSE 0 END) END) / 100.0",
        "cost": "SUM(CASE WHEN COND THEN (CASE WHEN fm.metric_type = 'COST' THEN fm.metric_value ELSE 0 END) END) / 100.0",
        "margin": "SUM(CASE WHEN COND THEN (CASE WHEN fm.metric_type = 'MARGIN' THEN fm.metric_value ELSE 0 END) END) / 100.0",
        "margin_rate":
            "SUM(CASE WHEN COND THEN (CASE WHEN fm.metric_type = 'MARGIN' THEN fm.metric_value ELSE 0 END) END) * 1.0 / SUM(CASE WHEN COND THEN (CASE WHEN fm.metric_type = 'REVENUE' THEN fm.metric_value ELSE 0 END) END)",
        "budget": "SUM(CASE WHEN COND THEN p.budget_amount END) / 100.0",
        "actual_cost": "SUM(CASE WHEN COND THEN p.actual_cost END) / 100.0",
        "cost_ratio": "SUM(CASE WHEN COND THEN p.actual_cost END) * 1.0 / SUM(CASE WHEN COND THEN p.budget_amount END)",
        "overrun_rate": "AVG(CASE WHEN COND THEN (CASE WHEN p.actual_cost > p.budget_amount THEN 1.0 ELSE 0.0 END) END)",
        "projects": "COUNT(CASE WHEN COND THEN 1 END)",
        "customers": "COUNT(CASE WHEN COND THEN 1 END)",
        "average_days_late": "AVG(CASE WHEN COND THEN c.average_payment_days / 10.0 - c.payment_terms END)",
        "risk_score": "AVG(CASE WHEN COND THEN c.risk_score / 100.0 END)",
    ]
    /// The metrics' parts, for the rate/mix decomposition of a ratio.
    static let ratios: [String: (String, String)] = ["margin_rate": ("margin", "revenue"), "cost_ratio": ("actual_cost", "budget")]
    static let sources: [String: String] = [
        "revenue": "ledger", "cost": "ledger", "margin": "ledger", "margin_rate": "ledger", "budget": "projects", "actual_cost": "projects",
        "cost_ratio": "projects", "overrun_rate": "projects", "projects": "projects", "customers": "customers",
        "average_days_late": "customers", "risk_score": "customers",
    ]
    static let dimensions: [String: (shown: String, key: String?)] = [
        "industry": ("c.industry", nil), "project_type": ("p.project_type", nil), "status": ("p.status", nil),
        "customer": ("c.customer_name", "c.customer_id"), "credit_rating": ("c.credit_rating", nil),
        "project": ("p.project_name", "p.project_id"),
    ]
    static let named: [String: String] = [
        "running": "p.status IN ('ACTIVE', 'IN_PROGRESS')", "completed": "p.status = 'COMPLETED'",
        "over_budget": "p.actual_cost > p.budget_amount", "within_budget": "p.actual_cost <= p.budget_amount",
    ]
    static let thresholds: [String: String] = [
        "risk_score": "c.risk_score / 100.0", "budget_amount": "p.budget_amount / 100.0",
        "cost_ratio": "p.actual_cost * 1.0 / p.budget_amount", "payment_terms": "c.payment_terms",
    ]

    struct Unknown: Error, CustomStringConvertible {
        var description: String
    }

    func filterSQL(_ f: QuestionRequest.Filter) throws -> String {
        switch f.op {
        case .is:
            guard let s = Self.named[f.field] else { throw Unknown(description: "filter \(f.field)") }
            return s
        case .equal:
            guard let d = Self.dimensions[f.field], let v = f.value else { throw Unknown(description: "member \(f.field)") }
            return "\(d.shown) = '\(v.replacingOccurrences(of: "'", with: "''"))'"
        default:
            guard let t = Self.thresholds[f.field], let v = f.value, Double(v) != nil else {
                throw Unknown(description: "threshold \(f.field)")
            }
            return "\(t) \(f.op.rawValue) \(v)"
        }
    }

    /// FROM … for a source, joining what the other clauses name (`p.`, `c.`).
    func from(_ source: String, using text: String) -> String {
        switch source {
        case "customers":
            return "customer_analytics c"
        case "projects":
            return "projects p" + (text.contains("c.") ? " LEFT JOIN customer_analytics c ON c.customer_id = p.customer_id" : "")
        default:
            var out = "financial_metrics fm"
            if text.contains("p.") || text.contains("c.") { out += " JOIN projects p ON p.project_id = fm.project_id" }
            if text.contains("c.") { out += " LEFT JOIN customer_analytics c ON c.customer_id = p.customer_id" }
            return out
        }
    }

    static func within(_ source: String, _ p: QuestionPeriod) -> String {
        let column = source == "ledger" ? "fm.metric_date" : "p.start_date"
        return "\(column) BETWEEN '\(p.from.iso)' AND '\(p.to.iso)'"
    }

    func run(_ sql: String, texts: Int, numbers: Int) throws -> [[Cell]] {
        let types: [ColumnType] = Array(repeating: .longText, count: texts) + Array(repeating: .double, count: numbers)
        return try store.query(sql, arguments: [], columnTypes: types).map { row in
            row.enumerated().map { i, v in
                if i < texts {
                    switch v {
                    case .text(let s): return Cell(text: s)
                    case .integer(let n): return Cell(text: String(n))
                    default: return Cell(text: nil)
                    }
                }
                switch v {
                case .double(let d): return Cell(number: d)
                case .integer(let n): return Cell(number: Double(n))
                case .decimal(let n): return Cell(number: Double(n))
                default: return Cell(number: nil)
                }
            }
        }
    }

    /// The expected rows of `request`'s answer, in its columns; nil when the request is checked otherwise (forecast, decisions).
    func expected(_ r: QuestionRequest) throws -> [[Cell]]? {
        guard let metricKey = r.metric, let template = Self.metrics[metricKey], let source = Self.sources[metricKey] else {
            if r.intent == .decisions || r.intent == .similar { return nil }
            throw Unknown(description: "metric \(r.metric ?? "none")")
        }
        var wheres = try r.filters.map(filterSQL)
        let dimension = try r.dimension.map { d throws -> (shown: String, key: String?) in
            guard let x = Self.dimensions[d] else { throw Unknown(description: "dimension \(d)") }
            return x
        }
        let groups = [dimension?.shown, dimension?.key].compactMap { $0 }
        let metric = template.replacingOccurrences(of: "COND", with: "1")
        switch r.intent {
        case .figure, .breakdown, .ranking:
            if let p = r.period, source != "customers" { wheres.append(Self.within(source, p)) }
            let whereSQL = wheres.isEmpty ? "" : " WHERE " + wheres.joined(separator: " AND ")
            var select = groups + [metric]
            let body = select.joined() + whereSQL
            select = select.enumerated().map { "\($1) AS x\($0)" }
            var sql = "SELECT \(select.joined(separator: ", ")) FROM \(from(source, using: body))\(whereSQL)"
            if !groups.isEmpty {
                sql += " GROUP BY \(groups.joined(separator: ", ")) ORDER BY x\(groups.count) \(r.order == .ascending ? "ASC" : "DESC"), x0"
                if let limit = r.limit { sql += " LIMIT \(limit)" }
            }
            return try run(sql, texts: groups.count, numbers: 1)
        case .trend:
            guard let p = r.period else { return [] }
            wheres.append(Self.within(source, p))
            let d = source == "ledger" ? "fm.metric_date" : "p.start_date"
            let bucket: String
            switch r.grain ?? .month {
            case .month: bucket = "strftime('%Y-%m-01', \(d))"
            case .year: bucket = "strftime('%Y', \(d))"
            case .quarter: bucket = "strftime('%Y', \(d)) || '-Q' || ((CAST(strftime('%m', \(d)) AS INTEGER) + 2) / 3)"
            }
            let all = [bucket] + groups
            let whereSQL = " WHERE " + wheres.joined(separator: " AND ")
            let sql =
                "SELECT \((all + [metric]).joined(separator: ", ")) FROM \(from(source, using: all.joined() + whereSQL))\(whereSQL) GROUP BY \(all.joined(separator: ", "))"
            return try run(sql, texts: all.count, numbers: 1)
        case .comparison, .drivers:
            guard let now = r.period, let before = r.comparedTo else { return [] }
            let cur = Self.within(source, now)
            let prev = Self.within(source, before)
            wheres.append("(\(cur) OR \(prev))")
            var measures = [template.replacingOccurrences(of: "COND", with: cur), template.replacingOccurrences(of: "COND", with: prev)]
            let ratio = r.intent == .drivers ? Self.ratios[metricKey] : nil
            if let (a, b) = ratio, let ta = Self.metrics[a], let tb = Self.metrics[b] {
                measures += [cur, prev].flatMap { c in [ta, tb].map { $0.replacingOccurrences(of: "COND", with: c) } }
            }
            let whereSQL = " WHERE " + wheres.joined(separator: " AND ")
            var sql =
                "SELECT \((groups + measures).joined(separator: ", ")) FROM \(from(source, using: groups.joined() + measures.joined() + whereSQL))\(whereSQL)"
            if !groups.isEmpty { sql += " GROUP BY \(groups.joined(separator: ", "))" }
            let rows = try run(sql, texts: groups.count, numbers: measures.count)
            let k = groups.count
            var out: [[Cell]] = []
            if r.intent == .comparison {
                for row in rows {
                    let c = row[k].number
                    let p = row[k + 1].number
                    let change = c.flatMap { c in p.map { c - $0 } }
                    let pct = change.flatMap { ch in p.flatMap { $0 == 0 ? nil : ch / $0 * 100 } }
                    if !groups.isEmpty, r.direction == .down, !((change ?? 0) < 0) { continue }
                    if !groups.isEmpty, r.direction == .up, !((change ?? 0) > 0) { continue }
                    out.append(Array(row.prefix(k)) + [Cell(number: c), Cell(number: p), Cell(number: change), Cell(number: pct)])
                }
                return out
            }
            if ratio != nil {
                var t: [Double] = [0, 0, 0, 0]
                for row in rows {
                    for j in 0..<4 { t[j] += row[k + 2 + j].number ?? 0 }
                }
                for row in rows {
                    let ac: Double = row[k + 2].number ?? 0
                    let bc: Double = row[k + 3].number ?? 0
                    let ap: Double = row[k + 4].number ?? 0
                    let bp: Double = row[k + 5].number ?? 0
                    let share: Double = t[1] != 0 ? bc / t[1] : 0
                    let after: Double = t[1] != 0 ? ac / t[1] : 0
                    let before: Double = t[3] != 0 ? ap / t[3] : 0
                    let contribution = after - before
                    let rate = bc != 0 && bp != 0 ? share * (ac / bc - ap / bp) : 0
                    let c = row[k].number
                    let p = row[k + 1].number
                    out.append(
                        Array(row.prefix(k)) + [
                            Cell(number: p), Cell(number: c), Cell(number: c.flatMap { c in p.map { c - $0 } }), Cell(number: rate),
                            Cell(number: contribution - rate), Cell(number: contribution),
                        ])
                }
                return out
            }
            let total = rows.reduce(0.0) { $0 + (($1[k].number ?? 0) - ($1[k + 1].number ?? 0)) }
            for row in rows {
                let c = row[k].number
                let p = row[k + 1].number
                let change = c.flatMap { c in p.map { c - $0 } }
                out.append(
                    Array(row.prefix(k)) + [
                        Cell(number: p), Cell(number: c), Cell(number: change), Cell(number: total != 0 ? (change ?? 0) / total : 0),
                    ])
            }
            return out
        case .risk:
            wheres.append("p.budget_amount > 0")
            let whereSQL = " WHERE " + wheres.joined(separator: " AND ")
            let sql =
                "SELECT p.project_name, p.project_id, p.status, p.budget_amount / 100.0, p.actual_cost / 100.0, p.actual_cost * 1.0 / p.budget_amount AS ratio FROM \(from("projects", using: whereSQL))\(whereSQL) ORDER BY ratio DESC, p.project_id LIMIT \(r.limit ?? 10)"
            return try run(sql, texts: 3, numbers: 3)
        case .forecast, .decisions, .similar:
            return nil
        }
    }

    /// The months of ledger history a forecast of `r` has: from the first month with a row (within the 60 months
    /// before the forecast) to the last complete one.
    func forecastHistoryMonths(_ r: QuestionRequest) throws -> Int? {
        guard let target = r.period else { return nil }
        let history = QuestionPlanner.forecastHistory(before: target, request: r)
        var wheres = try r.filters.map(filterSQL)
        wheres.append(Self.within("ledger", history))
        let whereSQL = " WHERE " + wheres.joined(separator: " AND ")
        let rows = try run("SELECT MIN(fm.metric_date) FROM \(from("ledger", using: whereSQL))\(whereSQL)", texts: 1, numbers: 0)
        guard let first = rows.first?.first?.text.flatMap({ Day(iso: $0) }) else { return nil }
        return first.firstOfMonth.monthsUntil(history.to.adding(days: 1))
    }
}

import DecisioningCore
import DecisioningStore

/// What is in a database, computed with plain SQL that runs on every Store.
struct DatabaseSummary {
    struct StatusLine {
        var status: String
        var projects: Int64
        var budget: Int64
        var cost: Int64
    }

    var tableRows: [(String, Int)] = []
    var statuses: [StatusLine] = []
    var firstStart: Day?
    var lastStart: Day?
    var firstMetric: Day?
    var lastMetric: Day?
    var metricTotals: [(String, Int64)] = []
    var industries: [(String, Int64)] = []

    init(store: any Store) throws {
        for table in Catalog.all { tableRows.append((table.name, try store.rowCount(table.name))) }
        let money = ColumnType.money
        statuses = try store.query(
            "SELECT status, COUNT(*), SUM(budget_amount), SUM(actual_cost) FROM projects GROUP BY status ORDER BY COUNT(*) DESC, status",
            arguments: [], columnTypes: [.text(maxLength: 20), .integer, money, money]
        ).map { row in
            StatusLine(status: row[0].description, projects: row[1].integerValue, budget: row[2].integerValue, cost: row[3].integerValue)
        }
        let dates = try store.query(
            "SELECT MIN(start_date), MAX(start_date) FROM projects", arguments: [], columnTypes: [.date, .date])
        firstStart = dates.first?[0].dayValue
        lastStart = dates.first?[1].dayValue
        let metricDates = try store.query(
            "SELECT MIN(metric_date), MAX(metric_date) FROM financial_metrics", arguments: [], columnTypes: [.date, .date])
        firstMetric = metricDates.first?[0].dayValue
        lastMetric = metricDates.first?[1].dayValue
        metricTotals = try store.query(
            "SELECT metric_type, SUM(metric_value) FROM financial_metrics GROUP BY metric_type ORDER BY metric_type",
            arguments: [], columnTypes: [.text(maxLength: 50), money]
        ).map { ($0[0].description, $0[1].integerValue) }
        industries = try store.query(
            "SELECT industry, SUM(total_revenue) FROM customer_analytics GROUP BY industry ORDER BY SUM(total_revenue) DESC, industry",
            arguments: [], columnTypes: [.text(maxLength: 100), money]
        ).map { ($0[0].description, $0[1].integerValue) }
    }

    func render(url: DatabaseURL) -> String {
        var out = "Database \(url)\n"
        out += "  " + tableRows.filter { $0.1 > 0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "\n"
        if let firstStart, let lastStart { out += "  projects started \(firstStart.iso) … \(lastStart.iso)\n" }
        if let firstMetric, let lastMetric { out += "  monthly metrics booked \(firstMetric.iso) … \(lastMetric.iso)\n" }
        out += "\n  status          projects        budget ($)   actual cost ($)  cost/budget\n"
        for s in statuses {
            let ratio = s.budget != 0 ? Double(s.cost) / Double(s.budget) : 0
            out += "  " + s.status.padding(toLength: 12, withPad: " ", startingAt: 0)
                + pad(String(s.projects), 12) + pad(Self.dollars(s.budget), 18) + pad(Self.dollars(s.cost), 18)
                + pad(String(format: "%.3f", ratio), 13) + "\n"
        }
        out += "\n  metric totals: " + metricTotals.map { "\($0.0) $\(Self.dollars($0.1))" }.joined(separator: ", ") + "\n"
        out += "  revenue by industry: " + industries.prefix(5).map { "\($0.0) $\(Self.dollars($0.1))" }.joined(separator: ", ")
            + (industries.count > 5 ? ", … (\(industries.count) industries)" : "") + "\n"
        return out
    }

    func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

    /// Whole dollars with thousands separators, from cents.
    static func dollars(_ cents: Int64) -> String {
        let whole = String((cents / 100).magnitude)
        var grouped = ""
        for (i, ch) in whole.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return (cents < 0 ? "-" : "") + String(grouped.reversed())
    }
}

extension Value {
    var integerValue: Int64 {
        switch self {
        case .integer(let v), .decimal(let v): return v
        default: return 0
        }
    }

    var dayValue: Day? { if case .date(let d) = self { return d } else { return nil } }
}

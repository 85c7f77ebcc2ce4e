import DecisioningApplication
import DecisioningCore
import Foundation

/// The database summary as `demo` prints it.
extension DatabaseSummary {
    func render(url: DatabaseURL) -> String {
        var out = "Database \(url)\n"
        out += "  " + tableRows.filter { $0.rows > 0 }.map { "\($0.table): \($0.rows)" }.joined(separator: ", ") + "\n"
        if let firstStart, let lastStart { out += "  projects started \(firstStart.iso) … \(lastStart.iso)\n" }
        if let firstMetric, let lastMetric { out += "  monthly metrics booked \(firstMetric.iso) … \(lastMetric.iso)\n" }
        out += "\n  status          projects        budget ($)   actual cost ($)  cost/budget\n"
        for s in statuses {
            let ratio = s.budget != 0 ? Double(s.cost) / Double(s.budget) : 0
            out +=
                "  " + s.status.padding(toLength: 12, withPad: " ", startingAt: 0)
                + pad(String(s.projects), 12) + pad(Self.dollars(s.budget), 18) + pad(Self.dollars(s.cost), 18)
                + pad(String(format: "%.3f", ratio), 13) + "\n"
        }
        out += "\n  metric totals: " + metricTotals.map { "\($0.metric) $\(Self.dollars($0.total))" }.joined(separator: ", ") + "\n"
        out +=
            "  revenue by industry: " + industries.prefix(5).map { "\($0.industry) $\(Self.dollars($0.revenue))" }.joined(separator: ", ")
            + (industries.count > 5 ? ", … (\(industries.count) industries)" : "") + "\n"
        return out
    }

    private func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

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

import DecisioningAnalytics
public import DecisioningCore
import DecisioningStore

/// What is in a database: row counts, projects by status, the date ranges, metric totals and
/// revenue by industry. The counts and sums are plans run as SQL through the Warehouse, so they
/// are rendered in the store's own dialect.
public struct DatabaseSummary: Sendable {
    public struct StatusLine: Sendable, Equatable {
        public var status: String
        public var projects: Int64
        /// Cents.
        public var budget: Int64
        /// Cents.
        public var cost: Int64
    }

    public var tableRows: [(table: String, rows: Int)] = []
    public var statuses: [StatusLine] = []
    public var firstStart: Day?
    public var lastStart: Day?
    public var firstMetric: Day?
    public var lastMetric: Day?
    /// Cents per metric type, by type.
    public var metricTotals: [(metric: String, total: Int64)] = []
    /// Revenue in cents per industry, largest first.
    public var industries: [(industry: String, revenue: Int64)] = []

    /// The plans behind the summary (statuses, project dates, metric dates, metric totals, industries).
    static let plans: [Plan] = [
        Plan.scan("projects", ["status", "budget_amount", "actual_cost"])
            .aggregate(by: ["status"], [.count("projects"), .sum("budget", col("budget_amount")), .sum("cost", col("actual_cost"))])
            .sort(.desc("projects"), .asc("status")),
        Plan.scan("projects", ["start_date"]).aggregate([.min("first", col("start_date")), .max("last", col("start_date"))]),
        Plan.scan("financial_metrics", ["metric_date"]).aggregate([.min("first", col("metric_date")), .max("last", col("metric_date"))]),
        Plan.scan("financial_metrics", ["metric_type", "metric_value"])
            .aggregate(by: ["metric_type"], [.sum("total", col("metric_value"))])
            .sort(.asc("metric_type")),
        Plan.scan("customer_analytics", ["industry", "total_revenue"])
            .aggregate(by: ["industry"], [.sum("revenue", col("total_revenue"))])
            .sort(.desc("revenue"), .asc("industry")),
    ]

    init(store: any Store, warehouse: Warehouse) throws {
        for table in Catalog.all { tableRows.append((table.name, try store.rowCount(table.name))) }
        let results = try warehouse.query(Self.plans, asOf: Application.today, on: .sql).map(\.rows)
        statuses = results[0].map { row in
            StatusLine(
                status: row[0].textValue ?? row[0].description, projects: row[1].integerValue, budget: row[2].integerValue,
                cost: row[3].integerValue)
        }
        firstStart = results[1].first?[0].dayValue
        lastStart = results[1].first?[1].dayValue
        firstMetric = results[2].first?[0].dayValue
        lastMetric = results[2].first?[1].dayValue
        metricTotals = results[3].map { ($0[0].description, $0[1].integerValue) }
        industries = results[4].map { ($0[0].description, $0[1].integerValue) }
    }
}

extension Application {
    /// What is in the database (see `DatabaseSummary`).
    public func summary() throws -> DatabaseSummary { try DatabaseSummary(store: store, warehouse: warehouse) }
}

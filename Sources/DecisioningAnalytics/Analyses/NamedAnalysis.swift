/// An analysis the CLI, the agents and the benchmarks know by name: one or more plans ("parts").
public struct NamedAnalysis: Sendable {
    public var name: String
    public var summary: String
    public var parts: [(name: String, plan: Plan)]

    public init(name: String, summary: String, parts: [(name: String, plan: Plan)]) {
        self.name = name
        self.summary = summary
        self.parts = parts
    }
}

/// The seed's analyses, corrected: per-table aggregation before joining (no fan-out of budgets
/// over metric rows) and the as-of date instead of `CURDATE()`.
public enum Analyses {
    public static func all(anomalyLimit: Int = 20) -> [NamedAnalysis] {
        [landscape, financialTrend, industryPerformance, anomalyCandidates(limit: anomalyLimit)]
    }

    public static func named(_ name: String, anomalyLimit: Int = 20) -> NamedAnalysis? {
        all(anomalyLimit: anomalyLimit).first { $0.name == name }
    }

    /// Projects started in the 24 months up to the as-of date.
    static func recentProjects(_ columns: [String]) -> Plan {
        Plan.scan("projects", columns + ["start_date"])
            .filter(col("start_date") >= .asOf(months: -24) && col("start_date") <= .asOf)
    }

    static let customerKey = ScanColumn("customer_id", as: "c_customer_id")

    /// Discovery's data landscape: projects, customers, money, risk and metric diversity of the last two years.
    public static let landscape: NamedAnalysis = {
        let recent = recentProjects(["project_id", "customer_id", "budget_amount", "actual_cost"])
        let projectFigures =
            recent
            .join(
                .scan("customer_analytics", [customerKey, ScanColumn("risk_score")]), on: "customer_id", equals: "c_customer_id",
                kind: .left
            )
            .aggregate([
                .count("total_projects"),
                .countDistinct("total_customers", col("customer_id")),
                .sum("total_budget", col("budget_amount")),
                .sum("total_costs", col("actual_cost")),
                .avg("avg_risk_score", col("risk_score")),
            ])
            .project([
                NamedExpr("total_projects", col("total_projects")), NamedExpr("total_customers", col("total_customers")),
                NamedExpr("total_budget", col("total_budget")), NamedExpr("total_costs", col("total_costs")),
                NamedExpr("avg_risk_score", col("avg_risk_score")), NamedExpr("k", 1),
            ])
        let metricTypes = Plan.scan("financial_metrics", [ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type")])
            .join(recent.project([NamedExpr("project_id", col("project_id"))]), on: "m_project_id", equals: "project_id")
            .aggregate([.countDistinct("metric_types", col("metric_type"))])
            .project([NamedExpr("metric_types", col("metric_types")), NamedExpr("k2", 1)])
        let plan = projectFigures.join(metricTypes, on: "k", equals: "k2")
            .project(
                ["total_projects", "total_customers", "total_budget", "total_costs", "avg_risk_score", "metric_types"].map {
                    NamedExpr($0, col($0))
                })
        return NamedAnalysis(
            name: "landscape",
            summary:
                "Projects, customers, total budget and cost, average customer risk and metric types for projects started in the 24 months before as-of.",
            parts: [("landscape", plan)])
    }()

    /// The monthly revenue, cost and margin trend of the 12 months before as-of.
    public static let monthlyTrend: Plan = Plan.scan("financial_metrics", ["metric_type", "metric_value", "metric_date"])
        .filter(col("metric_date") >= .asOf(months: -12) && col("metric_date") < .asOf)
        .aggregate(
            by: [NamedExpr("month", col("metric_date").monthStart)],
            [
                .sum("revenue", when(col("metric_type").eq("REVENUE"), then: col("metric_value"), else: 0)),
                .sum("cost", when(col("metric_type").eq("COST"), then: col("metric_value"), else: 0)),
                .avg("avg_margin", when(col("metric_type").eq("MARGIN"), then: col("metric_value"))),
            ]
        )
        .lag([Lag("prev_revenue", of: "revenue"), Lag("prev_cost", of: "cost")], orderBy: [.asc("month")])
        .project([
            NamedExpr("month", col("month")), NamedExpr("revenue", col("revenue")), NamedExpr("cost", col("cost")),
            NamedExpr("avg_margin", col("avg_margin")),
            NamedExpr("revenue_growth_pct", (col("revenue") - col("prev_revenue")) / col("prev_revenue") * 100.0),
            NamedExpr("cost_growth_pct", (col("cost") - col("prev_cost")) / col("prev_cost") * 100.0),
        ])

    /// Intelligence's financial trend: the months, and the totals the seed's agent reports.
    public static let financialTrend = NamedAnalysis(
        name: "financial-trend",
        summary: "Per month of the 12 before as-of: revenue, cost, average margin, month-over-month growth; and their totals.",
        parts: [
            ("monthly", monthlyTrend.sort(.asc("month"))),
            (
                "totals",
                monthlyTrend.aggregate([
                    .sum("total_revenue", col("revenue")),
                    .sum("total_costs", col("cost")),
                    .avg("avg_margin", col("avg_margin")),
                    .avg("revenue_growth_rate", col("revenue_growth_pct")),
                    .avg("cost_growth_rate", col("cost_growth_pct")),
                    .count("months"),
                ])
            ),
        ])

    /// Strategy's industry view: the seed's BI query without its fan-out.
    public static let industryPerformance: NamedAnalysis = {
        let withIndustry = recentProjects(["project_id", "customer_id", "budget_amount", "actual_cost"])
            .join(.scan("customer_analytics", [customerKey, ScanColumn("industry")]), on: "customer_id", equals: "c_customer_id")
        let projectStats =
            withIndustry
            .aggregate(
                by: ["industry"],
                [
                    .count("project_count"),
                    .sum("total_budget", col("budget_amount")),
                    .avg("cost_efficiency", col("actual_cost") / col("budget_amount")),
                ]
            )
            .having(col("project_count") > 5)
        // Point in time: the revenue booked by the as-of date.
        let volatility = Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(col("metric_type").eq("REVENUE") && col("metric_date") <= .asOf)
        .join(
            withIndustry.project([NamedExpr("project_id", col("project_id")), NamedExpr("v_industry", col("industry"))]),
            on: "m_project_id", equals: "project_id"
        )
        .aggregate(by: ["v_industry"], [.stddevPop("revenue_volatility", col("metric_value"))])
        let plan = projectStats.join(volatility, on: "industry", equals: "v_industry", kind: .left)
            .project(["industry", "project_count", "total_budget", "cost_efficiency", "revenue_volatility"].map { NamedExpr($0, col($0)) })
            .sort(.desc("total_budget"), .asc("industry"))
        return NamedAnalysis(
            name: "industry-performance",
            summary:
                "Per customer industry (more than 5 projects started in the 24 months before as-of): projects, budget, cost efficiency, revenue volatility.",
            parts: [("industries", plan)])
    }()

    /// Discovery's candidates: running projects furthest over their budget.
    public static func anomalyCandidates(limit: Int) -> NamedAnalysis {
        let plan = Plan.scan("projects", ["project_id", "project_name", "status", "customer_id", "budget_amount", "actual_cost"])
            .filter(col("status").in("ACTIVE", "IN_PROGRESS") && col("budget_amount") > 0)
            .join(
                .scan("customer_analytics", [customerKey, ScanColumn("industry"), ScanColumn("risk_score")]),
                on: "customer_id", equals: "c_customer_id", kind: .left
            )
            .project([
                NamedExpr("project_id", col("project_id")), NamedExpr("project_name", col("project_name")),
                NamedExpr("status", col("status")), NamedExpr("customer_id", col("customer_id")), NamedExpr("industry", col("industry")),
                NamedExpr("budget_amount", col("budget_amount")), NamedExpr("actual_cost", col("actual_cost")),
                NamedExpr("cost_ratio", col("actual_cost") / col("budget_amount")), NamedExpr("risk_score", col("risk_score")),
            ])
            .sort(.desc("cost_ratio"), .asc("project_id"))
            .limit(limit)
        return NamedAnalysis(
            name: "anomaly-candidates",
            summary: "The top \(limit) ACTIVE or IN_PROGRESS projects by actual cost / budget, with their customer's risk score.",
            parts: [("candidates", plan)])
    }
}

extension Plan {
    func project(_ names: [String]) -> Plan { project(names.map { NamedExpr($0, col($0)) }) }
}

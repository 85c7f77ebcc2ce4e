import DecisioningAnalytics
import DecisioningCore

/// The plans Strategy runs besides the named `industry-performance` analysis (the overrun-risk
/// model's are in `OverrunRiskModel`).
enum StrategyPlans {
    static let dimensions: [(name: String, column: String)] = [
        ("industry", "industry"), ("project type", "project_type"), ("customer rating", "credit_rating"),
    ]

    /// Revenue and margin per segment of each dimension, in the quarter before as-of ("after") and the one before it.
    static var drivers: [(String, Plan)] {
        let afterStart = Expr.monthStart(.asOf(months: -3))
        let end = Expr.monthStart(.asOf)
        let base = Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(
            col("metric_type").in("REVENUE", "MARGIN") && col("metric_date") >= .monthStart(.asOf(months: -6)) && col("metric_date") < end
        )
        .join(.scan("projects", ["project_id", "project_type", "customer_id"]), on: "m_project_id", equals: "project_id")
        .join(
            .scan(
                "customer_analytics", [ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("industry"), ScanColumn("credit_rating")]),
            on: "customer_id", equals: "c_customer_id", kind: .left)
        let period = NamedExpr("period", when(col("metric_date") >= afterStart, then: "after", else: "before"))
        return dimensions.map { d in
            (
                "strategy.drivers.\(d.column)",
                base
                    .aggregate(
                        by: [period, NamedExpr("segment", coalesce(col(d.column), "UNKNOWN"))],
                        [
                            .sum("revenue", when(col("metric_type").eq("REVENUE"), then: col("metric_value"), else: 0)),
                            .sum("margin", when(col("metric_type").eq("MARGIN"), then: col("metric_value"), else: 0)),
                        ]
                    )
                    .sort(.asc("segment"), .asc("period"))
            )
        }
    }

    /// Completed projects with the features whose correlations Strategy reports.
    static var correlationSample: Plan {
        Plan.scan("projects", ["project_id", "status", "customer_id", "start_date", "end_date", "budget_amount", "actual_cost"])
            .filter(
                col("status").eq("COMPLETED") && col("end_date") <= .asOf && col("budget_amount") > 0
                    && col("end_date") >= col("start_date")
            )
            .join(
                .scan(
                    "customer_analytics",
                    [
                        ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("risk_score"), ScanColumn("payment_terms"),
                        ScanColumn("average_payment_days"),
                    ]),
                on: "customer_id", equals: "c_customer_id"
            )
            .project([
                NamedExpr("project_id", col("project_id")),
                NamedExpr("budget", col("budget_amount").double),
                NamedExpr("cost_ratio", col("actual_cost") / col("budget_amount")),
                NamedExpr("customer_risk", col("risk_score").double),
                NamedExpr("days_late", (col("average_payment_days") - col("payment_terms")).double),
                NamedExpr("duration_days", col("start_date").daysUntil(col("end_date")).double),
            ])
            .sort(.asc("project_id"))
    }
}

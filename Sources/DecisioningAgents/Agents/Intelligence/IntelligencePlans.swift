import DecisioningAnalytics
import DecisioningCore

/// The plans Intelligence runs besides the named `financial-trend` analysis.
enum IntelligencePlans {
    /// Completed projects by type: count, budget, cost, average cost ratio, overruns by more than 10% and their amount.
    static var efficiencyByType: Plan {
        Plan.scan("projects", ["project_type", "status", "end_date", "budget_amount", "actual_cost"])
            .filter(col("status").eq("COMPLETED") && col("end_date") <= .asOf && col("budget_amount") > 0)
            .aggregate(
                by: [NamedExpr("project_type", coalesce(col("project_type"), "UNKNOWN"))],
                [
                    .count("completed"),
                    .sum("budget", col("budget_amount")),
                    .sum("actual", col("actual_cost")),
                    .avg("avg_cost_ratio", col("actual_cost") / col("budget_amount")),
                    .sum("overruns", when(col("actual_cost") > col("budget_amount") * .decimal("1.10"), then: 1, else: 0)),
                    .sum(
                        "overrun_amount",
                        when(col("actual_cost") > col("budget_amount"), then: col("actual_cost") - col("budget_amount"), else: 0)),
                ]
            )
            .sort(.asc("project_type"))
    }

    /// Projects due by as-of, and those of them still running.
    static var projectsDue: Plan {
        Plan.scan("projects", ["status", "start_date", "end_date"])
            .filter(
                col("start_date") <= .asOf && col("end_date") <= .asOf && col("status").in("COMPLETED", "ACTIVE", "IN_PROGRESS", "ON_HOLD")
            )
            .aggregate([.count("due"), .sum("overdue", when(col("status").ne("COMPLETED"), then: 1, else: 0))])
    }

    /// Revenue per customer over the 12 months before as-of, with its rating, payment delay and risk.
    static var customerRevenue: Plan {
        Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(col("metric_type").eq("REVENUE") && col("metric_date") >= .asOf(months: -12) && col("metric_date") < .asOf)
        .join(.scan("projects", ["project_id", "customer_id"]), on: "m_project_id", equals: "project_id")
        .aggregate(by: ["customer_id"], [.sum("revenue", col("metric_value"))])
        .join(
            .scan(
                "customer_analytics",
                [
                    ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("customer_name"), ScanColumn("credit_rating"),
                    ScanColumn("payment_terms"), ScanColumn("average_payment_days"), ScanColumn("risk_score"),
                ]),
            on: "customer_id", equals: "c_customer_id"
        )
        .project([
            NamedExpr("customer_id", col("customer_id")), NamedExpr("customer_name", col("customer_name")),
            NamedExpr("credit_rating", col("credit_rating")),
            NamedExpr("revenue", col("revenue")), NamedExpr("days_late", col("average_payment_days") - col("payment_terms")),
            NamedExpr("risk_score", col("risk_score")),
        ])
        .sort(.desc("revenue"), .asc("customer_id"))
    }

    /// Revenue per month before as-of, the forecast's history.
    static var monthlyRevenue: Plan {
        Plan.scan("financial_metrics", ["metric_type", "metric_value", "metric_date"])
            .filter(col("metric_type").eq("REVENUE") && col("metric_date") < .asOf)
            .aggregate(by: [NamedExpr("month", col("metric_date").monthStart)], [.sum("revenue", col("metric_value"))])
            .sort(.asc("month"))
    }

    /// Revenue of the last 12 months and of the 12 before them.
    static var revenueYearOverYear: Plan {
        Plan.scan("financial_metrics", ["metric_type", "metric_value", "metric_date"])
            .filter(col("metric_type").eq("REVENUE") && col("metric_date") >= .asOf(months: -24) && col("metric_date") < .asOf)
            .aggregate([
                .sum("last_12", when(col("metric_date") >= .asOf(months: -12), then: col("metric_value"), else: 0)),
                .sum("prior_12", when(col("metric_date") < .asOf(months: -12), then: col("metric_value"), else: 0)),
            ])
    }
}

import DecisioningAnalytics
import DecisioningCore

/// The plans Discovery runs besides the catalog's (built per table): the data-quality checks, the
/// rows they are counted against, and the anomaly candidates.
enum DiscoveryPlans {
    struct Check {
        var name: String
        var description: String
        var table: String
        var severity: Severity
        var plan: Plan
        var idColumn: String
    }

    static func checks() -> [Check] {
        // Point in time: the checks see the projects that had started and the ledger rows dated by the
        // as-of date; rows after it are not faults, they were not known yet (the catalog's
        // days_since_latest shows data dated after the as-of date).
        let projects = projectsAsOf
        return [
            Check(
                name: "orphan_customer", description: "projects whose customer_id has no customer", table: "projects", severity: .high,
                plan: projects.join(
                    .scan("customer_analytics", [ScanColumn("customer_id", as: "c_customer_id")]), on: "customer_id",
                    equals: "c_customer_id", kind: .left
                )
                .filter(col("c_customer_id").isNull && col("customer_id").isNotNull),
                idColumn: "project_id"),
            Check(
                name: "orphan_metric", description: "financial metrics whose project_id has no project", table: "financial_metrics",
                severity: .high,
                plan:
                    metricsAsOf
                    .join(
                        .scan("projects", [ScanColumn("project_id", as: "p_project_id")]), on: "project_id", equals: "p_project_id",
                        kind: .left
                    )
                    .filter(col("p_project_id").isNull && col("project_id").isNotNull),
                idColumn: "project_id"),
            Check(
                name: "negative_budget", description: "projects with a negative budget", table: "projects", severity: .high,
                plan: projects.filter(col("budget_amount") < 0), idColumn: "project_id"),
            Check(
                name: "negative_cost", description: "projects with a negative actual cost", table: "projects", severity: .high,
                plan: projects.filter(col("actual_cost") < 0), idColumn: "project_id"),
            Check(
                name: "end_before_start", description: "projects that end before they start", table: "projects", severity: .medium,
                plan: projects.filter(col("end_date") < col("start_date")), idColumn: "project_id"),
            Check(
                name: "completed_without_end", description: "completed projects without an end date", table: "projects", severity: .low,
                plan: projects.filter(col("status").eq("COMPLETED") && col("end_date").isNull), idColumn: "project_id"),
            Check(
                name: "risk_out_of_range", description: "customers with a risk score outside 0…1", table: "customer_analytics",
                severity: .medium,
                plan: Plan.scan("customer_analytics", ["customer_id", "risk_score"]).filter(
                    col("risk_score") < 0 || col("risk_score") > .decimal("1.00")),
                idColumn: "customer_id"),
            Check(
                name: "negative_payment_days", description: "customers with negative average payment days", table: "customer_analytics",
                severity: .medium,
                plan: Plan.scan("customer_analytics", ["customer_id", "average_payment_days"]).filter(col("average_payment_days") < 0),
                idColumn: "customer_id"),
        ]
    }

    static let projectsAsOf = Plan.scan(
        "projects", ["project_id", "customer_id", "start_date", "end_date", "budget_amount", "actual_cost", "status"]
    )
    .filter(col("start_date") <= .asOf)
    static let metricsAsOf = Plan.scan("financial_metrics", ["project_id", "metric_date"]).filter(col("metric_date") <= .asOf)

    /// Per project, the ledger booked by the as-of date: COST, REVENUE and MARGIN sums, and the
    /// months with a COST row.
    static var ledgerByProject: Plan {
        func sum(_ type: String) -> Expr { when(col("metric_type").eq(.literal(.text(type))), then: col("metric_value"), else: 0) }
        return Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "l_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(col("metric_date") <= .asOf && col("metric_type").in("COST", "REVENUE", "MARGIN") && col("l_project_id").isNotNull)
        .aggregate(
            by: ["l_project_id"],
            [
                .sum("ledger_cost", sum("COST")), .sum("ledger_revenue", sum("REVENUE")), .sum("ledger_margin", sum("MARGIN")),
                .countDistinct("ledger_months", when(col("metric_type").eq("COST"), then: col("metric_date").monthStart)),
            ])
    }

    /// The projects running by status (ACTIVE, IN_PROGRESS, ON_HOLD) that had started, with a budget and
    /// an end date, their ledger by as-of (`ledgerByProject`, absent without rows) and their customer's
    /// industry and risk: what the cost reconciliation compares and the anomaly scoring scores.
    static var runningWithLedger: Plan {
        let columns = ["project_id", "project_name", "status", "customer_id", "start_date", "end_date", "budget_amount", "actual_cost"]
        return Plan.scan("projects", columns)
            .filter(
                col("status").in("ACTIVE", "IN_PROGRESS", "ON_HOLD") && col("start_date") <= .asOf && col("budget_amount") > 0
                    && col("end_date").isNotNull
            )
            .join(ledgerByProject, on: "project_id", equals: "l_project_id", kind: .left)
            .join(
                .scan(
                    "customer_analytics",
                    [ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("industry"), ScanColumn("risk_score")]),
                on: "customer_id", equals: "c_customer_id", kind: .left
            )
            .sort(.asc("project_id"))
    }

    /// Per customer: `total_revenue` beside the REVENUE booked by as-of on its projects, the projects with
    /// ledger rows and those whose MARGIN rows differ from REVENUE − COST by more than 1.00.
    static var revenueByCustomer: Plan {
        let margin = col("ledger_margin") - (col("ledger_revenue") - col("ledger_cost"))
        let perCustomer =
            ledgerByProject
            .join(
                .scan("projects", [ScanColumn("project_id", as: "p_project_id"), ScanColumn("customer_id", as: "p_customer_id")]),
                on: "l_project_id", equals: "p_project_id"
            )
            .aggregate(
                by: ["p_customer_id"],
                [
                    .sum("ledger_revenue", col("ledger_revenue")), .count("ledger_projects"),
                    .sum("margin_mismatches", when(margin > .decimal("1.00") || margin < .decimal("-1.00"), then: 1, else: 0)),
                ])
        return Plan.scan("customer_analytics", ["customer_id", "total_revenue"])
            .join(perCustomer, on: "customer_id", equals: "p_customer_id", kind: .left)
            .sort(.asc("customer_id"))
    }
}

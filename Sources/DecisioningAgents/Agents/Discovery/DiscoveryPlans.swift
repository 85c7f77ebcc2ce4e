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

    /// The running projects with a budget, a cost so far and an end date, with their customer's industry and risk.
    static var anomalyCandidates: Plan {
        let columns = ["project_id", "project_name", "status", "customer_id", "start_date", "end_date", "budget_amount", "actual_cost"]
        return Plan.scan("projects", columns)
            .filter(
                col("status").in("ACTIVE", "IN_PROGRESS") && col("start_date") <= .asOf && col("budget_amount") > 0
                    && col("actual_cost") > 0
                    && col("end_date").isNotNull
            )
            .join(
                .scan(
                    "customer_analytics",
                    [ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("industry"), ScanColumn("risk_score")]),
                on: "customer_id", equals: "c_customer_id", kind: .left
            )
            .sort(.asc("project_id"))
    }
}

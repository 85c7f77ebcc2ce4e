import DecisioningAnalytics
import DecisioningCore

/// The plans Decision runs to put money on its decisions.
enum DecisionPlans {
    /// The budget the projects `ids` carry (negative budgets counted by their size).
    static func budget(of ids: Set<String>) -> Plan {
        Plan.scan("projects", ["project_id", "budget_amount"]).filter(
            col("project_id").in(ids.sorted().map { Expr.literal(.text($0)) })
        )
        .aggregate([.sum("budget", when(col("budget_amount") < 0, then: -col("budget_amount"), else: col("budget_amount")))])
    }

    /// The running projects of a type, and their budget.
    static func runningBudget(type: String) -> Plan {
        Plan.scan("projects", ["project_type", "status", "start_date", "budget_amount"])
            .filter(
                col("project_type").eq(.literal(.text(type))) && col("start_date") <= .asOf
                    && col("status").in("ACTIVE", "IN_PROGRESS", "ON_HOLD")
            )
            .aggregate([.count("projects"), .sum("budget", col("budget_amount"))])
    }
}

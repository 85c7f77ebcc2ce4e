public import DecisioningAnalytics
public import DecisioningCore
import Foundation

/// What the similarity search knows of one project: what was known at its start (budget, type, the
/// customer's industry, risk, payment behaviour and credit rating, planned duration) and, for a
/// completed project, how it ended.
public struct ProjectCase: Sendable, Equatable {
    public var projectId: String
    public var projectName: String
    public var projectType: String
    public var status: String
    public var industry: String?
    public var budget: Money
    public var actualCost: Money
    public var start: Day
    public var end: Day?
    public var customerRisk: Double?
    /// Average payment days minus payment terms: how late the customer pays, in days.
    public var daysLate: Double?
    public var creditRating: String?

    /// Actual cost over budget minus one (0.23: 23% over); nil without a budget.
    public var overrun: Double? {
        budget.minorUnits > 0 ? Double(actualCost.minorUnits) / Double(budget.minorUnits) - 1 : nil
    }

    /// The overrun model's label: actual cost above 1.10 × budget.
    public var overran: Bool { (overrun ?? 0) > 0.1 }

    /// Planned months from start to end (at least one); nil without an end.
    public var plannedMonths: Double? {
        guard let end, end >= start else { return nil }
        return max(1, Double(start.days(until: end) + 1) / 30.4375)
    }
}

extension ProjectCase {
    /// Projects with their customer: every column the featurizer and the outcomes read.
    public static func plan(_ condition: Expr) -> Plan {
        Plan.scan(
            "projects",
            [
                "project_id", "project_name", "project_type", "status", "customer_id", "budget_amount", "actual_cost", "start_date",
                "end_date",
            ]
        )
        .filter(condition && col("budget_amount") > 0)
        .join(
            .scan(
                "customer_analytics",
                [
                    ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("industry"), ScanColumn("credit_rating"),
                    ScanColumn("risk_score"), ScanColumn("payment_terms"), ScanColumn("average_payment_days"),
                ]),
            on: "customer_id", equals: "c_customer_id", kind: .left
        )
        .sort(.asc("project_id"))
    }

    /// Projects completed by the as-of date (their outcome was known then).
    public static var completedPlan: Plan { plan(OverrunRiskModel.completedByAsOf) }

    /// Projects running on the as-of date.
    public static var runningPlan: Plan { plan(OverrunRiskModel.runningOnAsOf) }

    /// Every project started by the as-of date.
    public static var startedPlan: Plan { plan(col("start_date") <= .asOf) }

    /// The cases of a result of `plan`; rows without a project id or start date are refused by name.
    public static func cases(_ result: QueryResult, query: String) throws -> [ProjectCase] {
        let names = result.fields.map(\.name)
        return try result.rows.map { try ProjectCase(Record(query: query, names: names, values: $0)) }
    }

    init(_ r: Record) throws {
        var late: Double?
        if let days = r.double("average_payment_days", scale: 1), case .integer(let terms) = r["payment_terms"] {
            late = days - Double(terms)
        }
        self.init(
            projectId: try r.requiredText("project_id"), projectName: r.text("project_name") ?? "",
            projectType: r.text("project_type") ?? "", status: r.text("status") ?? "", industry: r.text("industry"),
            budget: r.money("budget_amount"), actualCost: r.money("actual_cost"), start: try r.requiredDay("start_date"),
            end: r.day("end_date"), customerRisk: r.double("risk_score"), daysLate: late, creditRating: r.text("credit_rating"))
    }
}

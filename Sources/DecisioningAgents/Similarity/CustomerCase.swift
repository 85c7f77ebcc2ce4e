public import DecisioningAnalytics
public import DecisioningCore

/// What the similarity search knows of one customer: its industry, size, credit and payment behaviour.
public struct CustomerCase: Sendable, Equatable {
    public var customerId: String
    public var customerName: String
    public var industry: String?
    public var annualRevenue: Money?
    public var creditRating: String?
    /// Average payment days minus payment terms: how late the customer pays, in days.
    public var daysLate: Double?
    public var riskScore: Double?
    public var totalProjects: Int64?
}

extension CustomerCase {
    /// Every customer, by id.
    public static var plan: Plan {
        Plan.scan(
            "customer_analytics",
            [
                "customer_id", "customer_name", "industry", "annual_revenue", "credit_rating", "payment_terms", "average_payment_days",
                "total_projects", "risk_score",
            ]
        )
        .sort(.asc("customer_id"))
    }

    /// The cases of a result of `plan`; a row without a customer id is refused by name.
    public static func cases(_ result: QueryResult, query: String) throws -> [CustomerCase] {
        let names = result.fields.map(\.name)
        return try result.rows.map { row in
            let r = Record(query: query, names: names, values: row)
            var late: Double?
            if let days = r.double("average_payment_days", scale: 1), case .integer(let terms) = r["payment_terms"] {
                late = days - Double(terms)
            }
            var projects: Int64?
            if case .integer(let n) = r["total_projects"] { projects = n }
            var revenue: Money?
            if case .decimal = r["annual_revenue"] { revenue = r.money("annual_revenue") }
            return CustomerCase(
                customerId: try r.requiredText("customer_id"), customerName: r.text("customer_name") ?? "", industry: r.text("industry"),
                annualRevenue: revenue, creditRating: r.text("credit_rating"), daysLate: late, riskScore: r.double("risk_score"),
                totalProjects: projects)
        }
    }
}

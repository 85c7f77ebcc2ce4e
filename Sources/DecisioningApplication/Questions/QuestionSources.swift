import DecisioningAnalytics
import DecisioningCore

/// The rows of each source as one plan: the tables it reads, joined as the model fixes (the ledger to its
/// project, a project to its customer), reading only the columns a question needs.
enum QuestionSources {
    static let ledgerColumns = Set(["metric_type", "metric_value", "metric_date", "currency_code"])
    static let projectColumns = Set(Catalog.projects.columns.map(\.name)).subtracting(["created_at"])
    static let customerColumns = Set(Catalog.customerAnalytics.columns.map(\.name))

    static func rows(_ source: SemanticModel.Source, needing needed: Set<String>) -> Plan {
        switch source {
        case .customers:
            let columns = needed.intersection(customerColumns).sorted()
            return .scan("customer_analytics", columns.isEmpty ? ["customer_id"] : columns)
        case .projects:
            return projects(needed)
        case .ledger:
            let own = needed.intersection(ledgerColumns)
            let other = needed.subtracting(ledgerColumns)
            var scan = own.sorted().map { ScanColumn($0) }
            if scan.isEmpty { scan = [ScanColumn("metric_value")] }
            guard !other.isEmpty else { return .scan("financial_metrics", scan) }
            scan.append(ScanColumn("project_id", as: "m_project_id"))
            return Plan.scan("financial_metrics", scan).join(
                projects(other.union(["project_id"])), on: "m_project_id", equals: "project_id")
        }
    }

    static func projects(_ needed: Set<String>) -> Plan {
        let customers = needed.intersection(customerColumns).subtracting(["customer_id"])
        var own = needed.intersection(projectColumns)
        if !customers.isEmpty { own.insert("customer_id") }
        if own.isEmpty { own.insert("project_id") }
        let scan = Plan.scan("projects", own.sorted())
        guard !customers.isEmpty else { return scan }
        let customerScan = Plan.scan(
            "customer_analytics", [ScanColumn("customer_id", as: "c_customer_id")] + customers.sorted().map { ScanColumn($0) })
        return scan.join(customerScan, on: "customer_id", equals: "c_customer_id", kind: .left)
    }
}

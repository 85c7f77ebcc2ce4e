/// What `projects.actual_cost` of a running project holds; completed projects hold their final cost either way.
///
/// Some project-accounting systems export the cost booked to date, others the estimate at
/// completion (EAC). The monthly ledger (`financial_metrics`, metric type COST) is the same under both.
public enum ActualCostConvention: String, Sendable, Hashable, Codable, CaseIterable {
    /// The cost booked so far: the sum of the project's COST ledger rows (today's behaviour).
    case toDate = "to-date"
    /// The estimate at completion: the cost booked so far plus the remaining budget, scaled by the
    /// project's own overrun trajectory.
    case atCompletion = "at-completion"
}

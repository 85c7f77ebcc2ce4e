import DecisioningCore

/// A decision the data calls for, with the figures behind it; `DecisionNarrative` words it.
enum DecisionCandidate {
    /// Running projects with HIGH anomalous cost, and what they finish over budget at their current rate.
    case stopOverrun(projects: [ProjectAnomaly], projectedOverrun: Money)
    /// Data-quality findings of medium severity or worse, and the budget the projects concerned carry.
    case fixDataQuality(findings: [DataQualityFinding], budgetConcerned: Money)
    /// The industry whose own margin rate fell most, by `points`, and the margin lost per quarter and per year.
    case recoverMargin(
        segment: DriverSegment, points: Double, overallChange: Double, periodBefore: String, periodAfter: String, quarterly: Money,
        yearly: Money)
    /// Late payers: their share of revenue, the revenue-weighted delay, and what financing it costs a year.
    case tightenCollections(
        lateCustomers: Int64, lateRevenueShare: Double, averageDaysLate: Double, costOfCapital: Double, yearlyCost: Money)
    /// The running projects the overrun model expects to overrun.
    case rescopeAtRiskProjects(OverrunRisk)
    /// Without the model: the project type that overruns most, its running projects and their expected overrun.
    case priceInOverrunRisk(type: TypeEfficiency, averageOverrun: Money, running: Int64, runningBudget: Money, expectedOverrun: Money)

    var category: String {
        switch self {
        case .stopOverrun: return "cost control"
        case .fixDataQuality: return "data quality"
        case .recoverMargin: return "margin"
        case .tightenCollections: return "cash"
        case .rescopeAtRiskProjects: return "overrun risk"
        case .priceInOverrunRisk: return "pricing"
        }
    }
}

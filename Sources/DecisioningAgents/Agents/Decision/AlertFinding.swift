import DecisioningCore

/// An alert rule that fired, with the observed value and its threshold; `DecisionNarrative` writes its message.
enum AlertFinding {
    /// How many running projects have HIGH anomalous cost.
    case anomalousProjects(count: Int)
    /// One of them.
    case anomalousProject(ProjectAnomaly)
    case dataQualityScore(score: Double, minimum: Double)
    case marginDrop(industry: String, points: Double, threshold: Double)
    case lateRevenueShare(share: Double, threshold: Double)
    case healthScore(score: Double, threshold: Double)
    case revenueGrowth(growthPct: Double, month: Day, threshold: Double)

    var severity: Severity {
        switch self {
        case .anomalousProjects: return .critical
        case .anomalousProject, .marginDrop, .healthScore: return .high
        case .dataQualityScore, .lateRevenueShare, .revenueGrowth: return .medium
        }
    }

    var rule: String {
        switch self {
        case .anomalousProjects, .anomalousProject: return "anomalous_cost"
        case .dataQualityScore: return "data_quality_score"
        case .marginDrop: return "margin_drop"
        case .lateRevenueShare: return "late_revenue_share"
        case .healthScore: return "health_score"
        case .revenueGrowth: return "revenue_growth"
        }
    }

    /// The entity the alert is about (type and id), when it is about one.
    var entity: (type: String, id: String)? {
        switch self {
        case .anomalousProject(let p): return ("PROJECT", p.projectId)
        case .marginDrop(let industry, _, _): return ("INDUSTRY", industry)
        default: return nil
        }
    }

    var observed: Double {
        switch self {
        case .anomalousProjects(let count): return Double(count)
        case .anomalousProject(let p): return p.costRatio
        case .dataQualityScore(let score, _), .healthScore(let score, _): return score
        case .marginDrop(_, let points, _): return points
        case .lateRevenueShare(let share, _): return share
        case .revenueGrowth(let growth, _, _): return growth
        }
    }

    var threshold: Double? {
        switch self {
        case .anomalousProjects: return 0
        case .anomalousProject: return nil
        case .dataQualityScore(_, let minimum): return minimum
        case .marginDrop(_, _, let t), .lateRevenueShare(_, let t), .healthScore(_, let t), .revenueGrowth(_, _, let t): return t
        }
    }
}

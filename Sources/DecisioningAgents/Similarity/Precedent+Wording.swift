import Foundation

extension Precedent {
    /// " Of the 20 completed projects most like P-1, 14 overran, by 23% on average." ("" without cases), with the
    /// progress clause when the project was compared at a point of its schedule.
    public func sentence(about projectId: String) -> String {
        guard !cases.isEmpty else { return "" }
        let overran = cases.filter(\.overran).count
        let by = averageOverrun.map { String(format: ", by %.0f%% on average", $0 * 100) } ?? ""
        return " Of the \(cases.count) completed projects most like \(projectId)\(progressClause), \(overran) overran\(by)."
    }

    /// " at 40% of the schedule (it has booked 1.42× its budget share so far; they had booked 1.38× by
    /// then)", or "" when compared by case vector alone.
    public var progressClause: String {
        guard let progress, let burn = progress.burnRate else { return "" }
        var clause = String(
            format: " at %.0f%% of the schedule (it has booked %.2f× its budget share so far", progress.scheduleShare * 100, burn)
        if let theirs = progress.casesBurnRate { clause += String(format: "; they had booked %.2f× by then", theirs) }
        return clause + ")"
    }
}

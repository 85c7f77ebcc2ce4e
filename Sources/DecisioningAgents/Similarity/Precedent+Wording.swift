import Foundation

extension Precedent {
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

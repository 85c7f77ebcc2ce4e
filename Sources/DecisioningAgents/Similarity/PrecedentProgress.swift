/// Where a running project stood when its precedent was found: the share of its schedule elapsed, its
/// burn rate then, and the median burn rate of the completed projects found at the same share.
public struct PrecedentProgress: Sendable, Codable, Equatable {
    /// Share of the schedule elapsed on the as-of date, in (0, 1].
    public var scheduleShare: Double
    /// The project's cost booked by then ÷ (budget × schedule share); nil without ledger rows.
    public var burnRate: Double?
    /// The median of the cases' burn rates at the same share; nil when none has one.
    public var casesBurnRate: Double?

    public init(scheduleShare: Double, burnRate: Double?, cases: [Double]) {
        self.scheduleShare = scheduleShare
        self.burnRate = burnRate
        let sorted = cases.sorted()
        if sorted.isEmpty {
            casesBurnRate = nil
        } else {
            let mid = sorted.count / 2
            casesBurnRate = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }
    }
}

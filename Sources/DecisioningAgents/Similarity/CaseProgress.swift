/// How far a project had got at one point of its schedule: the share of the schedule elapsed and how
/// fast it was spending then.
public struct CaseProgress: Sendable, Codable, Equatable {
    /// Share of the schedule (start date to end date, both included) elapsed, in (0, 1].
    public var scheduleShare: Double
    /// Cost booked by then ÷ (budget × schedule share): 1 is on plan, 1.4 spending 40% faster than the
    /// budget allows; nil when the project has no COST ledger rows.
    public var burnRate: Double?

    public init(scheduleShare: Double, burnRate: Double?) {
        self.scheduleShare = scheduleShare
        self.burnRate = burnRate
    }
}

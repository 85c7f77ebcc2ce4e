import DecisioningCore

/// What a project's burn rate at a share of its schedule needs: its start, its length in days and its
/// budget; kept apart from the rest of the project so that the burn rates of thousands of completed
/// projects at one share are computed without copying them.
struct CaseSchedule: Sendable {
    let start: Day
    /// Days from the start date to the end date, both included (at least 1).
    let days: Int
    /// The budget in minor units (positive).
    let budget: Int64

    /// The project's schedule; nil without an end date on or after the start, or without a positive budget.
    init?(_ project: ProjectCase) {
        guard let days = project.scheduleDays, project.budget.minorUnits > 0 else { return nil }
        start = project.start
        self.days = days
        budget = project.budget.minorUnits
    }

    /// The last day of the first `share` of the schedule.
    func day(atShare share: Double) -> Day {
        start.adding(days: max(1, min(days, Int((share * Double(days)).rounded(.up)))) - 1)
    }

    /// The cost booked by the last day of the first `share` of the schedule over the budget's share; nil
    /// without ledger rows or for a share that is not positive.
    func burnRate(atShare share: Double, series: CostLedger.Series?) -> Double? {
        guard let series else { return nil }
        return burnRate(atShare: share, booked: series.booked(by:))
    }

    /// As above, with `booked` giving the cost booked by a day; nil for a share that is not positive.
    func burnRate(atShare share: Double, booked: (Day) -> Double) -> Double? {
        guard share > 0 else { return nil }
        return booked(day(atShare: share)) / (Double(budget) / 100 * share)
    }
}

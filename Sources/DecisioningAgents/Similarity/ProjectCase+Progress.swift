public import DecisioningCore

extension ProjectCase {
    /// Days from the start date to the end date, both included; nil without an end date or when it is
    /// before the start.
    var scheduleDays: Int? {
        guard let end, end >= start else { return nil }
        return start.days(until: end) + 1
    }

    /// The share of the schedule elapsed on `day` (that day included), at most 1; nil without a schedule
    /// or before the start.
    public func scheduleShare(on day: Day) -> Double? {
        guard let days = scheduleDays, day >= start else { return nil }
        return min(1, Double(start.days(until: day) + 1) / Double(days))
    }

    /// Where the project stood at `share` of its schedule by the ledger: the cost booked by then over
    /// the budget's share; nil without a schedule or a budget.
    public func progress(atShare share: Double, ledger: CostLedger) -> CaseProgress? {
        progress(atShare: share, series: ledger.series(projectId))
    }

    /// As above, from the project's own running totals (nil: no ledger rows, no burn rate).
    func progress(atShare share: Double, series: CostLedger.Series?) -> CaseProgress? {
        guard share > 0, let schedule = CaseSchedule(self) else { return nil }
        return CaseProgress(scheduleShare: share, burnRate: schedule.burnRate(atShare: share, series: series))
    }

    /// Where the project stood by the ledger on `asOf`, measured on the day the ledger was closed by then
    /// (`CostLedger.closedThrough`: the days after it are not booked yet, so counting them would make
    /// every running project look underspent); nil as for `progress(atShare:ledger:)`, or when the
    /// project started after that day.
    public func progress(on asOf: Day, ledger: CostLedger) -> CaseProgress? {
        let day = min(asOf, ledger.closedThrough ?? asOf)
        guard let share = scheduleShare(on: day), budget.minorUnits > 0 else { return nil }
        let budgetShare = Double(budget.minorUnits) / 100 * share
        return CaseProgress(scheduleShare: share, burnRate: ledger.booked(projectId, by: day).map { $0 / budgetShare })
    }
}

import DecisioningCore

/// The COST running totals of many projects (the completed ones a finder searches) laid out in two
/// arrays, one project after another, instead of two arrays per project. The burn rates of all of
/// them at one share of the schedule (one `PrecedentFinder.ProgressBase` per running project compared)
/// are then read front to back, not from 76,000 arrays scattered over the heap; the totals found are
/// those `CostLedger.Series.booked(by:)` finds.
struct FlatLedger: Sendable {
    /// Where each project's rows begin in `days` and `totals`; its rows end where the next one's begin.
    private let starts: [Int]
    /// False for a project without COST rows (its burn rate is missing, not zero).
    private let present: [Bool]
    private let days: [Day]
    private let totals: [Double]

    /// No ledger at all: no project has rows.
    var isEmpty: Bool { starts.isEmpty }

    /// The rows of `series`, in their order; empty when `series` is.
    init(_ series: [CostLedger.Series?]) {
        var starts: [Int] = []
        var present: [Bool] = []
        var days: [Day] = []
        var totals: [Double] = []
        starts.reserveCapacity(series.count + 1)
        present.reserveCapacity(series.count)
        for s in series {
            starts.append(days.count)
            present.append(s != nil)
            if let s {
                days.append(contentsOf: s.days)
                totals.append(contentsOf: s.totals)
            }
        }
        if !series.isEmpty { starts.append(days.count) }
        self.starts = starts
        self.present = present
        self.days = days
        self.totals = totals
    }

    /// Each project's burn rate at `share` of its schedule (`CaseSchedule.burnRate(atShare:series:)`):
    /// nil without a schedule or without rows.
    func burnRates(atShare share: Double, schedules: [CaseSchedule?]) -> [Double?] {
        guard !isEmpty else { return schedules.map { _ in nil } }
        return days.withUnsafeBufferPointer { days in
            totals.withUnsafeBufferPointer { totals in
                schedules.indices.map { i -> Double? in
                    guard let schedule = schedules[i], present[i] else { return nil }
                    let rows = starts[i]..<starts[i + 1]
                    return schedule.burnRate(atShare: share) { day in
                        CostLedger.Series.booked(by: day, days: days, totals: totals, rows: rows)
                    }
                }
            }
        }
    }
}

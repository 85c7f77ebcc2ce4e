import DecisioningCore
import Testing

@testable import DecisioningAgents

/// The flat ledger's burn rates are, bit for bit, those each project's own running totals give
/// (`CaseSchedule.burnRate(atShare:series:)`), for projects with and without rows or a schedule.
@Suite struct FlatLedgerTests {
    @Test func burnRatesEqualThoseOfEachProjectsOwnSeries() {
        var random = SeededRandom(seed: 29)
        let start = Day(iso: "2023-01-01")!
        var schedules: [CaseSchedule?] = []
        var series: [CostLedger.Series?] = []
        for i in 0..<400 {
            let begins = start.adding(days: Int.random(in: 0..<700, using: &random))
            let length = Int.random(in: 1..<500, using: &random)
            let project = ProjectCase(
                projectId: "P\(i)", projectName: "", projectType: "", status: "COMPLETED", industry: nil,
                budget: Money(minorUnits: i % 37 == 0 ? 0 : Int64.random(in: 1...50_000_000, using: &random)),
                actualCost: Money(minorUnits: 0),
                start: begins, end: i % 29 == 0 ? nil : begins.adding(days: length - 1), customerRisk: nil, daysLate: nil, creditRating: nil
            )
            schedules.append(CaseSchedule(project))
            if i % 11 == 0 {
                series.append(nil)
                continue
            }
            var rows = CostLedger.Series()
            var day = begins.adding(days: Int.random(in: -30..<30, using: &random))
            for _ in 0..<Int.random(in: 1..<40, using: &random) {
                rows.append(day, Double(Int.random(in: 1...2_000_000, using: &random)) / 100)
                day = day.adding(days: Int.random(in: 0..<45, using: &random))
            }
            series.append(rows)
        }
        let flat = FlatLedger(series)
        for share in [-0.5, 0, 0.0001, 0.1, 0.37, 0.5, 0.999, 1, 1.5] {
            let expected = zip(schedules, series).map { $0?.burnRate(atShare: share, series: $1) }
            let found = flat.burnRates(atShare: share, schedules: schedules)
            #expect(found.count == expected.count)
            for (a, b) in zip(found, expected) {
                #expect(a?.bitPattern == b?.bitPattern, "share \(share): \(String(describing: a)) ≠ \(String(describing: b))")
            }
        }
        #expect(flat.burnRates(atShare: 0.5, schedules: schedules).contains { $0 != nil })
        #expect(FlatLedger([]).burnRates(atShare: 0.5, schedules: schedules).allSatisfy { $0 == nil })
    }
}

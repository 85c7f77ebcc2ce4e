import DecisioningCore
import Testing

@Suite struct DayTests {
    @Test func civilRoundTrip() {
        for number in stride(from: Int32(-800_000), through: 800_000, by: 997) {
            let day = Day(number: number)
            let c = day.civil
            #expect(Day(year: c.year, month: c.month, day: c.day) == day)
        }
        #expect(Day(year: 1970, month: 1, day: 1)!.number == 0)
        #expect(Day(year: 2024, month: 2, day: 29)!.iso == "2024-02-29")
    }

    @Test func parsingIsStrict() {
        #expect(Day(iso: "2026-11-25")?.iso == "2026-11-25")
        #expect(Day(iso: "2025-02-29") == nil)
        #expect(Day(iso: "2024-13-01") == nil)
        #expect(Day(iso: "2024-1-01") == nil)
        #expect(Day(iso: "2024/01/01") == nil)
        #expect(Day(iso: "") == nil)
    }

    @Test func monthArithmeticClampsLikeMySQL() {
        let day = Day(iso: "2026-03-31")!
        #expect(day.adding(months: -1).iso == "2026-02-28")
        #expect(day.adding(months: -13).iso == "2025-02-28")
        #expect(Day(iso: "2024-01-31")!.adding(months: 1).iso == "2024-02-29")
        #expect(Day(iso: "2026-11-25")!.adding(months: -24).iso == "2024-11-25")
        #expect(Day(iso: "2026-11-25")!.firstOfMonth.iso == "2026-11-01")
        #expect(Day(iso: "2026-01-10")!.adding(days: -10).iso == "2025-12-31")
    }

    @Test func timestamps() {
        let t = Timestamp(iso: "2026-11-25 13:45:07")!
        #expect(t.iso == "2026-11-25 13:45:07")
        #expect(t.day.iso == "2026-11-25")
        #expect(Timestamp(iso: "2026-11-25T13:45:07") == t)
        #expect(Timestamp(iso: "2026-11-25")!.iso == "2026-11-25 00:00:00")
        #expect(Timestamp(iso: "2026-11-25 24:00:00") == nil)
        #expect(Timestamp(iso: "1969-12-31 23:59:59")!.day.iso == "1969-12-31")
    }
}

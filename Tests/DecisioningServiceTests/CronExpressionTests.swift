import DecisioningCore
import Testing

@Suite struct CronExpressionTests {
    func at(_ text: String) -> Timestamp { Timestamp(iso: text)! }

    @Test func weekdayMorningsRunAtSixUTC() throws {
        let cron = try CronExpression(parsing: "0 6 * * 1-5")
        // 2026-12-04 is a Friday: next is Monday 2026-12-07 06:00.
        #expect(cron.next(after: at("2026-12-04 06:00:00")) == at("2026-12-07 06:00:00"))
        #expect(cron.next(after: at("2026-12-04 05:59:59")) == at("2026-12-04 06:00:00"))
        #expect(cron.latest(atOrBefore: at("2026-12-06 12:00:00"), notBefore: at("2026-12-01 00:00:00")) == at("2026-12-04 06:00:00"))
    }

    @Test func stepsListsNamesAndSundayAsSeven() throws {
        let every15 = try CronExpression(parsing: "*/15 * * * *")
        #expect(every15.next(after: at("2026-12-02 17:14:00")) == at("2026-12-02 17:15:00"))
        let named = try CronExpression(parsing: "30 8 1,15 JAN,jul *")
        #expect(named.next(after: at("2026-12-02 00:00:00")) == at("2027-01-01 08:30:00"))
        #expect(try CronExpression(parsing: "0 0 * * 7").next(after: at("2026-12-02 00:00:00")) == at("2026-12-06 00:00:00"))
        // Day of month OR day of week when both are restricted (Vixie cron).
        let either = try CronExpression(parsing: "0 0 13 * 5")
        #expect(either.next(after: at("2026-12-02 00:00:00")) == at("2026-12-04 00:00:00"))
    }

    @Test func impossibleDatesHaveNoOccurrence() throws {
        #expect(try CronExpression(parsing: "0 0 30 2 *").next(after: at("2026-01-01 00:00:00")) == nil)
        #expect(try CronExpression(parsing: "0 0 29 2 *").next(after: at("2026-01-01 00:00:00")) == at("2028-02-29 00:00:00"))
    }

    @Test func mistakesNameTheFieldAndTheRange() {
        let cases: [(String, String)] = [
            ("0 6 * *", "expected 5 fields"), ("60 * * * *", "minute field"), ("* 24 * * *", "from 0 to 23"),
            ("* * 0 * *", "day of month"), ("* * * 13 *", "month"), ("* * * * 8", "day of week"), ("*/0 * * * *", "step"),
            ("5-1 * * * *", "backwards"), ("1,,2 * * * *", "empty item"), ("* * * FOO *", "FOO"),
        ]
        for (text, message) in cases {
            do {
                _ = try CronExpression(parsing: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains(message), "\(text): \(error)")
            }
        }
    }

    /// Property: for random expressions and times, `next` is after the time, matches the
    /// expression, and no minute in between matches.
    @Test func nextIsTheFirstMatchingMinute() throws {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let minute = ["*", "\(rng.int(0...59))", "*/\(rng.int(1...30))", "\(rng.int(0...20))-\(rng.int(30...59))"]
            let hour = ["*", "\(rng.int(0...23))", "*/\(rng.int(1...12))"]
            let dom = ["*", "\(rng.int(1...28))", "1,15"]
            let dow = ["*", "1-5", "\(rng.int(0...6))"]
            let text = [minute, hour, dom, ["*"], dow].map { $0[rng.int(0...($0.count - 1))] }.joined(separator: " ")
            let cron = try CronExpression(parsing: text)
            let start = Timestamp(seconds: 1_790_000_000 + Int64(rng.int(0...10_000_000)))
            let next = try #require(cron.next(after: start), "\(text)")
            #expect(next.seconds > start.seconds && next.seconds % 60 == 0)
            #expect(cron.matches(next), "\(text) at \(next)")
            var t = (start.seconds / 60 + 1) * 60
            while t < next.seconds && t < start.seconds + 3 * 86_400 {
                #expect(!cron.matches(Timestamp(seconds: t)), "\(text): \(Timestamp(seconds: t)) matches before \(next)")
                t += 60
            }
        }
    }
}

/// A five-field cron expression in UTC: minute, hour, day of month, month, day of week.
///
/// Each field is `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a list of those separated by
/// commas; months may be named (JAN–DEC) and days of the week too (SUN–SAT, 0 and 7 are Sunday). As in
/// Vixie cron, when both day of month and day of week are restricted, a day matching either runs.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    /// What is wrong with an expression, naming the field and its allowed range.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var expression: String
        public var message: String
        public var description: String { "cron expression \"\(TerminalText.quoted(expression))\": \(message)" }
    }

    public init(parsing text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(
                expression: text, message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.text = text
        minutes = try Self.field(fields[0], "minute", 0...59, names: [:], text)
        hours = try Self.field(fields[1], "hour", 0...23, names: [:], text)
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, names: [:], text)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, text)
        let week = try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames, text)
        daysOfWeek = Set(week.map { $0 == 7 ? 0 : $0 })
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    /// The first occurrence strictly after `time`, or nil when there is none within eight years
    /// (`0 0 30 2 *`, say).
    public func next(after time: Timestamp) -> Timestamp? {
        var t = (time.seconds / 60 + 1) * 60
        let limit = time.seconds + 8 * 366 * 86_400
        while t <= limit {
            let day = Timestamp(seconds: t).day
            if !months.contains(day.month) || !matchesDay(day) {
                t = (Int64(day.number) + 1) * 86_400
                continue
            }
            let secondOfDay = Int(t - Int64(day.number) * 86_400)
            let hour = secondOfDay / 3_600
            let minute = (secondOfDay % 3_600) / 60
            if !hours.contains(hour) {
                t = Int64(day.number) * 86_400 + Int64(hour + 1) * 3_600
                continue
            }
            if !minutes.contains(minute) {
                t += 60
                continue
            }
            return Timestamp(seconds: t)
        }
        return nil
    }

    /// Whether `time` (to the minute) is an occurrence.
    public func matches(_ time: Timestamp) -> Bool {
        let day = time.day
        let secondOfDay = Int(time.seconds - Int64(day.number) * 86_400)
        return months.contains(day.month) && matchesDay(day) && hours.contains(secondOfDay / 3_600)
            && minutes.contains((secondOfDay % 3_600) / 60)
    }

    /// The last occurrence at or before `time`, no earlier than `floor`; nil when there is none.
    public func latest(atOrBefore time: Timestamp, notBefore floor: Timestamp) -> Timestamp? {
        var found: Timestamp?
        var cursor = Timestamp(seconds: floor.seconds - 1)
        while let t = next(after: cursor), t.seconds <= time.seconds {
            found = t
            cursor = t
        }
        return found
    }

    func matchesDay(_ day: Day) -> Bool {
        let dom = daysOfMonth.contains(day.civil.day)
        let dow = daysOfWeek.contains(Self.weekday(day))
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return dom || dow
        case (true, false): return dom
        case (false, true): return dow
        case (false, false): return true
        }
    }

    /// 0 for Sunday to 6 for Saturday (1970-01-01, day 0, was a Thursday).
    static func weekday(_ day: Day) -> Int { Int(((Int64(day.number) % 7) + 7 + 4) % 7) }

    static let monthNames = [
        "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
    ]
    static let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]

    static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String: Int], _ expression: String)
        throws(ParseError)
        -> Set<Int>
    {
        func fail(_ message: String) -> ParseError {
            ParseError(expression: expression, message: "\(name) field \"\(TerminalText.quoted(text))\": \(message)")
        }
        func number(_ s: Substring) throws(ParseError) -> Int {
            if let n = names[s.uppercased()] { return n }
            guard s.count <= 4, !s.isEmpty, s.allSatisfy(\.isASCII), let n = Int(s), range.contains(n) else {
                throw fail("\"\(TerminalText.quoted(String(s)))\" is not a value from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw fail("an empty item in the list") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw fail("more than one step in \"\(TerminalText.quoted(String(part)))\"") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s >= 1, s <= range.upperBound + 1 else {
                    throw fail("the step must be a whole number from 1 to \(range.upperBound + 1)")
                }
                step = s
            }
            let span = pieces[0]
            var low = range.lowerBound
            var high = range.upperBound
            if span != "*" {
                let ends = span.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw fail("\"\(TerminalText.quoted(String(span)))\" is not a value or a range a-b") }
                low = try number(ends[0])
                high = ends.count == 2 ? try number(ends[1]) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw fail("the range \(low)-\(high) runs backwards") }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }
}

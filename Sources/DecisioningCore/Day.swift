/// A calendar date with no time zone, stored as the number of days since 1970-01-01.
///
/// Day numbers make date arithmetic, comparison and columnar storage trivial; the civil
/// conversions follow Howard Hinnant's `days_from_civil` / `civil_from_days`.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var number: Int32

    public init(number: Int32) { self.number = number }

    /// Creates a day from a proleptic Gregorian date; returns nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.number = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        var parsed: Day?
        var copy = String(text)
        copy.withUTF8 { parsed = Day(isoBytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes without allocating.
    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        guard let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }

    /// The first day of this day's month.
    public var firstOfMonth: Day {
        let c = civil
        return Day(year: c.year, month: c.month, day: 1)!
    }

    public func adding(days: Int) -> Day { Day(number: number + Int32(days)) }

    /// Adds calendar months, clamping the day to the target month's length (2026-03-31 minus 1 month is 2026-02-28), as MySQL does.
    public func adding(months: Int) -> Day {
        let c = civil
        let total = c.year * 12 + (c.month - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        return Day(year: year, month: month, day: min(c.day, Day.daysIn(year: year, month: month)))!
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int { Int(other.number - number) }

    /// Months between the first days of the two months (2024-01-31 to 2024-02-01 is 1).
    public func monthIndex() -> Int {
        let c = civil
        return c.year * 12 + c.month - 1
    }

    public var iso: String {
        let c = civil
        return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2) + "-" + Day.pad(c.day, 2)
    }

    public var description: String { iso }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a date as YYYY-MM-DD, found '\(text)'"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

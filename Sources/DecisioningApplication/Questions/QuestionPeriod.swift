public import DecisioningCore

/// An inclusive range of days a question is about, with the words that named it.
public struct QuestionPeriod: Sendable, Hashable {
    public var from: Day
    public var to: Day
    /// How the question (or the default) named it: "last quarter", "2025", "default: last 12 months".
    public var phrase: String

    public init(from: Day, to: Day, phrase: String) {
        self.from = from
        self.to = to
        self.phrase = phrase
    }

    /// Equal ranges are equal periods, whatever words named them.
    public static func == (a: QuestionPeriod, b: QuestionPeriod) -> Bool { a.from == b.from && a.to == b.to }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(from)
        hasher.combine(to)
    }

    /// The same span shifted by whole months (a year earlier: -12), ends kept at month ends.
    public func shifted(months: Int, phrase: String) -> QuestionPeriod {
        let endIsMonthEnd = to.adding(days: 1).day == 1
        let end = endIsMonthEnd ? to.adding(days: 1).adding(months: months).adding(days: -1) : to.adding(months: months)
        return QuestionPeriod(from: from.adding(months: months), to: end, phrase: phrase)
    }

    /// The span of the same number of whole months just before this one (or the same number of days).
    public func preceding(phrase: String) -> QuestionPeriod {
        if from.day == 1, to.adding(days: 1).day == 1 {
            let months = from.monthsUntil(to.adding(days: 1))
            return QuestionPeriod(from: from.adding(months: -months), to: from.adding(days: -1), phrase: phrase)
        }
        let days = from.days(until: to) + 1
        return QuestionPeriod(from: from.adding(days: -days), to: from.adding(days: -1), phrase: phrase)
    }

    public var description: String { "\(from.iso) … \(to.iso)" }
}

extension Day {
    var day: Int { civil.day }

    /// Whole months from the first of this day's month to the first of `other`'s.
    func monthsUntil(_ other: Day) -> Int { (other.year - year) * 12 + other.month - month }

    var lastOfMonth: Day { firstOfMonth.adding(months: 1).adding(days: -1) }
    var quarter: Int { (month - 1) / 3 + 1 }
    var firstOfQuarter: Day { Day(year: year, month: (quarter - 1) * 3 + 1, day: 1) ?? firstOfMonth }
    var firstOfYear: Day { Day(year: year, month: 1, day: 1) ?? firstOfMonth }
}

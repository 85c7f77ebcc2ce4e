import DecisioningCore

/// The time phrases of a question, resolved against the as-of date (docs/questions.md, *Time*).
///
/// "Last month / quarter / year" is the latest such calendar period that has ended on or before as-of;
/// "this month / quarter / year" (and "… to date") runs from its first day to as-of; "last N months" are the N
/// whole months that ended by as-of; a year, a quarter or a month named without a year is the latest one that
/// has started by as-of. Every period is cut at as-of: nothing after it is read.
struct TimePhrases {
    struct Found {
        var period: QuestionPeriod
        /// The word before the phrase was a comparison word ("versus last year").
        var afterComparison: Bool
        /// The phrase names the year before ("last year", "a year ago"): shifted by 12 months when compared.
        var yearBefore: Bool
    }

    var periods: [Found] = []
    /// "Same quarter last year", "year over year": compare with the same span 12 months earlier.
    var yearAgo = false
    /// "Quarter over quarter", "previous period": compare with the span just before.
    var previousPeriod = false
    /// "Next quarter", "next 6 months": months ahead (a forecast).
    var future: QuestionPeriod?
    /// The words the phrases used, which the rest of the interpreter ignores.
    var consumed = Set<Int>()

    static let monthNames: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
        "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
        "nov": 11, "december": 12, "dec": 12,
    ]
    static let ordinals: [String: Int] = ["first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4]
    static let units: [String: SemanticModel.TimeGrain] = [
        "month": .month, "months": .month, "quarter": .quarter, "quarters": .quarter, "year": .year, "years": .year,
    ]
    static let comparisonWords: Set<String> = ["vs", "versus", "against", "compared", "than", "with", "to", "and", "over"]
    static let vocabulary: Set<String> = Set(monthNames.keys).union(ordinals.keys).union(units.keys).union([
        "last", "past", "previous", "prior", "trailing", "recent", "this", "current", "next", "coming", "upcoming", "since", "between",
        "from", "until", "through", "till", "ytd", "qtd", "mtd", "ltm", "ttm", "date", "same", "period", "ago", "earlier", "yoy", "qoq",
        "mom", "so", "far", "q1", "q2", "q3", "q4", "h1", "h2", "time",
    ])

    let asOf: Day

    init(_ words: [String], asOf: Day) {
        self.asOf = asOf
        read(words)
    }

    // MARK: - Calendar

    /// The last day of the latest month that has ended by as-of.
    var lastCompleteMonthEnd: Day { asOf == asOf.lastOfMonth ? asOf : asOf.firstOfMonth.adding(days: -1) }

    func months(endingAt end: Day, count: Int, unit: SemanticModel.TimeGrain) -> (Day, Day) {
        let span = unit == .month ? count : unit == .quarter ? 3 * count : 12 * count
        return (end.adding(days: 1).adding(months: -span), end)
    }

    func months(_ unit: SemanticModel.TimeGrain, _ n: Int) -> Int { unit == .month ? n : unit == .quarter ? 3 * n : 12 * n }

    func latestComplete(_ unit: SemanticModel.TimeGrain) -> Day {
        switch unit {
        case .month: return lastCompleteMonthEnd
        case .quarter:
            let end = asOf.firstOfQuarter.adding(months: 3).adding(days: -1)
            return asOf == end ? end : asOf.firstOfQuarter.adding(days: -1)
        case .year:
            let end = asOf.firstOfYear.adding(months: 12).adding(days: -1)
            return asOf == end ? end : asOf.firstOfYear.adding(days: -1)
        }
    }

    func start(of unit: SemanticModel.TimeGrain, containing day: Day) -> Day {
        switch unit {
        case .month: return day.firstOfMonth
        case .quarter: return day.firstOfQuarter
        case .year: return day.firstOfYear
        }
    }

    func cut(_ from: Day, _ to: Day, _ phrase: String) -> QuestionPeriod {
        QuestionPeriod(from: from, to: min(to, asOf), phrase: phrase)
    }

    // MARK: - Points: a year, a quarter, a month, a date

    /// A named span starting at `words[i]`: its first and last day and the words it took.
    func point(_ words: [String], _ i: Int) -> (from: Day, to: Day, length: Int)? {
        guard i < words.count else { return nil }
        let w = words[i]
        func year(_ j: Int) -> Int? {
            guard j < words.count, words[j].count == 4, let y = Int(words[j]), (1990...2100).contains(y) else { return nil }
            return y
        }
        if let d = Day(iso: w), w.count == 10 { return (d, d, 1) }
        if let y = year(i) {
            // "2025 q3"
            if i + 1 < words.count, let q = Self.quarterWord(words[i + 1]), let start = Day(year: y, month: (q - 1) * 3 + 1, day: 1) {
                return (start, start.adding(months: 3).adding(days: -1), 2)
            }
            guard let start = Day(year: y, month: 1, day: 1) else { return nil }
            return (start, start.adding(months: 12).adding(days: -1), 1)
        }
        var quarter: Int?
        var length = 1
        if let q = Self.quarterWord(w) {
            quarter = q
        } else if let q = Self.ordinals[w], i + 1 < words.count, words[i + 1] == "quarter" {
            quarter = q
            length = 2
        }
        if let q = quarter {
            var j = i + length
            if j < words.count, words[j] == "of" { j += 1 }
            let y: Int
            if let explicit = year(j) {
                y = explicit
                length = j - i + 1
            } else {
                let candidate = Day(year: asOf.year, month: (q - 1) * 3 + 1, day: 1) ?? asOf
                y = candidate <= asOf ? asOf.year : asOf.year - 1
            }
            guard let start = Day(year: y, month: (q - 1) * 3 + 1, day: 1) else { return nil }
            return (start, start.adding(months: 3).adding(days: -1), length)
        }
        if let m = Self.monthNames[w] {
            if w == "may" && year(i + 1) == nil
                && !(i > 0 && ["in", "since", "from", "between", "to", "and", "until", "through"].contains(words[i - 1]))
            {
                return nil
            }
            let y: Int
            if let explicit = year(i + 1) {
                y = explicit
                length = 2
            } else {
                y = m <= asOf.month ? asOf.year : asOf.year - 1
            }
            guard let start = Day(year: y, month: m, day: 1) else { return nil }
            return (start, start.adding(months: 1).adding(days: -1), length)
        }
        return nil
    }

    static func quarterWord(_ w: String) -> Int? {
        guard w.count == 2, w.hasPrefix("q"), let n = Int(w.dropFirst()), (1...4).contains(n) else { return nil }
        return n
    }

    // MARK: - Reading

    mutating func take(_ range: Range<Int>) { consumed.formUnion(range) }

    mutating func add(_ period: QuestionPeriod, _ words: [String], at i: Int, yearBefore: Bool = false) {
        var k = i - 1
        while k >= 0, ["the", "in", "of", "for", "during", "over"].contains(words[k]) && !Self.comparisonWords.contains(words[k]) { k -= 1 }
        let after = k >= 0 && (Self.comparisonWords.contains(words[k]) || words[k] == "compared")
        periods.append(Found(period: period, afterComparison: after, yearBefore: yearBefore))
    }

    mutating func read(_ words: [String]) {
        var i = 0
        func at(_ j: Int) -> String { j < words.count ? words[j] : "" }
        while i < words.count {
            let w = words[i]
            // Comparison markers.
            if w == "same", Self.units[at(i + 1)] != nil || at(i + 1) == "period" || at(i + 1) == "time" {
                var j = i + 2
                if at(j) == "last" || at(j) == "previous" || at(j) == "prior", at(j + 1) == "year" {
                    j += 2
                } else if at(j) == "a", at(j + 1) == "year", at(j + 2) == "ago" {
                    j += 3
                }
                yearAgo = true
                take(i..<j)
                i = j
                continue
            }
            if (w == "year" && at(i + 1) == "over" && at(i + 2) == "year") || w == "yoy" {
                yearAgo = true
                let n = w == "yoy" ? 1 : 3
                take(i..<(i + n))
                i += n
                continue
            }
            if w == "a" && at(i + 1) == "year" && (at(i + 2) == "ago" || at(i + 2) == "earlier") {
                yearAgo = true
                take(i..<(i + 3))
                i += 3
                continue
            }
            if ((w == "quarter" || w == "month") && at(i + 1) == "over" && at(i + 2) == w) || w == "qoq" || w == "mom" {
                previousPeriod = true
                let n = (w == "qoq" || w == "mom") ? 1 : 3
                take(i..<(i + n))
                i += n
                continue
            }
            if (w == "previous" || w == "prior" || w == "preceding") && at(i + 1) == "period" {
                previousPeriod = true
                take(i..<(i + 2))
                i += 2
                continue
            }
            // To date.
            if let unit = Self.units[w], at(i + 1) == "to", at(i + 2) == "date" {
                periods.append(
                    Found(period: cut(start(of: unit, containing: asOf), asOf, "\(w) to date"), afterComparison: false, yearBefore: false))
                take(i..<(i + 3))
                i += 3
                continue
            }
            if ["ytd", "qtd", "mtd"].contains(w) {
                let unit: SemanticModel.TimeGrain = w == "ytd" ? .year : w == "qtd" ? .quarter : .month
                add(cut(start(of: unit, containing: asOf), asOf, w), words, at: i)
                take(i..<(i + 1))
                i += 1
                continue
            }
            if w == "so" && at(i + 1) == "far" {
                var n = 2
                var unit = SemanticModel.TimeGrain.year
                if at(i + 2) == "this", let u = Self.units[at(i + 3)] {
                    unit = u
                    n = 4
                }
                add(cut(start(of: unit, containing: asOf), asOf, "so far this \(unit.rawValue)"), words, at: i)
                take(i..<(i + n))
                i += n
                continue
            }
            if w == "ltm" || w == "ttm" {
                let (from, to) = months(endingAt: lastCompleteMonthEnd, count: 12, unit: .month)
                add(cut(from, to, "last 12 months"), words, at: i)
                take(i..<(i + 1))
                i += 1
                continue
            }
            // Relative: last / this / next [N] unit.
            if ["last", "past", "previous", "prior", "trailing", "recent", "this", "current", "next", "coming", "upcoming"].contains(w) {
                var j = i + 1
                var count: Int?
                if let n = QuestionText.integer(at(j)), n > 0, n <= 240 {
                    count = n
                    j += 1
                }
                if let unit = Self.units[at(j)] {
                    let n = count ?? 1
                    let length = j - i + 1
                    if ["next", "coming", "upcoming"].contains(w) {
                        let phrase = words[i..<(i + length)].joined(separator: " ")
                        if count != nil {
                            let from = lastCompleteMonthEnd.adding(days: 1)
                            future = QuestionPeriod(from: from, to: from.adding(months: months(unit, n)).adding(days: -1), phrase: phrase)
                        } else {
                            let from = start(of: unit, containing: asOf).adding(months: months(unit, 1))
                            future = QuestionPeriod(from: from, to: from.adding(months: months(unit, 1)).adding(days: -1), phrase: phrase)
                        }
                    } else if w == "this" || w == "current" {
                        add(cut(start(of: unit, containing: asOf), asOf, "this \(unit.rawValue)"), words, at: i)
                    } else {
                        let (from, to) = months(endingAt: latestComplete(unit), count: n, unit: unit)
                        let phrase = count == nil ? "last \(unit.rawValue)" : "last \(n) \(unit.rawValue)s"
                        add(cut(from, to, phrase), words, at: i, yearBefore: unit == .year && count == nil)
                    }
                    take(i..<(i + length))
                    i += length
                    continue
                }
            }
            // Ranges: between X and Y, from X to Y.
            if w == "between" || w == "from", let a = point(words, i + 1) {
                let j = i + 1 + a.length
                if ["and", "to", "through", "until", "till"].contains(at(j)), let b = point(words, j + 1) {
                    add(cut(a.from, b.to, words[i..<(j + 1 + b.length)].joined(separator: " ")), words, at: i)
                    take(i..<(j + 1 + b.length))
                    i = j + 1 + b.length
                    continue
                }
            }
            if w == "since", let a = point(words, i + 1) {
                add(cut(a.from, asOf, words[i..<(i + 1 + a.length)].joined(separator: " ")), words, at: i)
                take(i..<(i + 1 + a.length))
                i += 1 + a.length
                continue
            }
            if let a = point(words, i) {
                add(cut(a.from, a.to, words[i..<(i + a.length)].joined(separator: " ")), words, at: i)
                take(i..<(i + a.length))
                i += a.length
                continue
            }
            i += 1
        }
    }
}

public import DecisioningCore
public import Foundation

/// The series a `forecast` reads: a CSV file with a header row naming `series_id`, `t` and `value` (in any order,
/// other columns ignored), one observation per row.
///
/// `t` is an integer or a `YYYY-MM-DD` date, the same kind within a series, strictly increasing by a constant step
/// within the series (the step of its first two rows: 1 for 1, 2, 3…; a month for 2024-01-31, 2024-02-29… when every
/// date is the same day of its month or its month's last day; else a number of days). Rows of different series may
/// interleave; series keep the order of their first row. Refused, with the file, line and field: a missing column,
/// an empty or non-numeric value, NaN or infinity, a value beyond ±1e15 (its square would lose the fit's precision),
/// a duplicate or out-of-order `t`, a gap, a series with fewer than `minimumLength` observations, a file without
/// data rows.
public struct ForecastSeriesFile: Sendable {
    /// The time index of a series: integers, or dates stepping by months or days.
    public enum Time: Sendable, Equatable {
        case integer(first: Int, step: Int)
        case monthly(first: Day, months: Int, monthEnd: Bool)
        case daily(first: Day, days: Int)

        /// The label of observation `index` (0 = the first row); `count` and beyond are forecast steps.
        public func label(_ index: Int) -> String {
            switch self {
            case .integer(let first, let step): return String(first + index * step)
            case .monthly(let first, let months, let monthEnd):
                let day = first.adding(months: index * months)
                if monthEnd {
                    let c = day.civil
                    return Day(year: c.year, month: c.month, day: Day.daysIn(year: c.year, month: c.month))?.iso ?? day.iso
                }
                return day.iso
            case .daily(let first, let days): return first.adding(days: index * days).iso
            }
        }
    }

    public struct Series: Sendable {
        public let id: String
        public let values: [Double]
        public let time: Time
        /// The line of the series' first row.
        public let line: Int
    }

    public static let largestValue = 1e15
    public static let requiredColumns = ["series_id", "t", "value"]

    public let path: String
    public let series: [Series]

    /// Reads and validates `path`; `minimumLength` is the fewest observations a series may have.
    public init(path: String, minimumLength: Int = 2) throws(ForecastInputError) {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ForecastInputError(file: path, line: 0, "cannot read the file (\(error.localizedDescription)); check the path")
        }
        series = try Self.parse(data, file: path, minimumLength: minimumLength)
    }

    /// Parses CSV `data` (named `file` in errors).
    public static func parse(_ data: Data, file: String, minimumLength: Int = 2) throws(ForecastInputError) -> [Series] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ForecastInputError(file: file, line: 0, "the file is not UTF-8 text; save it as UTF-8 CSV")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first, !headerLine.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ForecastInputError(file: file, line: 1, "the file is empty; it needs a header row series_id,t,value and data rows")
        }
        let header = try fields(headerLine, file: file, line: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var columns: [Int] = []
        for name in requiredColumns {
            guard let index = header.firstIndex(of: name) else {
                throw ForecastInputError(
                    file: file, line: 1, field: name,
                    "missing column; the header must name series_id, t and value, found: \(TerminalText.quoted(header.joined(separator: ",")))"
                )
            }
            columns.append(index)
        }
        struct Building {
            var values: [Double] = []
            var times: [String] = []
            var lines: [Int] = []
        }
        var order: [String] = []
        var building: [String: Building] = [:]
        for (offset, raw) in lines.enumerated().dropFirst() {
            let line = offset + 1
            if raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
            let row = try fields(raw, file: file, line: line)
            guard row.count >= header.count else {
                throw ForecastInputError(
                    file: file, line: line, field: header[row.count],
                    "missing: the row has \(row.count) fields, the header \(header.count)")
            }
            let id = row[columns[0]].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw ForecastInputError(file: file, line: line, field: "series_id", "empty; every row needs a series id")
            }
            let t = row[columns[1]].trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else {
                throw ForecastInputError(file: file, line: line, field: "t", "empty; give an integer or a YYYY-MM-DD date")
            }
            let valueText = row[columns[2]].trimmingCharacters(in: .whitespaces)
            let value = try Self.value(valueText, file: file, line: line)
            if building[id] == nil { order.append(id) }
            building[id, default: Building()].values.append(value)
            building[id, default: Building()].times.append(t)
            building[id, default: Building()].lines.append(line)
        }
        guard !order.isEmpty else {
            throw ForecastInputError(file: file, line: 2, "no data rows after the header; add rows series_id,t,value")
        }
        var series: [Series] = []
        for id in order {
            guard let b = building[id] else { continue }
            let time = try Self.time(b.times, lines: b.lines, id: id, file: file)
            guard b.values.count >= minimumLength else {
                throw ForecastInputError(
                    file: file, line: b.lines[0], field: "series_id",
                    "series '\(TerminalText.quoted(id))' has \(b.values.count) observation\(b.values.count == 1 ? "" : "s"); at least \(minimumLength) are needed to forecast"
                )
            }
            series.append(Series(id: id, values: b.values, time: time, line: b.lines[0]))
        }
        return series
    }

    static func value(_ text: String, file: String, line: Int) throws(ForecastInputError) -> Double {
        guard !text.isEmpty else { throw ForecastInputError(file: file, line: line, field: "value", "empty; every row needs a number") }
        let lowered = text.lowercased()
        guard let value = Double(text), !lowered.contains("nan"), !lowered.contains("inf"), !lowered.hasPrefix("0x") else {
            if ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
                throw ForecastInputError(file: file, line: line, field: "value", "\(TerminalText.quoted(text)) is not a finite number")
            }
            throw ForecastInputError(file: file, line: line, field: "value", "not a number: '\(TerminalText.quoted(text))'")
        }
        guard value.isFinite else {
            throw ForecastInputError(file: file, line: line, field: "value", "'\(TerminalText.quoted(text))' is not a finite number")
        }
        guard abs(value) <= largestValue else {
            throw ForecastInputError(
                file: file, line: line, field: "value",
                "\(TerminalText.quoted(text)) is beyond ±1e15; rescale the series (e.g. to thousands)")
        }
        return value
    }

    /// The time index of one series from its `t` texts, or the first row that breaks it.
    static func time(_ texts: [String], lines: [Int], id: String, file: String) throws(ForecastInputError) -> Time {
        let quotedID = TerminalText.quoted(id)
        if let first = Int(texts[0]) {
            var values: [Int] = []
            for (i, text) in texts.enumerated() {
                guard let v = Int(text), abs(v) < 1 << 50 else {
                    throw ForecastInputError(
                        file: file, line: lines[i], field: "t",
                        "'\(TerminalText.quoted(text))' is not an integer like the series' first t (\(first)); a series' t are all integers or all dates"
                    )
                }
                values.append(v)
            }
            let step = values.count > 1 ? values[1] - values[0] : 1
            try check(values, step: step, lines: lines, id: quotedID, file: file, show: { String($0) })
            return .integer(first: first, step: step)
        }
        var days: [Day] = []
        for (i, text) in texts.enumerated() {
            guard let day = Day(iso: text) else {
                throw ForecastInputError(
                    file: file, line: lines[i], field: "t", "'\(TerminalText.quoted(text))' is neither an integer nor a YYYY-MM-DD date")
            }
            days.append(day)
        }
        func isMonthEnd(_ d: Day) -> Bool {
            let c = d.civil
            return c.day == Day.daysIn(year: c.year, month: c.month)
        }
        let sameDay = days.allSatisfy { $0.civil.day == days[0].civil.day } && days[0].civil.day <= 28
        let monthEnds = days.allSatisfy(isMonthEnd)
        let monthly = (sameDay || monthEnds) && (days.count < 2 || days[0].monthIndex() != days[1].monthIndex())
        if monthly {
            let index = days.map { $0.monthIndex() }
            let step = index.count > 1 ? index[1] - index[0] : 1
            try check(
                index, step: step, lines: lines, id: quotedID, file: file,
                show: { Self.monthLabel($0, day: days[0].civil.day, monthEnd: monthEnds && !sameDay) })
            return .monthly(first: days[0], months: step, monthEnd: monthEnds && !sameDay)
        }
        let numbers = days.map { Int($0.number) }
        let step = numbers.count > 1 ? numbers[1] - numbers[0] : 1
        try check(numbers, step: step, lines: lines, id: quotedID, file: file, show: { Day(number: Int32($0)).iso })
        return .daily(first: days[0], days: step)
    }

    /// The date of month index `index` (year × 12 + month − 1) on `day`, or its last day.
    static func monthLabel(_ index: Int, day: Int, monthEnd: Bool) -> String {
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        let last = Day.daysIn(year: year, month: month)
        return Day(year: year, month: month, day: monthEnd ? last : min(day, last))?.iso ?? "\(year)-\(month)"
    }

    private static func check(
        _ values: [Int], step: Int, lines: [Int], id: String, file: String, show: (Int) -> String
    ) throws(ForecastInputError) {
        for i in 1..<max(1, values.count) {
            let previous = values[i - 1]
            let v = values[i]
            if v == previous {
                throw ForecastInputError(
                    file: file, line: lines[i], field: "t", "duplicate t \(show(v)) in series '\(id)' (also on line \(lines[i - 1]))")
            }
            if v < previous {
                throw ForecastInputError(
                    file: file, line: lines[i], field: "t",
                    "t \(show(v)) comes after \(show(previous)) in series '\(id)'; order each series' rows by t")
            }
            if v - previous != step {
                throw ForecastInputError(
                    file: file, line: lines[i], field: "t",
                    "gap in series '\(id)': t \(show(v)) follows \(show(previous)), expected \(show(previous + step)) (the step of the series' first two rows); fill missing periods"
                )
            }
        }
    }

    /// Splits one CSV line into fields: commas separate, double quotes enclose a field with commas (`""` is a quote).
    static func fields(_ line: Substring, file: String, line number: Int) throws(ForecastInputError) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var atStart = true
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            current.append("\"")
                        } else if next == "," {
                            quoted = false
                            result.append(current)
                            current = ""
                            atStart = true
                        } else if next == "\r" {
                            quoted = false
                        } else {
                            throw ForecastInputError(
                                file: file, line: number, "a closing quote must end its field (found '\(next)' after it)")
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
                continue
            }
            switch c {
            case ",":
                result.append(current)
                current = ""
                atStart = true
                continue
            case "\"" where atStart && current.allSatisfy(\.isWhitespace):
                quoted = true
                current = ""
            case "\r":
                break
            default:
                current.append(c)
            }
            atStart = false
        }
        if quoted { throw ForecastInputError(file: file, line: number, "unterminated quoted field; close it with \" on the same line") }
        result.append(current)
        return result
    }
}

import DecisioningCore

/// Why one value was refused; the caller adds file, line and column.
struct FieldError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Converts input values for one column into typed `Value`s, checking them against its `ColumnType`.
///
/// The text form (a CSV field, or the content of a JSON string) is parsed straight from bytes; only
/// text and JSON columns create a `String`.
final class ColumnParser {
    let name: String
    let type: ColumnType
    let nullable: Bool
    /// What a NOT NULL column with a default gets when the input leaves it empty.
    let substitute: Value?
    let isText: Bool

    init(_ column: ColumnSchema, now: Timestamp) {
        name = column.name
        type = column.type
        nullable = column.nullable
        switch column.defaultValue {
        case .currentTimestamp: substitute = .timestamp(now)
        case .value(let value): substitute = value
        case nil: substitute = nil
        }
        switch column.type {
        case .text, .longText: isText = true
        default: isText = false
        }
    }

    /// The value for an empty CSV field or a JSON null (`found` says which, for the error).
    func null(found: String) throws(FieldError) -> Value {
        if nullable { return .null }
        if let substitute { return substitute }
        throw FieldError("a value is required (the column is NOT NULL), found \(found)")
    }

    func expected(_ found: String, _ detail: String = "") -> FieldError {
        FieldError("expected \(type.expectation), found \(found)\(detail)")
    }

    /// Parses the text form of a value.
    func parse(_ b: UnsafeBufferPointer<UInt8>) throws(FieldError) -> Value {
        switch type {
        case .text(let maxLength):
            if b.count > maxLength {
                let characters = ColumnParser.scalarCount(b)
                if characters > maxLength { throw expected(ColumnParser.shown(b), " (\(characters) characters)") }
            }
            return .text(String(decoding: b, as: UTF8.self))
        case .longText:
            return .text(String(decoding: b, as: UTF8.self))
        case .integer:
            switch ColumnParser.parseInteger(ColumnParser.trimmed(b)) {
            case .value(let v): return .integer(v)
            case .notANumber: throw expected(ColumnParser.shown(b))
            case .outOfRange: throw expected(ColumnParser.shown(b), ", which is out of range")
            }
        case .decimal(let precision, let scale):
            return try decimal(ColumnParser.trimmed(b), precision: precision, scale: scale, shown: ColumnParser.shown(b))
        case .double:
            let text = String(decoding: ColumnParser.trimmed(b), as: UTF8.self)
            guard let v = Double(text), v.isFinite else { throw expected(ColumnParser.shown(b)) }
            return .double(v)
        case .date:
            guard let day = Day(isoBytes: ColumnParser.trimmed(b)) else { throw expected(ColumnParser.shown(b)) }
            return .date(day)
        case .timestamp:
            guard let t = Timestamp(isoBytes: ColumnParser.trimmed(b)) else { throw expected(ColumnParser.shown(b)) }
            return .timestamp(t)
        case .boolean:
            let t = ColumnParser.trimmed(b)
            if t.count == 1 {
                if t[0] == UInt8(ascii: "1") { return .boolean(true) }
                if t[0] == UInt8(ascii: "0") { return .boolean(false) }
            } else if ColumnParser.equalsIgnoringCase(t, "true") {
                return .boolean(true)
            } else if ColumnParser.equalsIgnoringCase(t, "false") {
                return .boolean(false)
            }
            throw expected(ColumnParser.shown(b))
        case .json:
            guard let base = b.baseAddress else { throw expected("''", " (invalid JSON: empty)") }
            let start = JSONScanner.skipWhitespace(base, 0, b.count)
            do throws(JSONSyntaxError) {
                let end = try JSONScanner.skipValue(base, start, b.count)
                let after = JSONScanner.skipWhitespace(base, end, b.count)
                guard after == b.count else { throw JSONScanner.unexpected(base, after, b.count) }
            } catch {
                throw expected(ColumnParser.shown(b), " (invalid JSON: \(error.described(input: "the value", base: 0)))")
            }
            return .json(String(decoding: b, as: UTF8.self))
        case .vector(let dimensions):
            return try vector(b, dimensions: dimensions)
        }
    }

    func decimal(_ b: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int, shown: @autoclosure () -> String) throws(FieldError) -> Value {
        switch FixedPoint.parse(b, precision: precision, scale: scale) {
        case .success(let units):
            return .decimal(units)
        case .failure(.notANumber):
            throw expected(shown())
        case .failure(.tooManyFractionDigits(let allowed)):
            throw expected(shown(), allowed == 0 ? ", which is not a whole number" : ", which has more than \(allowed) decimal place\(allowed == 1 ? "" : "s")")
        case .failure(.outOfRange(let digits)):
            throw expected(shown(), ", which has more than \(digits) integer digit\(digits == 1 ? "" : "s")")
        }
    }

    /// A JSON array of numbers, as text.
    func vector(_ b: UnsafeBufferPointer<UInt8>, dimensions: Int) throws(FieldError) -> Value {
        guard let p = b.baseAddress else { throw expected("''") }
        let end = b.count
        var floats: [Float] = []
        var i = JSONScanner.skipWhitespace(p, 0, end)
        guard i < end, p[i] == UInt8(ascii: "[") else { throw expected(ColumnParser.shown(b)) }
        i = JSONScanner.skipWhitespace(p, i + 1, end)
        if i < end && p[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                guard i < end, let numberEnd = try? JSONScanner.scanNumber(p, i, end),
                      let v = Float(String(decoding: UnsafeBufferPointer(start: p + i, count: numberEnd - i), as: UTF8.self)), v.isFinite
                else { throw expected(ColumnParser.shown(b)) }
                floats.append(v)
                i = JSONScanner.skipWhitespace(p, numberEnd, end)
                guard i < end else { throw expected(ColumnParser.shown(b)) }
                if p[i] == UInt8(ascii: "]") { i += 1; break }
                guard p[i] == UInt8(ascii: ",") else { throw expected(ColumnParser.shown(b)) }
                i = JSONScanner.skipWhitespace(p, i + 1, end)
            }
        }
        guard JSONScanner.skipWhitespace(p, i, end) == end else { throw expected(ColumnParser.shown(b)) }
        guard floats.count <= dimensions else { throw expected("an array of \(floats.count) numbers") }
        return .vector(floats)
    }

    // MARK: - Byte helpers

    enum IntegerParse { case value(Int64), notANumber, outOfRange }

    static func parseInteger(_ b: UnsafeBufferPointer<UInt8>) -> IntegerParse {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < b.count else { return .notANumber }
        // Accumulate negatively so that Int64.min parses.
        var value: Int64 = 0
        var overflow = false
        while i < b.count {
            let d = Int64(b[i]) - 48
            guard d >= 0 && d <= 9 else { return .notANumber }
            if !overflow {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { value = s }
            }
            i += 1
        }
        if overflow { return .outOfRange }
        if negative { return .value(value) }
        guard value != Int64.min else { return .outOfRange }
        return .value(-value)
    }

    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 { hi -= 1 }
        if lo == 0 && hi == b.count { return b }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard b.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<b.count where b[i] | 0x20 != w[i] { return false }
        return true
    }

    /// Unicode scalars in valid UTF-8: every byte that is not a continuation byte starts one.
    static func scalarCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// A value quoted for an error message, shortened when long.
    static func shown(_ b: UnsafeBufferPointer<UInt8>) -> String {
        "'" + shortened(String(decoding: b, as: UTF8.self)) + "'"
    }

    static func shortened(_ s: String, limit: Int = 60) -> String {
        s.unicodeScalars.count <= limit ? s : String(String.UnicodeScalarView(s.unicodeScalars.prefix(limit))) + "…"
    }
}

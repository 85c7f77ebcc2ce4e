import DecisioningCore
import DecisioningStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// A primary-key or identifier column: no empty string, control characters, byte order mark or
    /// surrounding spaces, since keys are compared byte for byte.
    let isKey: Bool
    /// The whole numbers an integer column accepts, and what to call that range in an error.
    let range: ClosedRange<Int64>
    let rangeName: String

    init(_ column: ColumnSchema, now: Timestamp, isKey: Bool = false, domain: ColumnDomain? = nil) {
        name = column.name
        type = column.type
        nullable = column.nullable
        self.isKey = isKey
        range = domain?.range ?? ColumnDomain.int32
        rangeName =
            domain.map { "\($0.range.lowerBound) to \($0.range.upperBound) \($0.unit)" }
            ?? "\(Int32.min) to \(Int32.max), the range of INT"
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
        if b.isEmpty && !isText {
            // `""` in CSV, `""` in JSON: an empty string is not NULL, and not a value of this type.
            throw expected("an empty string (\"\")", "; for no value write an empty unquoted field (CSV) or null (JSON Lines)")
        }
        switch type {
        case .text(let maxLength):
            if isKey { try checkKey(b) } else { try checkText(b) }
            if b.count > maxLength {
                let characters = ColumnParser.scalarCount(b)
                if characters > maxLength { throw expected(ColumnParser.shown(b), " (\(characters) characters)") }
            }
            return .text(String(decoding: b, as: UTF8.self))
        case .longText:
            if isKey { try checkKey(b) } else { try checkText(b) }
            return .text(String(decoding: b, as: UTF8.self))
        case .integer:
            switch ColumnParser.parseInteger(ColumnParser.trimmed(b)) {
            case .value(let v): return try integer(v, shown: ColumnParser.shown(b))
            case .notANumber: throw expected(ColumnParser.shown(b))
            case .outOfRange: throw outOfRange(ColumnParser.shown(b))
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

    /// `v` when the column's range holds it.
    func integer(_ v: Int64, shown: @autoclosure () -> String) throws(FieldError) -> Value {
        guard range.contains(v) else { throw outOfRange(shown()) }
        return .integer(v)
    }

    /// Checks the text form of a value as `parse` does and binds it at `position`, without a `Value`
    /// for the common types: text is bound in place (so `b` must stay valid until the row is written).
    func bind(_ b: UnsafeBufferPointer<UInt8>, to binder: any RowBinder, at position: Int) throws(FieldError) {
        switch type {
        case .text(let maxLength) where !b.isEmpty:
            if isKey { try checkKey(b) } else { try checkText(b) }
            if b.count > maxLength {
                let characters = ColumnParser.scalarCount(b)
                if characters > maxLength { throw expected(ColumnParser.shown(b), " (\(characters) characters)") }
            }
            binder.bindText(b, position)
        case .longText where !b.isEmpty:
            if isKey { try checkKey(b) } else { try checkText(b) }
            binder.bindText(b, position)
        case .integer where !b.isEmpty:
            switch ColumnParser.parseInteger(ColumnParser.trimmed(b)) {
            case .value(let v):
                guard range.contains(v) else { throw outOfRange(ColumnParser.shown(b)) }
                binder.bindInteger(v, position)
            case .notANumber: throw expected(ColumnParser.shown(b))
            case .outOfRange: throw outOfRange(ColumnParser.shown(b))
            }
        case .decimal(let precision, let scale) where !b.isEmpty:
            if case .success(let units) = FixedPoint.parse(ColumnParser.trimmed(b), precision: precision, scale: scale) {
                binder.bindDecimal(units, position)
            } else {
                binder.bind(try parse(b), position)  // the error, worded by `decimal`
            }
        case .date where !b.isEmpty:
            guard let day = Day(isoBytes: ColumnParser.trimmed(b)) else { throw expected(ColumnParser.shown(b)) }
            binder.bindDay(day, position)
        case .timestamp where !b.isEmpty:
            guard let t = Timestamp(isoBytes: ColumnParser.trimmed(b)) else { throw expected(ColumnParser.shown(b)) }
            binder.bindTimestamp(t, position)
        default:
            let value = try parse(b)
            if case .boolean(let v) = value { binder.bindBoolean(v, position) } else { binder.bind(value, position) }
        }
    }

    func outOfRange(_ shown: String) -> FieldError {
        expected(shown, ", which is out of range (allowed: \(rangeName))")
    }

    /// Free text may hold any character but NUL, which neither SQLite nor MySQL text keeps safely.
    func checkText(_ b: UnsafeBufferPointer<UInt8>) throws(FieldError) {
        guard let base = b.baseAddress, let nul = memchr(base, 0, b.count) else { return }
        let at = ColumnParser.scalarCount(UnsafeBufferPointer(start: base, count: UnsafeRawPointer(nul) - UnsafeRawPointer(base))) + 1
        throw FieldError("text cannot contain a NUL character (U+0000, at character \(at)), found \(ColumnParser.shown(b))")
    }

    /// A key must be exactly what it looks like: not empty, no control character, no byte order mark,
    /// no space before or after it. Nothing is trimmed: `' C1'` and `'C1'` would be two customers.
    func checkKey(_ b: UnsafeBufferPointer<UInt8>) throws(FieldError) {
        guard !b.isEmpty else {
            throw FieldError(
                nullable
                    ? "a key cannot be an empty string (\"\"); for no value write an empty unquoted field (CSV) or null (JSON Lines)"
                    : "a key cannot be an empty string (\"\")")
        }
        var at = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            if c & 0xC0 != 0x80 { at += 1 }
            if c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < b.count && b[i + 1] >= 0x80 && b[i + 1] <= 0x9F) {
                let name = c == 0 ? "NUL" : "control"
                let scalar = c == 0xC2 ? UInt32(b[i + 1]) : UInt32(c)
                throw FieldError(
                    "a key cannot contain a \(name) character (U+\(ColumnParser.hex4(scalar)), at character \(at)), found \(ColumnParser.shown(b))"
                )
            }
            if c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBB && b[i + 2] == 0xBF {
                throw FieldError(
                    "a key cannot contain a byte order mark (U+FEFF, at character \(at)), found \(ColumnParser.shown(b)); "
                        + "a byte order mark belongs only at the very start of a file (were files with one concatenated?)")
            }
            i += 1
        }
        let spaceBefore = b[0] == 0x20 || (b.count >= 2 && b[0] == 0xC2 && b[1] == 0xA0)
        let spaceAfter = b[b.count - 1] == 0x20 || (b.count >= 2 && b[b.count - 2] == 0xC2 && b[b.count - 1] == 0xA0)
        if spaceBefore || spaceAfter {
            let side = spaceBefore && spaceAfter ? "before and after" : spaceBefore ? "before" : "after"
            throw FieldError(
                "the key \(ColumnParser.shown(b)) has spaces \(side) it; keys are compared exactly and are not trimmed, "
                    + "so remove the spaces from the input (or fix the export that adds them)")
        }
    }

    static func hex4(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    func decimal(_ b: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int, shown: @autoclosure () -> String) throws(FieldError) -> Value
    {
        switch FixedPoint.parse(b, precision: precision, scale: scale) {
        case .success(let units):
            return .decimal(units)
        case .failure(.notANumber):
            throw expected(shown())
        case .failure(.tooManyFractionDigits(let allowed)):
            throw expected(
                shown(),
                allowed == 0 ? ", which is not a whole number" : ", which has more than \(allowed) decimal place\(allowed == 1 ? "" : "s")")
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
                if p[i] == UInt8(ascii: "]") {
                    i += 1
                    break
                }
                guard p[i] == UInt8(ascii: ",") else { throw expected(ColumnParser.shown(b)) }
                i = JSONScanner.skipWhitespace(p, i + 1, end)
            }
        }
        guard JSONScanner.skipWhitespace(p, i, end) == end else { throw expected(ColumnParser.shown(b)) }
        guard floats.count <= dimensions else { throw expected("an array of \(floats.count) numbers") }
        return .vector(floats)
    }

    // MARK: - Byte helpers

    enum IntegerParse {
        case value(Int64)
        case notANumber, outOfRange
    }

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
        var lo = 0
        var hi = b.count
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

    /// A value quoted for an error message, shortened when long, control characters escaped.
    static func shown(_ b: UnsafeBufferPointer<UInt8>) -> String {
        TerminalText.singleQuoted(String(decoding: b, as: UTF8.self))
    }

    /// A value for an error message, shortened when long, control characters escaped.
    static func shortened(_ s: String) -> String {
        TerminalText.value(s)
    }
}

/// A tighter range than the column type's for an integer column whose values have a meaning
/// (days, counts). The catalog (`DecisioningCore`) does not declare ranges yet, so they are listed here.
struct ColumnDomain {
    var range: ClosedRange<Int64>
    /// What the numbers count, for the error message.
    var unit: String

    /// `INT` is 32 bits on MySQL, MariaDB and HeatWave; ingest enforces that on every engine.
    static let int32 = Int64(Int32.min)...Int64(Int32.max)

    static let known: [String: [String: ColumnDomain]] = [
        "customer_analytics": [
            "payment_terms": ColumnDomain(range: 0...3650, unit: "days"),
            "total_projects": ColumnDomain(range: 0...Int64(Int32.max), unit: "projects"),
        ]
    ]

    static func of(_ table: String, _ column: String) -> ColumnDomain? { known[table]?[column] }

    /// A column holding a key: the primary key, or an identifier referring to another row (`…_id`).
    static func isKey(_ column: ColumnSchema, of table: TableSchema) -> Bool {
        guard case .text = column.type else { return false }
        return table.primaryKey.contains(column.name) || column.name.hasSuffix("_id")
    }
}

/// Exact decimal arithmetic for `DECIMAL(p, s)` columns: a value is an integer count of 10^-s units.
///
/// Money (`DECIMAL(15,2)`) is the common case: 12.34 is stored as 1234 minor units. Parsing and
/// formatting never pass through `Double`, so 9,999,999,999,999.99 survives every round trip.
public enum FixedPoint {
    public enum ParseFailure: Error, Equatable, Sendable {
        case notANumber
        case tooManyFractionDigits(allowed: Int)
        case outOfRange(maxIntegerDigits: Int)
    }

    /// Powers of ten that fit in Int64.
    public static let powersOfTen: [Int64] = (0...18).map { exponent in
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses `[-+]digits[.digits]` into units of 10^-scale, rejecting values outside `DECIMAL(precision, scale)`.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int) -> Result<Int64, ParseFailure> {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var integer: Int64 = 0
        var integerDigits = 0
        var sawDigit = false
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            if integerDigits > 0 || b[i] != 48 { integerDigits += 1 }
            if integerDigits > precision - scale { return .failure(.outOfRange(maxIntegerDigits: precision - scale)) }
            integer = integer * 10 + Int64(b[i] - 48)
            sawDigit = true
            i += 1
        }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fractionDigits += 1
                if fractionDigits > scale {
                    // Trailing zeros beyond the scale lose nothing; anything else would be rounded away.
                    if b[i] != 48 { return .failure(.tooManyFractionDigits(allowed: scale)) }
                } else {
                    fraction = fraction * 10 + Int64(b[i] - 48)
                }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, i == b.count else { return .failure(.notANumber) }
        let usedFraction = min(fractionDigits, scale)
        // 18 integer digits fit an Int64, but not once scaled: refuse rather than trap.
        let (scaled, o1) = integer.multipliedReportingOverflow(by: powersOfTen[scale])
        let (units, o2) = scaled.addingReportingOverflow(fraction * powersOfTen[scale - usedFraction])
        guard !o1, !o2 else { return .failure(.outOfRange(maxIntegerDigits: String(Int64.max / powersOfTen[scale]).count - 1)) }
        return .success(negative ? -units : units)
    }

    public static func parse(_ text: String, precision: Int, scale: Int) -> Result<Int64, ParseFailure> {
        var copy = text
        return copy.withUTF8 { parse($0, precision: precision, scale: scale) }
    }

    /// Formats units as a plain decimal string with exactly `scale` fraction digits (`-1234`, scale 2 → `-12.34`).
    public static func format(_ units: Int64, scale: Int) -> String {
        guard scale > 0 else { return String(units) }
        let magnitude = units.magnitude
        let divisor = UInt64(powersOfTen[scale])
        let whole = String(magnitude / divisor)
        var fraction = String(magnitude % divisor)
        if fraction.count < scale { fraction = String(repeating: "0", count: scale - fraction.count) + fraction }
        return (units < 0 ? "-" : "") + whole + "." + fraction
    }

    /// Converts units to a `Double` for ratios and statistics (never for sums of money).
    public static func double(_ units: Int64, scale: Int) -> Double {
        Double(units) / Double(powersOfTen[scale])
    }

    /// Rounds a `Double` to the nearest unit (half away from zero), for generated or derived values.
    public static func units(_ value: Double, scale: Int) -> Int64 {
        (value * Double(powersOfTen[scale])).rounded(.toNearestOrAwayFromZero).asInt64Clamped
    }
}

extension Double {
    var asInt64Clamped: Int64 {
        if self >= 9.2e18 { return Int64.max }
        if self <= -9.2e18 { return Int64.min }
        return Int64(self)
    }
}

/// An amount of money in minor units (cents for USD), the Swift face of `DECIMAL(15,2)`.
///
/// Sums of money are integer sums: exact, associative, and so independent of evaluation order.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, AdditiveArithmetic {
    public static let scale = 2
    /// The largest value `DECIMAL(15,2)` holds: 9,999,999,999,999.99.
    public static let maxDecimal15 = Money(minorUnits: 999_999_999_999_999)

    public var minorUnits: Int64

    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    /// Rounds to the nearest cent; for generated and derived amounts only.
    public init(approximately value: Double) { minorUnits = FixedPoint.units(value, scale: Money.scale) }

    /// Rounds a derived amount (an estimate computed in `Double`) to the nearest minor unit, or
    /// throws when it is not finite or beyond what `DECIMAL(15,2)` holds: never a trap, never a wrap.
    public init(rounding value: Double, what: String) throws(MoneyRangeError) {
        let units = value.rounded(.toNearestOrAwayFromZero)
        guard units.isFinite, abs(units) <= Double(Money.maxDecimal15.minorUnits) else {
            throw MoneyRangeError(what: what, value: value / 100)
        }
        minorUnits = Int64(units)
    }

    public init?(_ text: String) {
        guard case .success(let units) = FixedPoint.parse(text, precision: 18, scale: Money.scale) else { return nil }
        minorUnits = units
    }

    public static var zero: Money { Money(minorUnits: 0) }
    public static func + (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits + b.minorUnits) }
    public static func - (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits - b.minorUnits) }
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    public var doubleValue: Double { FixedPoint.double(minorUnits, scale: Money.scale) }
    public var description: String { FixedPoint.format(minorUnits, scale: Money.scale) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let money = Money(text) {
            self = money
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a decimal amount such as \"12.34\""))
        }
    }

    /// Encoded as a decimal string so that JSON consumers never see a rounded binary float.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A derived amount beyond `DECIMAL(15,2)`, ±9,999,999,999,999.99: the data holds values too
/// extreme for the estimate to be shown as money.
public struct MoneyRangeError: Error, Sendable, CustomStringConvertible {
    public var what: String
    public var value: Double

    public init(what: String, value: Double) {
        self.what = what
        self.value = value
    }

    public var description: String {
        "\(what) is \(value.isFinite ? String(format: "%.6g", value) : "not a finite number"), beyond the range of DECIMAL(15,2) "
            + "(±9,999,999,999,999.99); check the input data for extreme amounts"
    }
}

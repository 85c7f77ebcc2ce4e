import DecisioningCore

/// The column engine keeps BIGINT and DECIMAL values as 64-bit integers (decimals as units of
/// 10^-scale). Arithmetic on them is checked: a result that does not fit fails the query with
/// `PlanError.integerOverflow`, as SQL engines report "integer overflow", and never wraps around.
extension PlanError {
    /// The message prefix shared by every overflow error, as SQLite words it.
    public static let integerOverflowPrefix = "integer overflow"

    /// `what` (an expression or a measure) has a value outside the 64-bit range of `type`.
    public static func integerOverflow(_ what: String, _ type: DataType?) -> PlanError {
        let range: String
        switch type {
        case .decimal(let scale)?:
            range = "DECIMAL with \(scale) decimal places (at most ±\(FixedPoint.format(Int64.max, scale: scale)))"
        default:
            range = "BIGINT (at most ±\(Int64.max))"
        }
        return PlanError(
            "\(integerOverflowPrefix): \(what) exceeds the range of \(range) that the column engine computes in; "
                + "run the query on MySQL or HeatWave (--on sql), whose DECIMAL arithmetic is wider, "
                + "or filter or group the rows so that each value fits", kind: .integerOverflow)
    }

    /// Whether this error reports a value beyond the engine's 64-bit range.
    public var isIntegerOverflow: Bool { kind == .integerOverflow }
}

/// Thrown by the kernels, which do not know the expression; the evaluator names it.
struct ArithmeticOverflow: Error {}

/// A signed 128-bit integer as two words, for the exact slow paths (and sums) that must not wrap.
/// (`Int128` needs macOS 15; the package supports macOS 14.)
struct WideInt: Comparable {
    var high: Int64
    var low: UInt64

    init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ v: Int64) {
        high = v >> 63
        low = UInt64(bitPattern: v)
    }

    /// The exact value of `wrapped + carries · 2^64`: a 64-bit sum that wrapped `carries` times
    /// (positive carries upwards, negative downwards).
    init(wrapped: Int64, carries: Int64) {
        high = carries &+ (wrapped >> 63)
        low = UInt64(bitPattern: wrapped)
    }

    /// The exact product of two 64-bit integers.
    static func product(_ a: Int64, _ b: Int64) -> WideInt {
        let r = a.multipliedFullWidth(by: b)
        return WideInt(high: r.high, low: r.low)
    }

    static func + (a: WideInt, b: WideInt) -> WideInt {
        let (low, carry) = a.low.addingReportingOverflow(b.low)
        return WideInt(high: a.high &+ b.high &+ (carry ? 1 : 0), low: low)
    }

    static prefix func - (a: WideInt) -> WideInt {
        let low = ~a.low &+ 1
        return WideInt(high: ~a.high &+ (low == 0 ? 1 : 0), low: low)
    }

    static func - (a: WideInt, b: WideInt) -> WideInt { a + -b }

    static func < (a: WideInt, b: WideInt) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// The value when it fits in 64 bits.
    var exact: Int64? {
        let v = Int64(bitPattern: low)
        return high == v >> 63 ? v : nil
    }

    /// The value divided by a positive count, as the nearest `Double` to quotient plus remainder
    /// fraction (averages: the quotient of a sum of n 64-bit values by n fits in 64 bits).
    func divided(by count: Int64) -> Double {
        let negative = high < 0
        let m = negative ? -self : self
        let hi = UInt64(bitPattern: m.high)
        let c = UInt64(count)
        let (qHigh, r1) = hi.quotientAndRemainder(dividingBy: c)
        let (qLow, r) = c.dividingFullWidth((r1, m.low))
        let magnitude = Double(qHigh) * 0x1p64 + Double(qLow) + Double(r) / Double(c)
        return negative ? -magnitude : magnitude
    }
}

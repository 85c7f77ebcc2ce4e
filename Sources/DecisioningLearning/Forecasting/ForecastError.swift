/// Why a series cannot be fitted.
public enum ForecastError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case nonFinite(index: Int)
    case invalidPeriod(Int)
    case notSeasonal(period: Int)
    case tooShort(kind: ExponentialSmoothing.Kind, count: Int, minimum: Int)
    case notPositive(kind: ExponentialSmoothing.Kind, index: Int)
    /// The optimiser found no parameters keeping a multiplicative form's states and one-step forecasts positive over the series.
    case noAdmissibleFit(kind: ExponentialSmoothing.Kind)

    public var description: String {
        switch self {
        case .empty: return "the series is empty"
        case .nonFinite(let i): return "the series has a non-finite value (NaN or infinity) at index \(i)"
        case .invalidPeriod(let p): return "the seasonal period must be at least 1, found \(p)"
        case .notSeasonal(let p): return "a seasonal model needs a period of at least 2, found \(p)"
        case .tooShort(let kind, let count, let minimum):
            return "\(kind.notation) needs at least \(minimum) observations\(kind.isSeasonal ? " (two full seasons)" : ""), found \(count)"
        case .notPositive(let kind, let index):
            return "\(kind.notation) needs a strictly positive series; the value at index \(index) is not"
        case .noAdmissibleFit(let kind):
            return
                "\(kind.notation) found no parameters keeping its states admissible (positive level and seasonal factors) over the series"
        }
    }
}

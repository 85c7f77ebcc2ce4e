import DecisioningCore
import Foundation

/// An exponential smoothing model in innovations state space form with additive errors
/// (Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", 2008).
///
/// Five members of the family, with ℓ the level, b the trend, s the seasonal state of the same
/// season one period earlier, ε the one-step error and φ the damping factor:
///
/// | kind | ETS | one-step forecast ŷ | state updates |
/// |---|---|---|---|
/// | `simple` | (A,N,N) | ℓ | ℓ += αε |
/// | `holt` | (A,A,N) | ℓ + b | ℓ = ℓ + b + αε, b += βε |
/// | `dampedTrend` | (A,Ad,N) | ℓ + φb | ℓ = ℓ + φb + αε, b = φb + βε |
/// | `additiveSeasonal` | (A,A,A) | ℓ + b + s | as Holt, s += γε |
/// | `multiplicativeSeasonal` | (A,A,M) | (ℓ + b)·s | ℓ = ℓ + b + αε/s, b += βε/s, s += γε/(ℓ + b) |
///
/// **Fitting.** α, β, γ, φ minimise the sum of squared one-step errors (equivalently, for additive
/// errors, maximise the Gaussian likelihood) over the usual admissible region 0 < α < 1, 0 < β < α,
/// 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98, with a deterministic Nelder–Mead search (three fixed starts and a
/// restart from the best) on logistic transforms of the parameters. Initial states start from the classical
/// heuristic (seasonal indices from a centred moving average over the first (up to three) seasons, level and trend
/// from a straight line through the first seasonally adjusted values) and are then estimated with the
/// parameters: for every candidate parameter vector Gauss–Newton steps on the initial states — one for the
/// four linear models, where it is the exact least-squares solution, three for (A,A,M), which gets five more
/// at the optimum (a local optimum: on series with a steep start (A,A,M) can stay above (A,A,A)'s SSE).
/// Seasonal initial states are constrained to sum to 0 (additive) or
/// to average 1 (multiplicative).
///
/// **Selection.** AICc with k = smoothing parameters + free initial states + 1 (the variance), as in
/// Hyndman et al.; σ² for intervals is SSE / (n − k + 1), the SSE over the residual degrees of freedom
/// of the parameters and initial states (SSE / n when n is not larger).
///
/// **Intervals.** Linear models: the analytical variance σ²(1 + Σ_{j<h} c_j²) (Hyndman et al., Table
/// 6.1, class 1); (A,A,M): quantiles of 10,000 simulated sample paths drawn from `SeededRandom` with a
/// fixed seed, so intervals are deterministic; its point forecast is (ℓ + h·b)·s (the conditional mean for h ≤ period).
public struct ExponentialSmoothing: Sendable, Codable, Equatable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case simple, holt, dampedTrend, additiveSeasonal, multiplicativeSeasonal

        /// The ETS(error, trend, season) label.
        public var notation: String {
            switch self {
            case .simple: return "ETS(A,N,N)"
            case .holt: return "ETS(A,A,N)"
            case .dampedTrend: return "ETS(A,Ad,N)"
            case .additiveSeasonal: return "ETS(A,A,A)"
            case .multiplicativeSeasonal: return "ETS(A,A,M)"
            }
        }

        public var hasTrend: Bool { self != .simple }
        public var isDamped: Bool { self == .dampedTrend }
        public var isSeasonal: Bool { self == .additiveSeasonal || self == .multiplicativeSeasonal }
        var isMultiplicative: Bool { self == .multiplicativeSeasonal }

        /// The fewest observations a fit accepts.
        public func minimumLength(period: Int) -> Int {
            switch self {
            case .simple: return 2
            case .holt, .dampedTrend: return 3
            case .additiveSeasonal, .multiplicativeSeasonal: return 2 * period
            }
        }
    }

    /// Smoothing parameters; those a kind does not use are nil.
    public struct Parameters: Sendable, Codable, Equatable {
        public var alpha: Double
        public var beta: Double?
        public var gamma: Double?
        public var phi: Double?
    }

    /// The state vector: level, trend (0 without trend) and `period` seasonal states, where
    /// `season[i]` belongs to the observations with index ≡ i (mod period) (empty without seasonality).
    public struct State: Sendable, Codable, Equatable {
        public var level: Double
        public var trend: Double
        public var season: [Double]
    }

    public let kind: Kind
    public let period: Int
    public let parameters: Parameters
    /// The estimated states before the first observation.
    public let initialState: State
    /// The states after the last observation, from which forecasts start.
    public let finalState: State
    /// Number of observations fitted.
    public let count: Int
    /// Sum of squared one-step errors.
    public let sse: Double
    /// Innovation variance used for the intervals.
    public let sigma2: Double
    /// Smoothing parameters + free initial states + 1 (the variance).
    public let parameterCount: Int
    /// Gaussian log-likelihood; nil when the fit is exact (SSE = 0).
    public let logLikelihood: Double?
    /// nil when undefined: exact fit, or too few observations for the parameter count (n ≤ k + 1).
    public let aic: Double?
    public let aicc: Double?
    /// Anything degenerate about the fit, e.g. a constant series.
    public let notes: [String]

    // MARK: - Fitting

    /// Fits one member of the family.
    ///
    /// Throws for an empty series, non-finite values, a period below 1, fewer observations than
    /// `kind.minimumLength(period:)` (two full seasons for the seasonal kinds), a seasonal kind with period 1,
    /// and `multiplicativeSeasonal` on a series that is not strictly positive. A constant series gives a
    /// documented degenerate model: the value repeated, zero variance, zero-width intervals, no AICc.
    public static func fit(_ y: [Double], kind: Kind, period: Int = 12) throws(ForecastError) -> ExponentialSmoothing {
        try validate(y, period: period)
        if kind.isSeasonal && period < 2 { throw .notSeasonal(period: period) }
        let minimum = kind.minimumLength(period: period)
        guard y.count >= minimum else { throw .tooShort(kind: kind, count: y.count, minimum: minimum) }
        if kind.isMultiplicative, let bad = y.firstIndex(where: { $0 <= 0 }) { throw .notPositive(kind: kind, index: bad) }
        return try ETSFitter(y: y, kind: kind, period: period).fit()
    }

    /// One candidate of a selection: its AICc, or why it was not fitted.
    public struct Candidate: Sendable, Codable, Equatable {
        public let kind: Kind
        public let aicc: Double?
        public let skipped: String?
    }

    /// The model with the lowest AICc, every candidate considered, and notes on fallbacks.
    public struct Selection: Sendable, Codable, Equatable {
        public let best: ExponentialSmoothing
        public let candidates: [Candidate]
        /// Why candidates were skipped or how the choice was made when AICc could not decide.
        public let notes: [String]

        public var tried: [(kind: Kind, aicc: Double)] { candidates.compactMap { c in c.aicc.map { (c.kind, $0) } } }
    }

    /// Fits every applicable kind and keeps the lowest AICc.
    ///
    /// Seasonal kinds are tried only with period ≥ 2 and at least two full seasons (otherwise the result
    /// falls back to non-seasonal models and says so in `notes`); the multiplicative kind only for strictly
    /// positive series. When no candidate has an AICc (exact fits, very short series) the simplest fitted
    /// kind is chosen and `notes` says so. Ties keep the earlier kind in `Kind.allCases` order.
    public static func select(_ y: [Double], period: Int = 12) throws(ForecastError) -> Selection {
        try validate(y, period: period)
        guard y.count >= 2 else { throw .tooShort(kind: .simple, count: y.count, minimum: 2) }
        var candidates: [Candidate] = []
        var notes: [String] = []
        var fitted: [ExponentialSmoothing] = []
        let positive = y.allSatisfy { $0 > 0 }
        let constant = y.allSatisfy { $0 == y[0] }
        if constant { notes.append("constant series: the simple model repeats the value with zero-width intervals") }
        for kind in Kind.allCases {
            var reason: String?
            if constant && kind != .simple {
                reason = "constant series"
            } else if kind.isSeasonal && period < 2 {
                reason = "period \(period) has no seasonality"
            } else if y.count < kind.minimumLength(period: period) {
                reason =
                    kind.isSeasonal
                    ? "\(y.count) observations, fewer than two full seasons of \(period)"
                    : "\(y.count) observations, fewer than \(kind.minimumLength(period: period))"
            } else if kind.isMultiplicative && !positive {
                reason = "the series is not strictly positive"
            }
            if let reason {
                candidates.append(Candidate(kind: kind, aicc: nil, skipped: reason))
                continue
            }
            let model: ExponentialSmoothing
            do throws(ForecastError) {
                model = try ETSFitter(y: y, kind: kind, period: period).fit()
            } catch {
                candidates.append(Candidate(kind: kind, aicc: nil, skipped: error.description))
                continue
            }
            fitted.append(model)
            candidates.append(
                Candidate(kind: kind, aicc: model.aicc, skipped: model.aicc == nil ? "AICc undefined (exact fit or n ≤ k + 1)" : nil))
        }
        if period >= 2 && y.count < 2 * period && !constant {
            notes.append(
                "seasonal models skipped: \(y.count) observations, fewer than two full seasons of \(period); non-seasonal models only")
        }
        var best: ExponentialSmoothing?
        for model in fitted {
            guard let a = model.aicc else { continue }
            if best == nil || a < best!.aicc! { best = model }
        }
        if best == nil {
            best = fitted[0]
            if !constant {
                notes.append("no candidate has an AICc (too few observations for the parameters); chose \(fitted[0].kind.notation)")
            }
        }
        return Selection(best: best!, candidates: candidates, notes: notes)
    }

    static func validate(_ y: [Double], period: Int) throws(ForecastError) {
        guard !y.isEmpty else { throw .empty }
        if let bad = y.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
        guard period >= 1 else { throw .invalidPeriod(period) }
    }

    // MARK: - Forecasting

    /// Point forecasts and prediction intervals for the next `horizon` observations.
    ///
    /// `level` is the interval's nominal coverage, 0 < level < 1. Linear kinds use the analytical
    /// variance; `multiplicativeSeasonal` simulates 10,000 paths with a fixed seed. Deterministic: the same
    /// model (also after a Codable round trip) gives bit-identical forecasts.
    public func forecast(_ horizon: Int, level: Double = 0.8) -> [ForecastStep] {
        precondition(horizon >= 0, "the horizon must not be negative")
        precondition(level > 0 && level < 1, "the interval level must lie strictly between 0 and 1")
        guard horizon > 0 else { return [] }
        let means = (1...horizon).map(pointForecast)
        let sigma = sigma2.squareRoot()
        if sigma == 0 {
            return means.enumerated().map { ForecastStep(step: $0.offset + 1, mean: $0.element, lower: $0.element, upper: $0.element) }
        }
        if kind.isMultiplicative {
            let (lower, upper) = simulatedQuantiles(horizon, level: level)
            return (0..<horizon).map { ForecastStep(step: $0 + 1, mean: means[$0], lower: lower[$0], upper: upper[$0]) }
        }
        let z = ForecastOptimizer.normalQuantile((1 + level) / 2)
        var steps: [ForecastStep] = []
        var sumC2 = 0.0
        let alpha = parameters.alpha
        let beta = parameters.beta ?? 0
        let gamma = parameters.gamma ?? 0
        let phi = parameters.phi ?? 1
        var phiSum = 0.0
        var phiPower = 1.0
        for h in 1...horizon {
            let variance = sigma2 * (1 + sumC2)
            let half = z * variance.squareRoot()
            steps.append(ForecastStep(step: h, mean: means[h - 1], lower: means[h - 1] - half, upper: means[h - 1] + half))
            // c_j for j = h, used by step h + 1.
            let j = h
            var c = alpha
            switch kind {
            case .simple: break
            case .holt, .additiveSeasonal: c += beta * Double(j)
            case .dampedTrend:
                phiPower *= phi
                phiSum += phiPower
                c += beta * phiSum
            case .multiplicativeSeasonal: break
            }
            if kind == .additiveSeasonal && j % period == 0 { c += gamma }
            sumC2 += c * c
        }
        return steps
    }

    /// The h-step point forecast (h ≥ 1).
    func pointForecast(_ h: Int) -> Double {
        let s = finalState
        var trendPart = 0.0
        if kind.hasTrend {
            if let phi = parameters.phi {
                var p = 1.0
                var sum = 0.0
                for _ in 0..<h {
                    p *= phi
                    sum += p
                }
                trendPart = sum * s.trend
            } else {
                trendPart = Double(h) * s.trend
            }
        }
        let base = s.level + trendPart
        guard kind.isSeasonal else { return base }
        let season = s.season[(count + h - 1) % period]
        return kind.isMultiplicative ? base * season : base + season
    }

    static let simulationPaths = 10_000
    static let simulationSeed: UInt64 = 0x45_54_53_41_41_4D  // "ETSAAM"

    private func simulatedQuantiles(_ horizon: Int, level: Double) -> ([Double], [Double]) {
        var rng = SeededRandom(seed: Self.simulationSeed)
        let paths = Self.simulationPaths
        var draws = [[Double]](repeating: [Double](repeating: 0, count: paths), count: horizon)
        let sigma = sigma2.squareRoot()
        let alpha = parameters.alpha
        let beta = parameters.beta ?? 0
        let gamma = parameters.gamma ?? 0
        var season = finalState.season
        for p in 0..<paths {
            var l = finalState.level
            var b = finalState.trend
            for i in 0..<period { season[i] = finalState.season[i] }
            for h in 0..<horizon {
                let index = (count + h) % period
                let s = season[index]
                let lb = l + b
                let e = rng.normal(sd: sigma)
                draws[h][p] = lb * s + e
                l = lb + (s != 0 ? alpha * e / s : 0)
                b += s != 0 ? beta * e / s : 0
                if lb != 0 { season[index] = s + gamma * e / lb }
            }
        }
        var lower: [Double] = []
        var upper: [Double] = []
        let lo = (1 - level) / 2
        let hi = (1 + level) / 2
        for h in 0..<horizon {
            let sorted = draws[h].sorted()
            lower.append(Self.quantile(sorted, lo))
            upper.append(Self.quantile(sorted, hi))
        }
        return (lower, upper)
    }

    /// Linear interpolation between order statistics (type 7).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let i = Int(position.rounded(.down))
        let f = position - Double(i)
        return i + 1 < sorted.count ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i]
    }

    /// One-step-ahead in-sample forecasts (fitted values) of `y` under this model's parameters and initial state.
    public func fittedValues(_ y: [Double]) -> [Double] {
        var filter = ETSFilter(kind: kind, period: period, parameters: parameters)
        var fitted: [Double] = []
        _ = filter.run(y, from: initialState, fitted: &fitted)
        return fitted
    }
}

/// One forecast step: the point forecast and the prediction interval's bounds.
public struct ForecastStep: Sendable, Codable, Equatable {
    /// 1 for the first period after the data.
    public let step: Int
    public let mean: Double
    public let lower: Double
    public let upper: Double
}

public enum ForecastError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case nonFinite(index: Int)
    case invalidPeriod(Int)
    case notSeasonal(period: Int)
    case tooShort(kind: ExponentialSmoothing.Kind, count: Int, minimum: Int)
    case notPositive(kind: ExponentialSmoothing.Kind, index: Int)
    /// The optimiser found no parameters keeping (A,A,M)'s ℓ + b and seasonal states positive over the series.
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

import DecisioningCore
import Foundation

/// An exponential smoothing model in innovations state space form
/// (Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", 2008).
///
/// A `Kind` names the error (additive A, multiplicative M), trend (none N, additive A, damped Ad) and season (N, A, M):
/// ETS(A,N,N) is simple smoothing, ETS(A,A,A) additive Holt–Winters, ETS(M,Ad,M) a damped trend with a multiplicative
/// season and multiplicative errors. `ETSFilter` gives the state equations; both error forms share them and differ in
/// the likelihood (relative errors ε = e/ŷ, −2 log L = n log(2π Σε²/n) + n + 2 Σ log ŷ, as in R's `ets`) and so in
/// their estimates, AICc and intervals.
///
/// **Fitting.** α, β, γ, φ and the initial states maximise the Gaussian likelihood over the usual region
/// 0 < α < 1, 0 < β < α, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98 (`ETSFitter`: block coordinate descent, Nelder–Mead on the
/// parameters, Gauss–Newton on the initial states). Initial states start from the classical heuristic: seasonal
/// indices from a centred moving average over the first (up to three) seasons (ratios for a multiplicative season),
/// level and trend from a straight line through the first seasonally adjusted values. Seasonal initial states are
/// constrained to sum to 0 (additive) or to average 1 (multiplicative).
///
/// **Selection.** AICc with k = smoothing parameters + free initial states + 1 (the variance), as in
/// Hyndman et al.; σ² for intervals is the error variance (of e, or of ε with multiplicative errors) over the
/// residual degrees of freedom n − k + 1 (over n when n is not larger).
///
/// **Intervals.** Additive errors without a multiplicative season: the analytical variance σ²(1 + Σ_{j<h} c_j²)
/// (Hyndman et al., Table 6.1, class 1); multiplicative errors without a multiplicative season: the exact variance
/// (1 + σ²)θ_h − μ_h² of class 2 with a normal quantile; a multiplicative season: quantiles of simulated sample paths
/// drawn from `SeededRandom` with a fixed seed, so intervals are deterministic. Point forecasts are the paths with zero
/// errors (the conditional mean for the linear models, and for h ≤ period otherwise).
public struct ExponentialSmoothing: Sendable, Codable, Equatable {
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
    /// Sum of squared one-step errors e = y − ŷ.
    public let sse: Double
    /// Innovation variance used for the intervals: of e (additive errors) or of ε = e/ŷ (multiplicative errors).
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
    /// and a multiplicative season or multiplicative errors on a series that is not strictly positive. A constant series
    /// gives a documented degenerate model: the value repeated, zero variance, zero-width intervals, no AICc. A seasonal
    /// kind first fits the same form without the season, whose optimum is one of its starts (`select` reuses the one it
    /// fitted), so its likelihood is never below that of the form it contains.
    public static func fit(_ y: [Double], kind: Kind, period: Int = 12) throws(ForecastError) -> ExponentialSmoothing {
        try validate(y, period: period)
        if kind.isSeasonal && period < 2 { throw .notSeasonal(period: period) }
        let minimum = kind.minimumLength(period: period)
        guard y.count >= minimum else { throw .tooShort(kind: kind, count: y.count, minimum: minimum) }
        if kind.needsPositive, let bad = y.firstIndex(where: { $0 <= 0 }) { throw .notPositive(kind: kind, index: bad) }
        return try ETSFitter(y: y, kind: kind, period: period).fit()
    }

    static func validate(_ y: [Double], period: Int) throws(ForecastError) {
        guard !y.isEmpty else { throw .empty }
        if let bad = y.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: bad) }
        guard period >= 1 else { throw .invalidPeriod(period) }
    }

    // MARK: - Forecasting

    /// Point forecasts and prediction intervals for the next `horizon` observations.
    ///
    /// `level` is the interval's nominal coverage, 0 < level < 1. Deterministic: the same model (also after a
    /// Codable round trip) gives bit-identical forecasts.
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
            return (0..<horizon).map {
                ForecastStep(step: $0 + 1, mean: means[$0], lower: min(lower[$0], means[$0]), upper: max(upper[$0], means[$0]))
            }
        }
        let z = ForecastOptimizer.normalQuantile((1 + level) / 2)
        let q = ETSSmoothing(parameters)
        // c_j = α + β·(j, or φ + … + φ^j when damped) + γ·[j ≡ 0 mod period], j ≥ 1.
        var c = [Double](repeating: 0, count: horizon)
        var phiSum = 0.0
        var phiPower = 1.0
        for j in 1..<max(horizon, 1) {
            var cj = q.alpha
            if kind.isDamped {
                phiPower *= q.phi
                phiSum += phiPower
                cj += q.beta * phiSum
            } else if kind.hasTrend {
                cj += q.beta * Double(j)
            }
            if kind.isSeasonal && j % period == 0 { cj += q.gamma }
            c[j] = cj
        }
        var steps: [ForecastStep] = []
        if kind.error == .additive {
            // Class 1: v_h = σ²(1 + Σ_{j<h} c_j²).
            var sumC2 = 0.0
            for h in 1...horizon {
                if h > 1 { sumC2 += c[h - 1] * c[h - 1] }
                let half = z * (sigma2 * (1 + sumC2)).squareRoot()
                steps.append(ForecastStep(step: h, mean: means[h - 1], lower: means[h - 1] - half, upper: means[h - 1] + half))
            }
            return steps
        }
        // Class 2: v_h = (1 + σ²)θ_h − μ_h², θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}.
        var theta = [Double](repeating: 0, count: horizon + 1)
        for h in 1...horizon {
            let mu = means[h - 1]
            var sum = 0.0
            for j in stride(from: 1, to: h, by: 1) { sum += c[j] * c[j] * theta[h - j] }
            theta[h] = mu * mu + sigma2 * sum
            let variance = max((1 + sigma2) * theta[h] - mu * mu, 0)
            let half = z * variance.squareRoot()
            steps.append(ForecastStep(step: h, mean: mu, lower: mu - half, upper: mu + half))
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

    static let simulationPaths = 1_000
    static let simulationSeed: UInt64 = 0x45_54_53_41_41_4D  // "ETSAAM"

    /// Quantiles of `simulationPaths` sample paths: errors N(0, σ²), or ŷ·N(0, σ²) with multiplicative errors (normal
    /// variates by Box–Muller from `SeededRandom`, both of each pair used; the quantiles by selection, type 7).
    private func simulatedQuantiles(_ horizon: Int, level: Double) -> ([Double], [Double]) {
        var rng = SeededRandom(seed: Self.simulationSeed)
        let paths = Self.simulationPaths
        var draws = [Double](repeating: 0, count: paths * horizon)
        let sigma = sigma2.squareRoot()
        let q = ETSSmoothing(parameters)
        let phi = kind.isDamped ? q.phi : 1
        let beta = kind.hasTrend ? q.beta : 0
        let relative = kind.error == .multiplicative
        var season = finalState.season
        var spare: Double?
        for p in 0..<paths {
            var l = finalState.level
            var b = kind.hasTrend ? finalState.trend : 0
            for i in 0..<period { season[i] = finalState.season[i] }
            for h in 0..<horizon {
                let index = (count + h) % period
                let s = season[index]
                let phib = phi * b
                let lb = l + phib
                let mean = lb * s
                let z: Double
                if let pending = spare {
                    z = pending
                    spare = nil
                } else {
                    var u = rng.unit()
                    while u <= .leastNonzeroMagnitude { u = rng.unit() }
                    let radius = (-2 * log(u)).squareRoot()
                    let angle = 2 * Double.pi * rng.unit()
                    z = radius * cos(angle)
                    spare = radius * sin(angle)
                }
                let e = relative ? mean * sigma * z : sigma * z
                draws[h * paths + p] = mean + e
                l = lb + (s != 0 ? q.alpha * e / s : 0)
                b = phib + (s != 0 ? beta * e / s : 0)
                if lb != 0 { season[index] = s + q.gamma * e / lb }
            }
        }
        var lower: [Double] = []
        var upper: [Double] = []
        draws.withUnsafeMutableBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for h in 0..<horizon {
                let values = base + h * paths
                lower.append(Self.quantile(values, paths, (1 - level) / 2))
                upper.append(Self.quantile(values, paths, (1 + level) / 2))
            }
        }
        return (lower, upper)
    }

    /// The type-7 quantile (linear interpolation between order statistics) of `values[0..<count]`, which it reorders.
    static func quantile(_ values: UnsafeMutablePointer<Double>, _ count: Int, _ p: Double) -> Double {
        let position = p * Double(count - 1)
        let i = Int(position.rounded(.down))
        let f = position - Double(i)
        let low = select(values, count, i)
        guard i + 1 < count, f > 0 else { return low }
        var next = Double.infinity
        for k in (i + 1)..<count where values[k] < next { next = values[k] }
        return low + f * (next - low)
    }

    /// Reorders `values[0..<count]` so that index `k` holds its k-th smallest value, smaller ones before it and larger
    /// ones after (Hoare's selection with a median-of-three pivot); returns that value.
    static func select(_ values: UnsafeMutablePointer<Double>, _ count: Int, _ k: Int) -> Double {
        var left = 0
        var right = count - 1
        while right > left {
            let middle = left + (right - left) / 2
            if values[middle] < values[left] { swap(&values[middle], &values[left]) }
            if values[right] < values[left] { swap(&values[right], &values[left]) }
            if values[right] < values[middle] { swap(&values[right], &values[middle]) }
            let pivot = values[middle]
            var i = left
            var j = right
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    if i != j { swap(&values[i], &values[j]) }
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                right = j
            } else if k >= i {
                left = i
            } else {
                break
            }
        }
        return values[k]
    }

    /// One-step-ahead in-sample forecasts (fitted values) of `y` under this model's parameters and initial state.
    public func fittedValues(_ y: [Double]) -> [Double] {
        var fitted = [Double](repeating: 0, count: y.count)
        var season = initialState.season
        if season.isEmpty { season = [0] }
        y.withUnsafeBufferPointer { series in
            fitted.withUnsafeMutableBufferPointer { out in
                season.withUnsafeMutableBufferPointer { s in
                    guard let base = series.baseAddress, let seasonBase = s.baseAddress else { return }
                    _ = ETSFilter.run(
                        kind, period: period, ETSSmoothing(parameters), y: base, n: y.count, level: initialState.level,
                        trend: initialState.trend, season: seasonBase, errors: nil, fitted: out.baseAddress)
                }
            }
        }
        return fitted
    }
}

import Foundation

/// The innovations filter: runs a model's state equations over a series from given initial states.
struct ETSFilter {
    let kind: ExponentialSmoothing.Kind
    let period: Int
    let alpha: Double, beta: Double, gamma: Double, phi: Double
    private var season: [Double]

    init(kind: ExponentialSmoothing.Kind, period: Int, parameters: ExponentialSmoothing.Parameters) {
        self.kind = kind
        self.period = period
        alpha = parameters.alpha
        beta = parameters.beta ?? 0
        gamma = parameters.gamma ?? 0
        phi = parameters.phi ?? 1
        season = [Double](repeating: 0, count: kind.isSeasonal ? period : 0)
    }

    /// Writes the one-step errors into `errors` (resized to y.count) and returns the final state, or nil when
    /// the multiplicative model leaves its admissible region (non-positive ℓ + b or seasonal state).
    mutating func errors(
        _ y: [Double], level: Double, trend: Double, season initial: ArraySlice<Double>,
        into errors: inout [Double]
    ) -> (level: Double, trend: Double)? {
        let n = y.count
        if errors.count != n { errors = [Double](repeating: 0, count: n) }
        var l = level
        var b = kind.hasTrend ? trend : 0
        let m = period
        switch kind {
        case .simple:
            for t in 0..<n {
                let e = y[t] - l
                errors[t] = e
                l += alpha * e
            }
        case .holt, .dampedTrend:
            for t in 0..<n {
                let lb = l + phi * b
                let e = y[t] - lb
                errors[t] = e
                l = lb + alpha * e
                b = phi * b + beta * e
            }
        case .additiveSeasonal:
            var i = 0
            for s in initial {
                season[i] = s
                i += 1
            }
            var j = 0
            for t in 0..<n {
                let lb = l + b
                let s = season[j]
                let e = y[t] - lb - s
                errors[t] = e
                l = lb + alpha * e
                b += beta * e
                season[j] = s + gamma * e
                j += 1
                if j == m { j = 0 }
            }
        case .multiplicativeSeasonal:
            var i = 0
            for s in initial {
                season[i] = s
                i += 1
            }
            var j = 0
            for t in 0..<n {
                let lb = l + b
                let s = season[j]
                guard lb > 0, s > 0 else { return nil }
                let e = y[t] - lb * s
                errors[t] = e
                l = lb + alpha * e / s
                b += beta * e / s
                season[j] = s + gamma * e / lb
                j += 1
                if j == m { j = 0 }
            }
        }
        return (l, b)
    }

    var finalSeason: [Double] { season }

    /// Runs the filter from `state`, collecting the one-step forecasts; returns the final state.
    mutating func run(_ y: [Double], from state: ExponentialSmoothing.State, fitted: inout [Double]) -> ExponentialSmoothing.State? {
        var buffer: [Double] = []
        guard let end = errors(y, level: state.level, trend: state.trend, season: state.season[...], into: &buffer) else { return nil }
        fitted = zip(y, buffer).map { $0 - $1 }
        return ExponentialSmoothing.State(level: end.level, trend: kind.hasTrend ? end.trend : 0, season: season)
    }
}

/// Estimates one model: parameters by Nelder–Mead on the SSE, initial states by Gauss–Newton.
final class ETSFitter {
    typealias Kind = ExponentialSmoothing.Kind
    let y: [Double]
    let kind: Kind
    let period: Int
    let n: Int
    /// Number of free initial states: level, trend, period − 1 seasonal states.
    let stateCount: Int
    /// Number of smoothing parameters.
    let parameterCount: Int
    let scale: Double
    private var errorBuffer: [Double] = []
    private var probeBuffer: [Double] = []
    private var seasonBuffer: [Double]

    static let lower = 1e-4, upper = 1 - 1e-4
    static let phiLower = 0.8, phiUpper = 0.98
    /// Fixed starting points (α, β/α, γ/(1 − α), φ).
    static let starts: [[Double]] = [[0.1, 0.1, 0.1, 0.9], [0.5, 0.3, 0.3, 0.95], [0.9, 0.05, 0.5, 0.85]]

    init(y: [Double], kind: Kind, period: Int) {
        self.y = y
        self.kind = kind
        self.period = period
        n = y.count
        stateCount = 1 + (kind.hasTrend ? 1 : 0) + (kind.isSeasonal ? period - 1 : 0)
        parameterCount = 1 + (kind.hasTrend ? 1 : 0) + (kind.isSeasonal ? 1 : 0) + (kind.isDamped ? 1 : 0)
        scale = max(y.reduce(0) { $0 + abs($1) } / Double(max(1, y.count)), 1e-12)
        seasonBuffer = [Double](repeating: 0, count: kind.isSeasonal ? period : 0)
    }

    // MARK: Parameters

    private static func squash(_ z: Double, _ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) / (1 + exp(-z)) }
    private static func unsquash(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let u = (v - lo) / (hi - lo)
        return log(u / (1 - u))
    }

    func parameters(_ z: [Double]) -> ExponentialSmoothing.Parameters {
        var i = 0
        let alpha = Self.squash(z[i], Self.lower, Self.upper)
        i += 1
        var p = ExponentialSmoothing.Parameters(alpha: alpha, beta: nil, gamma: nil, phi: nil)
        if kind.hasTrend {
            p.beta = alpha * Self.squash(z[i], Self.lower, Self.upper)
            i += 1
        }
        if kind.isSeasonal {
            p.gamma = (1 - alpha) * Self.squash(z[i], Self.lower, Self.upper)
            i += 1
        }
        if kind.isDamped {
            p.phi = Self.squash(z[i], Self.phiLower, Self.phiUpper)
            i += 1
        }
        return p
    }

    func transformed(_ start: [Double]) -> [Double] {
        var z = [Self.unsquash(start[0], Self.lower, Self.upper)]
        if kind.hasTrend { z.append(Self.unsquash(start[1], Self.lower, Self.upper)) }
        if kind.isSeasonal { z.append(Self.unsquash(start[2], Self.lower, Self.upper)) }
        if kind.isDamped { z.append(Self.unsquash(start[3], Self.phiLower, Self.phiUpper)) }
        return z
    }

    // MARK: Initial states

    /// Free initial-state vector → (level, trend, full season) with the seasonal constraint applied.
    private func fillSeason(_ x: [Double]) {
        guard kind.isSeasonal else { return }
        let offset = kind.hasTrend ? 2 : 1
        var sum = 0.0
        for i in 0..<(period - 1) {
            seasonBuffer[i] = x[offset + i]
            sum += x[offset + i]
        }
        seasonBuffer[period - 1] = kind.isMultiplicative ? Double(period) - sum : -sum
    }

    func state(_ x: [Double]) -> ExponentialSmoothing.State {
        fillSeason(x)
        return ExponentialSmoothing.State(level: x[0], trend: kind.hasTrend ? x[1] : 0, season: seasonBuffer)
    }

    /// The classical heuristic: seasonal indices from a centred moving average over the first (up to three)
    /// full seasons, level and trend from a least-squares line through the first seasonally adjusted values.
    func heuristicStates() -> [Double] {
        var index = [Double](repeating: kind.isMultiplicative ? 1 : 0, count: kind.isSeasonal ? period : 0)
        var adjusted = y
        if kind.isSeasonal {
            let m = period
            let length = min(n / m, 3) * m
            var sums = [Double](repeating: 0, count: m)
            var counts = [Double](repeating: 0, count: m)
            let half = m / 2
            for t in half..<(length - half) {
                var ma = 0.0
                if m % 2 == 0 {
                    ma = 0.5 * y[t - half] + 0.5 * y[t + half]
                    for k in (t - half + 1)..<(t + half) { ma += y[k] }
                } else {
                    for k in (t - half)...(t + half) { ma += y[k] }
                }
                ma /= Double(m)
                let detrended = kind.isMultiplicative ? (ma > 0 ? y[t] / ma : 1) : y[t] - ma
                sums[t % m] += detrended
                counts[t % m] += 1
            }
            for j in 0..<m { index[j] = counts[j] > 0 ? sums[j] / counts[j] : (kind.isMultiplicative ? 1 : 0) }
            let mean = index.reduce(0, +) / Double(m)
            for j in 0..<m { index[j] = kind.isMultiplicative ? (mean > 0 ? index[j] / mean : 1) : index[j] - mean }
            for t in 0..<n { adjusted[t] = kind.isMultiplicative ? y[t] / index[t % m] : y[t] - index[t % m] }
        }
        var x: [Double]
        if kind.hasTrend {
            let k = kind.isSeasonal ? min(n, 2 * period) : min(n, 10)
            let tMean = Double(k - 1) / 2
            let yMean = adjusted.prefix(k).reduce(0, +) / Double(k)
            var sxy = 0.0
            var sxx = 0.0
            for t in 0..<k {
                sxy += (Double(t) - tMean) * (adjusted[t] - yMean)
                sxx += (Double(t) - tMean) * (Double(t) - tMean)
            }
            let slope = sxx > 0 ? sxy / sxx : 0
            let intercept = yMean - slope * tMean
            x = [intercept - slope, slope]
        } else {
            x = [adjusted[0]]
        }
        if kind.isSeasonal { x.append(contentsOf: index.prefix(period - 1)) }
        return x
    }

    // MARK: Objective

    /// SSE of the one-step errors from free initial states `x`, errors left in `buffer`; +∞ when inadmissible.
    private func sse(_ x: [Double], _ filter: inout ETSFilter, _ buffer: inout [Double]) -> Double {
        fillSeason(x)
        guard filter.errors(y, level: x[0], trend: kind.hasTrend ? x[1] : 0, season: seasonBuffer[...], into: &buffer) != nil else {
            return .infinity
        }
        var s = 0.0
        for e in buffer { s += e * e }
        return s.isFinite ? s : .infinity
    }

    /// Gauss–Newton steps on the initial states for fixed parameters (forward-difference Jacobian, exact
    /// for the linear models, where one step reaches the least-squares optimum); each step is halved up to
    /// four times until the SSE decreases.
    func refineStates(_ start: [Double], _ parameters: ExponentialSmoothing.Parameters, iterations: Int) -> (x: [Double], sse: Double) {
        var filter = ETSFilter(kind: kind, period: period, parameters: parameters)
        var x = start
        var current = sse(x, &filter, &errorBuffer)
        guard current.isFinite else { return (x, current) }
        let p = stateCount
        var jacobian = [Double](repeating: 0, count: n * p)
        for _ in 0..<iterations {
            let base = errorBuffer
            for j in 0..<p {
                let isSeasonState = j >= (kind.hasTrend ? 2 : 1)
                let h = kind.isMultiplicative ? (isSeasonState ? 1e-6 : 1e-6 * scale) : 1e-2 * scale
                var probe = x
                probe[j] += h
                guard sse(probe, &filter, &probeBuffer).isFinite else { return (x, current) }
                for t in 0..<n { jacobian[t * p + j] = (probeBuffer[t] - base[t]) / h }
            }
            var a = [Double](repeating: 0, count: p * p)
            var g = [Double](repeating: 0, count: p)
            for t in 0..<n {
                let row = t * p
                for i in 0..<p {
                    let ji = jacobian[row + i]
                    if ji == 0 { continue }
                    g[i] -= ji * base[t]
                    for k in 0...i { a[i * p + k] += ji * jacobian[row + k] }
                }
            }
            for i in 0..<p { for k in 0..<i { a[k * p + i] = a[i * p + k] } }
            guard let delta = ForecastOptimizer.solveSymmetric(a, g, p) else { break }
            var step = 1.0
            var accepted = false
            for _ in 0..<5 {
                let candidate = (0..<p).map { x[$0] + step * delta[$0] }
                let value = sse(candidate, &filter, &probeBuffer)
                if value < current {
                    x = candidate
                    current = value
                    swap(&errorBuffer, &probeBuffer)
                    accepted = true
                    break
                }
                step /= 2
            }
            if !accepted { break }
        }
        return (x, current)
    }

    // MARK: Fit

    func fit() throws(ForecastError) -> ExponentialSmoothing {
        if y.allSatisfy({ $0 == y[0] }) { return constantModel() }
        var heuristic = heuristicStates()
        if kind.isMultiplicative {
            // A steep start can put the heuristic line below zero; a flat start at the first season's mean is always admissible
            // for the parameters' starting values on a positive series.
            let probe = parameters(transformed(Self.starts[0]))
            if !refineStates(heuristic, probe, iterations: 0).sse.isFinite {
                heuristic[0] = y.prefix(period).reduce(0, +) / Double(period)
                heuristic[1] = 0
                for i in 0..<(period - 1) { heuristic[2 + i] = 1 }
            }
        }
        // Linear models: one Gauss–Newton step is the exact optimum; (A,A,M) gets three.
        let inner = kind.isMultiplicative ? 3 : 1
        let objective: ([Double]) -> Double = { z in self.refineStates(heuristic, self.parameters(z), iterations: inner).sse }
        let budget = 120 + 120 * parameterCount
        var best: (x: [Double], value: Double)?
        for start in Self.starts {
            let result = ForecastOptimizer.nelderMead(objective, start: transformed(start), step: 1, maxEvaluations: budget)
            if best == nil || result.value < best!.value { best = result }
        }
        let restarted = ForecastOptimizer.nelderMead(objective, start: best!.x, step: 0.5, maxEvaluations: budget)
        if restarted.value < best!.value { best = restarted }
        let parameters = parameters(best!.x)
        var (x, sse) = refineStates(heuristic, parameters, iterations: inner)
        if kind.isMultiplicative {
            (x, sse) = refineStates(x, parameters, iterations: 5)
        }
        guard sse.isFinite else { throw .noAdmissibleFit(kind: kind) }
        return model(parameters: parameters, initial: x, sse: sse)
    }

    private func model(parameters: ExponentialSmoothing.Parameters, initial x: [Double], sse: Double) -> ExponentialSmoothing {
        let initial = state(x)
        var filter = ETSFilter(kind: kind, period: period, parameters: parameters)
        var fitted: [Double] = []
        let final =
            filter.run(y, from: initial, fitted: &fitted)
            ?? ExponentialSmoothing.State(level: y[n - 1], trend: 0, season: initial.season)  // not reached: the SSE was finite
        let k = parameterCount + stateCount + 1
        let nd = Double(n)
        var notes: [String] = []
        var logLikelihood: Double?
        var aic: Double?
        var aicc: Double?
        if sse > 0 && sse.isFinite {
            let ll = -0.5 * nd * (log(2 * Double.pi * sse / nd) + 1)
            logLikelihood = ll
            aic = -2 * ll + 2 * Double(k)
            if n - k - 1 > 0 {
                aicc = aic! + 2 * Double(k * (k + 1)) / Double(n - k - 1)
            } else {
                notes.append("AICc undefined: \(n) observations for \(k) parameters and initial states")
            }
        } else {
            notes.append("exact fit (SSE = 0): no likelihood, zero-width intervals")
        }
        let dof = n - (k - 1)
        let sigma2 = dof > 0 ? sse / Double(dof) : sse / nd
        return ExponentialSmoothing(
            kind: kind, period: period, parameters: parameters, initialState: initial, finalState: final,
            count: n, sse: sse, sigma2: sigma2, parameterCount: k, logLikelihood: logLikelihood,
            aic: aic, aicc: aicc, notes: notes)
    }

    /// A constant series: the value repeated, no estimation, zero variance.
    private func constantModel() -> ExponentialSmoothing {
        let start = Self.starts[1]
        let parameters = ExponentialSmoothing.Parameters(
            alpha: start[0], beta: kind.hasTrend ? start[0] * start[1] : nil,
            gamma: kind.isSeasonal ? (1 - start[0]) * start[2] : nil, phi: kind.isDamped ? start[3] : nil)
        let state = ExponentialSmoothing.State(
            level: y[0], trend: 0,
            season: [Double](repeating: kind.isMultiplicative ? 1 : 0, count: kind.isSeasonal ? period : 0))
        return ExponentialSmoothing(
            kind: kind, period: period, parameters: parameters, initialState: state, finalState: state,
            count: n, sse: 0, sigma2: 0, parameterCount: parameterCount + stateCount + 1,
            logLikelihood: nil, aic: nil, aicc: nil,
            notes: ["constant series: parameters not estimated; forecasts repeat the value with zero-width intervals"])
    }
}

import Foundation

/// Estimates one model by maximum likelihood: smoothing parameters and initial states together.
///
/// The Gaussian likelihood of both error forms is a sum of squares: of the errors e with additive errors, of the
/// relative errors e/ŷ scaled by the geometric mean of ŷ with multiplicative errors (n log of that sum is −2 log L up
/// to constants, the Σ log ŷ term included). It is minimised by block coordinate descent: from the best of three
/// fixed parameter starts and, for a seasonal form, the fitted non-seasonal form with a flat season (`fit(nested:)`),
/// Nelder–Mead on the logistic transforms of the parameters for fixed initial states (one
/// filter pass per evaluation), then Gauss–Newton steps on the initial states for fixed parameters (one for the linear
/// models, where it is the exact least-squares solution, two for the non-linear ones), until a round gains less than
/// `ETSFitter.tolerance` of the objective. Every buffer is allocated once per fit; an evaluation allocates nothing.
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

    /// One block: the series, residuals, probe residuals, the Jacobian, seasonal states, free states, a trial point.
    private let block: UnsafeMutablePointer<Double>
    private let series: UnsafeMutablePointer<Double>
    private var residuals: UnsafeMutablePointer<Double>
    private var probe: UnsafeMutablePointer<Double>
    private let jacobian: UnsafeMutablePointer<Double>
    private let season: UnsafeMutablePointer<Double>
    private let states: UnsafeMutablePointer<Double>
    private let trial: UnsafeMutablePointer<Double>

    static let lower = 1e-4, upper = 1 - 1e-4
    static let phiLower = 0.8, phiUpper = 0.98
    /// Fixed starting points (α, β/α, γ/(1 − α), φ).
    static let starts: [[Double]] = [[0.1, 0.1, 0.1, 0.9], [0.5, 0.3, 0.3, 0.95], [0.9, 0.05, 0.5, 0.85]]
    /// Rounds of block coordinate descent at most, and the relative gain below which they stop.
    static let rounds = 12
    static let tolerance = 1e-7

    init(y: [Double], kind: Kind, period: Int) {
        self.y = y
        self.kind = kind
        self.period = period
        n = y.count
        let p = 1 + (kind.hasTrend ? 1 : 0) + (kind.isSeasonal ? period - 1 : 0)
        stateCount = p
        parameterCount = 1 + (kind.hasTrend ? 1 : 0) + (kind.isSeasonal ? 1 : 0) + (kind.isDamped ? 1 : 0)
        scale = max(y.reduce(0) { $0 + abs($1) } / Double(max(1, y.count)), 1e-12)
        let m = max(period, 1)
        block = UnsafeMutablePointer<Double>.allocate(capacity: n * (3 + p) + m + 2 * p)
        block.initialize(repeating: 0, count: n * (3 + p) + m + 2 * p)
        series = block
        residuals = block + n
        probe = block + 2 * n
        jacobian = block + 3 * n
        season = jacobian + n * p
        states = season + m
        trial = states + p
        for t in 0..<n { series[t] = y[t] }
    }

    deinit { block.deallocate() }

    // MARK: Parameters

    private static func squash(_ z: Double, _ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) / (1 + exp(-z)) }
    private static func unsquash(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let u = min(max((v - lo) / (hi - lo), 1e-9), 1 - 1e-9)
        return log(u / (1 - u))
    }

    /// Transformed coordinates → smoothing parameters: α ∈ (10⁻⁴, 1 − 10⁻⁴), β ∈ (0, α), γ ∈ (0, 1 − α), φ ∈ (0.8, 0.98).
    func smoothing(_ z: UnsafePointer<Double>) -> ETSSmoothing {
        var i = 0
        let alpha = Self.squash(z[i], Self.lower, Self.upper)
        i += 1
        var q = ETSSmoothing(alpha: alpha, beta: 0, gamma: 0, phi: 1)
        if kind.hasTrend {
            q.beta = alpha * Self.squash(z[i], Self.lower, Self.upper)
            i += 1
        }
        if kind.isSeasonal {
            q.gamma = (1 - alpha) * Self.squash(z[i], Self.lower, Self.upper)
            i += 1
        }
        if kind.isDamped { q.phi = Self.squash(z[i], Self.phiLower, Self.phiUpper) }
        return q
    }

    func parameters(_ q: ETSSmoothing) -> ExponentialSmoothing.Parameters {
        ExponentialSmoothing.Parameters(
            alpha: q.alpha, beta: kind.hasTrend ? q.beta : nil, gamma: kind.isSeasonal ? q.gamma : nil,
            phi: kind.isDamped ? q.phi : nil)
    }

    func transformed(_ start: [Double]) -> [Double] {
        var z = [Self.unsquash(start[0], Self.lower, Self.upper)]
        if kind.hasTrend { z.append(Self.unsquash(start[1], Self.lower, Self.upper)) }
        if kind.isSeasonal { z.append(Self.unsquash(start[2], Self.lower, Self.upper)) }
        if kind.isDamped { z.append(Self.unsquash(start[3], Self.phiLower, Self.phiUpper)) }
        return z
    }

    // MARK: Initial states

    /// Free states `x` → the full season in `season`, constrained to sum to 0 (additive) or to average 1 (multiplicative).
    @inline(__always)
    private func fillSeason(_ x: UnsafePointer<Double>) {
        guard kind.isSeasonal else { return }
        let offset = kind.hasTrend ? 2 : 1
        var sum = 0.0
        for i in 0..<(period - 1) {
            season[i] = x[offset + i]
            sum += x[offset + i]
        }
        season[period - 1] = kind.isMultiplicative ? Double(period) - sum : -sum
    }

    /// The classical heuristic: seasonal indices from a centred moving average over the first (up to three)
    /// full seasons (ratios for a multiplicative season), level and trend from a least-squares line through the
    /// first seasonally adjusted values (the level as their mean without a trend).
    func heuristicStates() -> [Double] {
        let multiplicative = kind.isMultiplicative
        var index = [Double](repeating: multiplicative ? 1 : 0, count: kind.isSeasonal ? period : 0)
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
                let detrended = multiplicative ? (ma > 0 ? y[t] / ma : 1) : y[t] - ma
                sums[t % m] += detrended
                counts[t % m] += 1
            }
            for j in 0..<m { index[j] = counts[j] > 0 ? sums[j] / counts[j] : (multiplicative ? 1 : 0) }
            let mean = index.reduce(0, +) / Double(m)
            for j in 0..<m { index[j] = multiplicative ? (mean > 0 ? index[j] / mean : 1) : index[j] - mean }
            if multiplicative && index.contains(where: { $0 <= 0 }) { index = [Double](repeating: 1, count: m) }
            for t in 0..<n { adjusted[t] = multiplicative ? y[t] / index[t % m] : y[t] - index[t % m] }
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
            let k = kind.isSeasonal ? min(n, period) : 1
            x = [adjusted.prefix(k).reduce(0, +) / Double(k)]
        }
        if kind.isSeasonal { x.append(contentsOf: index.prefix(period - 1)) }
        return x
    }

    // MARK: Objective

    /// The sum of squares whose minimum is the maximum likelihood, at parameters `q` and free initial states `x`: of
    /// the errors e, or with multiplicative errors of (e/ŷ)·(Π ŷ)^(1/n). The residuals go to `out` when given; +∞ when
    /// the states leave the admissible region.
    @inline(__always)
    private func objective(_ q: ETSSmoothing, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>?) -> Double {
        fillSeason(x)
        guard
            let o = ETSFilter.run(
                kind, period: period, q, y: series, n: n, level: x[0], trend: kind.hasTrend ? x[1] : 0, season: season, errors: out)
        else { return .infinity }
        var value = o.sumSquares
        if kind.error == .multiplicative {
            let g2 = exp(2 * o.sumLog / Double(n))
            value *= g2
            if let out {
                let g = g2.squareRoot()
                for t in 0..<n { out[t] *= g }
            }
        }
        return value.isFinite ? value : .infinity
    }

    /// The finite-difference step for free state `j`.
    private func stateStep(_ j: Int) -> Double {
        guard kind.isNonlinear else { return 1e-3 * scale }
        let isSeasonState = j >= (kind.hasTrend ? 2 : 1)
        return isSeasonState && kind.isMultiplicative ? 1e-6 : 1e-6 * scale
    }

    /// Gauss–Newton steps on the free initial states in `states` for fixed parameters (forward-difference Jacobian,
    /// exact for the linear models, where one step reaches the least-squares optimum); each step is halved up to
    /// four times until the objective decreases. Returns the objective at the states reached.
    func refineStates(_ q: ETSSmoothing, iterations: Int) -> Double {
        var current = objective(q, states, residuals)
        guard current.isFinite, iterations > 0 else { return current }
        let p = stateCount
        var a = [Double](repeating: 0, count: p * p)
        var g = [Double](repeating: 0, count: p)
        for _ in 0..<iterations {
            for j in 0..<p {
                trial.update(from: states, count: p)
                let h = stateStep(j)
                trial[j] += h
                guard objective(q, trial, probe).isFinite else { return current }
                for t in 0..<n { jacobian[t * p + j] = (probe[t] - residuals[t]) / h }
            }
            for i in 0..<(p * p) { a[i] = 0 }
            for i in 0..<p { g[i] = 0 }
            for t in 0..<n {
                let row = jacobian + t * p
                let r = residuals[t]
                for i in 0..<p {
                    let ji = row[i]
                    g[i] -= ji * r
                    for k in 0...i { a[i * p + k] += ji * row[k] }
                }
            }
            for i in 0..<p { for k in 0..<i { a[k * p + i] = a[i * p + k] } }
            guard let delta = ForecastOptimizer.solveSymmetric(a, g, p) else { break }
            var step = 1.0
            var accepted = false
            for _ in 0..<5 {
                for j in 0..<p { trial[j] = states[j] + step * delta[j] }
                let value = objective(q, trial, probe)
                if value < current {
                    states.update(from: trial, count: p)
                    current = value
                    swap(&residuals, &probe)
                    accepted = true
                    break
                }
                step /= 2
            }
            if !accepted { break }
        }
        return current
    }

    // MARK: Fit

    /// The same form without the season, whose optimum starts a seasonal fit (see `fit(nested:)`).
    var counterpart: Kind { Kind(error: kind.error, trend: kind.trend, season: .none) }

    /// Fits the model. A seasonal form also starts from `nested`, the fitted `counterpart` (fitted here when not given):
    /// its parameters and states with a flat season and a small γ, where the seasonal model's likelihood is about the
    /// non-seasonal one's. The heuristic seasonal indices can start a multiplicative season in a poor local optimum
    /// (on a series that ramps up from near zero, its first seasons' ratios say little), which then loses to the
    /// non-seasonal form it contains; from the nested start it cannot.
    func fit(nested: ExponentialSmoothing? = nil) throws(ForecastError) -> ExponentialSmoothing {
        if y.allSatisfy({ $0 == y[0] }) { return constantModel() }
        var heuristic = heuristicStates()
        let p = stateCount
        func load(_ x: [Double]) { for j in 0..<p { states[j] = x[j] } }
        load(heuristic)
        if kind.isNonlinear {
            // A steep start can put the heuristic line below zero; a flat start at the first season's mean is always
            // admissible for the parameters' starting values on a positive series.
            let z = transformed(Self.starts[0])
            let q = z.withUnsafeBufferPointer { smoothing($0.baseAddress ?? UnsafePointer(states)) }
            if !objective(q, states, nil).isFinite {
                let first = kind.isSeasonal ? min(n, period) : 1
                heuristic[0] = y.prefix(first).reduce(0, +) / Double(first)
                let offset = kind.hasTrend ? 2 : 1
                if kind.hasTrend { heuristic[1] = 0 }
                for i in offset..<heuristic.count { heuristic[i] = kind.isMultiplicative ? 1 : 0 }
                load(heuristic)
            }
        }
        let inner = kind.isNonlinear ? 2 : 1
        // The best start: its states refined for its parameters.
        var z: [Double] = []
        var best: [Double] = heuristic
        var current = Double.infinity
        for start in Self.starts {
            let candidate = transformed(start)
            load(heuristic)
            let value = refineStates(
                candidate.withUnsafeBufferPointer { smoothing($0.baseAddress ?? UnsafePointer(states)) }, iterations: inner)
            if value < current {
                current = value
                z = candidate
                best = (0..<p).map { states[$0] }
            }
        }
        if kind.isSeasonal, let nested = nested ?? (try? ETSFitter(y: y, kind: counterpart, period: period).fit()), nested.aicc != nil {
            let p0 = nested.parameters
            let candidate = transformed([
                p0.alpha, (p0.beta ?? 0.1 * p0.alpha) / p0.alpha, 0.01, p0.phi ?? 0.9,
            ])
            var x = [nested.initialState.level]
            if kind.hasTrend { x.append(nested.initialState.trend) }
            x += [Double](repeating: kind.isMultiplicative ? 1 : 0, count: period - 1)
            load(x)
            let value = refineStates(q(candidate), iterations: inner)
            if value < current {
                current = value
                z = candidate
                best = (0..<p).map { states[$0] }
            }
        }
        guard current.isFinite else { throw .noAdmissibleFit(kind: kind) }
        load(best)
        let budget = 30 * (1 + parameterCount)
        for round in 0..<Self.rounds {
            let searched = ForecastOptimizer.nelderMead(
                { self.objective(self.smoothing($0), self.states, nil) }, start: &z, step: round == 0 ? 1 : 0.5, maxEvaluations: budget)
            let reached = min(current, searched.value)
            let value = refineStates(q(z), iterations: inner)
            let next = min(value, reached)
            let gain = current - next
            current = next
            if gain <= Self.tolerance * current { break }
        }
        let q = q(z)
        if kind.isNonlinear { current = refineStates(q, iterations: 3) }
        guard current.isFinite else { throw .noAdmissibleFit(kind: kind) }
        return model(q, objective: current)
    }

    private func q(_ z: [Double]) -> ETSSmoothing {
        z.withUnsafeBufferPointer { smoothing($0.baseAddress ?? UnsafePointer(states)) }
    }

    /// The model at parameters `q` and the free initial states in `states`, whose objective is `value`.
    private func model(_ q: ETSSmoothing, objective value: Double) -> ExponentialSmoothing {
        fillSeason(states)
        let initial = ExponentialSmoothing.State(
            level: states[0], trend: kind.hasTrend ? states[1] : 0, season: (0..<(kind.isSeasonal ? period : 0)).map { season[$0] })
        let outcome = ETSFilter.run(
            kind, period: period, q, y: series, n: n, level: initial.level, trend: initial.trend, season: season, errors: nil,
            fitted: probe)
        let final = ExponentialSmoothing.State(
            level: outcome?.level ?? y[n - 1], trend: kind.hasTrend ? (outcome?.trend ?? 0) : 0,
            season: (0..<(kind.isSeasonal ? period : 0)).map { season[$0] })
        var sse = 0.0
        for t in 0..<n { sse += (y[t] - probe[t]) * (y[t] - probe[t]) }
        let squares = outcome?.sumSquares ?? sse
        let k = parameterCount + stateCount + 1
        let nd = Double(n)
        var notes: [String] = []
        var logLikelihood: Double?
        var aic: Double?
        var aicc: Double?
        if value > 0 && value.isFinite && sse > 0 {
            let ll = -0.5 * nd * (log(2 * Double.pi * value / nd) + 1)
            logLikelihood = ll
            aic = -2 * ll + 2 * Double(k)
            if n - k - 1 > 0 {
                aicc = -2 * ll + 2 * Double(k) + 2 * Double(k * (k + 1)) / Double(n - k - 1)
            } else {
                notes.append("AICc undefined: \(n) observations for \(k) parameters and initial states")
            }
        } else {
            notes.append("exact fit (SSE = 0): no likelihood, zero-width intervals")
        }
        let dof = n - (k - 1)
        let sigma2 = dof > 0 ? squares / Double(dof) : squares / nd
        return ExponentialSmoothing(
            kind: kind, period: period, parameters: parameters(q), initialState: initial, finalState: final,
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

import Foundation

/// The innovations filter: runs a model's state equations over a series from given initial states.
struct ETSFilter {
    let kind: ExponentialSmoothing.Kind
    let period: Int
    /// Multiplicative errors: `errors` writes ε = e/ŷ and sums log ŷ.
    let relative: Bool
    let alpha: Double, beta: Double, gamma: Double, phi: Double
    private var season: [Double]
    /// Σ log ŷ of the last `errors` run (multiplicative errors only).
    private(set) var logSum = 0.0

    init(kind: ExponentialSmoothing.Kind, error: ExponentialSmoothing.ErrorForm, period: Int, parameters: ExponentialSmoothing.Parameters) {
        self.kind = kind
        self.period = period
        relative = error == .multiplicative
        alpha = parameters.alpha
        beta = parameters.beta ?? 0
        gamma = parameters.gamma ?? 0
        phi = parameters.phi ?? 1
        season = [Double](repeating: 0, count: kind.isSeasonal ? period : 0)
    }

    /// Writes the one-step errors (e, or ε = e/ŷ with multiplicative errors) into `errors` (resized to y.count) and
    /// returns the final level and trend, or nil when a multiplicative form leaves its admissible region
    /// (non-positive ℓ + φb or seasonal state with a multiplicative season, non-positive ŷ with multiplicative errors).
    mutating func errors(
        _ y: [Double], level: Double, trend: Double, season initial: ArraySlice<Double>,
        into errors: inout [Double]
    ) -> (level: Double, trend: Double)? {
        let n = y.count
        if errors.count != n { errors = [Double](repeating: 0, count: n) }
        var l = level
        var b = kind.hasTrend ? trend : 0
        let m = period
        let seasonal = kind.isSeasonal
        let multiplicativeSeason = kind.isMultiplicative
        if seasonal {
            var i = 0
            for s in initial {
                season[i] = s
                i += 1
            }
        }
        var logs = 0.0
        var j = 0
        for t in 0..<n {
            let phib = phi * b
            let lb = l + phib
            let s = seasonal ? season[j] : 0
            let e: Double
            let mean: Double
            if multiplicativeSeason {
                guard lb > 0, s > 0 else { return nil }
                mean = lb * s
                e = y[t] - mean
                l = lb + alpha * e / s
                b = phib + beta * e / s
                season[j] = s + gamma * e / lb
            } else {
                mean = lb + s
                e = y[t] - mean
                l = lb + alpha * e
                b = phib + beta * e
                if seasonal { season[j] = s + gamma * e }
            }
            if relative {
                guard mean > 0 else { return nil }
                errors[t] = e / mean
                logs += log(mean)
            } else {
                errors[t] = e
            }
            if seasonal {
                j += 1
                if j == m { j = 0 }
            }
        }
        logSum = logs
        return (l, b)
    }

    var finalSeason: [Double] { season }

    /// Runs the filter from `state`, collecting the one-step forecasts; returns the final state.
    mutating func run(_ y: [Double], from state: ExponentialSmoothing.State, fitted: inout [Double]) -> ExponentialSmoothing.State? {
        var buffer: [Double] = []
        guard let end = errors(y, level: state.level, trend: state.trend, season: state.season[...], into: &buffer) else { return nil }
        fitted = relative ? zip(y, buffer).map { $0 / (1 + $1) } : zip(y, buffer).map { $0 - $1 }
        return ExponentialSmoothing.State(level: end.level, trend: kind.hasTrend ? end.trend : 0, season: season)
    }
}

/// Estimates one model: parameters by Nelder–Mead on the SSE, initial states by Gauss–Newton.
final class ETSFitter {
    typealias Kind = ExponentialSmoothing.Kind
    let y: [Double]
    let kind: Kind
    let error: ExponentialSmoothing.ErrorForm
    let period: Int
    let n: Int
    /// A multiplicative season or multiplicative errors: the initial states enter the residuals non-linearly.
    let nonlinear: Bool
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

    init(y: [Double], kind: Kind, error: ExponentialSmoothing.ErrorForm = .additive, period: Int) {
        self.y = y
        self.kind = kind
        self.error = error
        nonlinear = kind.isMultiplicative || error == .multiplicative
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
        } else if kind.isSeasonal {
            let k = min(n, period)
            x = [adjusted.prefix(k).reduce(0, +) / Double(k)]
        } else {
            x = [adjusted[0]]
        }
        if kind.isSeasonal { x.append(contentsOf: index.prefix(period - 1)) }
        return x
    }

    // MARK: Objective

    /// The sum of squares whose minimum is the maximum likelihood from free initial states `x`: of the errors e, or
    /// with multiplicative errors of ε·(Π ŷ)^(1/n) (n log of it is −2 log L up to constants); the residuals are left in
    /// `buffer`; +∞ when inadmissible.
    private func sse(_ x: [Double], _ filter: inout ETSFilter, _ buffer: inout [Double]) -> Double {
        fillSeason(x)
        guard filter.errors(y, level: x[0], trend: kind.hasTrend ? x[1] : 0, season: seasonBuffer[...], into: &buffer) != nil else {
            return .infinity
        }
        if filter.relative {
            let g = exp(filter.logSum / Double(n))
            guard g.isFinite, g > 0 else { return .infinity }
            for t in 0..<n { buffer[t] *= g }
        }
        var s = 0.0
        for e in buffer { s += e * e }
        return s.isFinite ? s : .infinity
    }

    /// Gauss–Newton steps on the initial states for fixed parameters (forward-difference Jacobian, exact
    /// for the linear models, where one step reaches the least-squares optimum); each step is halved up to
    /// four times until the SSE decreases.
    func refineStates(_ start: [Double], _ parameters: ExponentialSmoothing.Parameters, iterations: Int) -> (x: [Double], sse: Double) {
        var filter = ETSFilter(kind: kind, error: error, period: period, parameters: parameters)
        var x = start
        var current = sse(x, &filter, &errorBuffer)
        guard current.isFinite else { return (x, current) }
        let p = stateCount
        var jacobian = [Double](repeating: 0, count: n * p)
        for _ in 0..<iterations {
            let base = errorBuffer
            for j in 0..<p {
                let isSeasonState = j >= (kind.hasTrend ? 2 : 1)
                let h = nonlinear ? (isSeasonState && kind.isMultiplicative ? 1e-6 : 1e-6 * scale) : 1e-2 * scale
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

    /// Block coordinate descent from parameters `z` and initial states `states`: rounds of Gauss–Newton on the states
    /// for fixed parameters, then Nelder–Mead on the parameters for fixed states, until a round improves the objective
    /// by less than 1e-8 of it; nil when the start is not admissible.
    private func descend(from start: [Double], states: [Double], inner: Int) -> (z: [Double], x: [Double], value: Double)? {
        var z = start
        var (x, current) = refineStates(states, parameters(z), iterations: inner)
        guard current.isFinite else { return nil }
        let budget = Self.evaluationsPerRound(parameterCount)
        for round in 0..<Self.rounds {
            let fixed = x
            let objective: ([Double]) -> Double = { z in self.objective(fixed, self.parameters(z)) }
            let searched = ForecastOptimizer.nelderMead(objective, start: z, step: round == 0 ? 1 : 0.5, maxEvaluations: budget)
            if searched.value <= current { z = searched.x }
            let reached = min(current, searched.value)
            let (refined, value) = refineStates(x, parameters(z), iterations: inner)
            if value <= reached { x = refined }
            let next = min(value, reached)
            let improvement = current - next
            current = next
            if improvement <= 1e-8 * current { break }
        }
        return (z, x, current)
    }

    /// Rounds of block coordinate descent (states, then parameters) at most.
    static let rounds = 20
    /// Nelder–Mead evaluations per round.
    static func evaluationsPerRound(_ parameters: Int) -> Int { 30 + 30 * parameters }

    /// The objective (`sse`) at fixed initial states `x` and `parameters`: one filter pass.
    private func objective(_ x: [Double], _ parameters: ExponentialSmoothing.Parameters) -> Double {
        var filter = ETSFilter(kind: kind, error: error, period: period, parameters: parameters)
        return sse(x, &filter, &probeBuffer)
    }

    func fit() throws(ForecastError) -> ExponentialSmoothing {
        if y.allSatisfy({ $0 == y[0] }) { return constantModel() }
        var heuristic = heuristicStates()
        if nonlinear {
            // A steep start can put the heuristic line below zero; a flat start at the first season's mean is always admissible
            // for the parameters' starting values on a positive series.
            let probe = parameters(transformed(Self.starts[0]))
            if !refineStates(heuristic, probe, iterations: 0).sse.isFinite {
                let first = kind.isSeasonal ? min(n, period) : 1
                heuristic[0] = y.prefix(first).reduce(0, +) / Double(first)
                let offset = kind.hasTrend ? 2 : 1
                if kind.hasTrend { heuristic[1] = 0 }
                for i in offset..<heuristic.count { heuristic[i] = kind.isMultiplicative ? 1 : 0 }
            }
        }
        // Block coordinate descent on the likelihood: Gauss–Newton on the initial states for fixed parameters (one step
        // is the exact optimum for the linear models, three for the others), then Nelder–Mead on the parameters for
        // fixed initial states (one filter pass per evaluation), from the best of the fixed starts, until a round
        // improves the objective by less than a millionth.
        let inner = nonlinear ? 3 : 1
        var best: (z: [Double], x: [Double], value: Double)?
        for start in Self.starts {
            let found = descend(from: transformed(start), states: heuristic, inner: inner)
            if let found, found.value < (best?.value ?? .infinity) { best = found }
        }
        guard let (z, x0, _) = best else { throw .noAdmissibleFit(kind: kind) }
        let parameters = parameters(z)
        let (x, sse) = refineStates(x0, parameters, iterations: nonlinear ? 5 : 0)
        return model(parameters: parameters, initial: x, sse: sse)
    }

    /// The model at `parameters` and initial states `x`, whose objective (`sse(_:_:_:)`) is `objective`.
    private func model(parameters: ExponentialSmoothing.Parameters, initial x: [Double], sse objective: Double) -> ExponentialSmoothing {
        let initial = state(x)
        var filter = ETSFilter(kind: kind, error: error, period: period, parameters: parameters)
        var fitted: [Double] = []
        let final =
            filter.run(y, from: initial, fitted: &fitted)
            ?? ExponentialSmoothing.State(level: y[n - 1], trend: 0, season: initial.season)  // not reached: the objective was finite
        var sse = 0.0
        var squares = 0.0
        for t in 0..<n {
            let e = y[t] - fitted[t]
            sse += e * e
            let r = error == .multiplicative ? e / fitted[t] : e
            squares += r * r
        }
        let k = parameterCount + stateCount + 1
        let nd = Double(n)
        var notes: [String] = []
        var logLikelihood: Double?
        var aic: Double?
        var aicc: Double?
        if objective > 0 && objective.isFinite && sse > 0 {
            let ll = -0.5 * nd * (log(2 * Double.pi * objective / nd) + 1)
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
            kind: kind, error: error, period: period, parameters: parameters, initialState: initial, finalState: final,
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
            kind: kind, error: error, period: period, parameters: parameters, initialState: state, finalState: state,
            count: n, sse: 0, sigma2: 0, parameterCount: parameterCount + stateCount + 1,
            logLikelihood: nil, aic: nil, aicc: nil,
            notes: ["constant series: parameters not estimated; forecasts repeat the value with zero-width intervals"])
    }
}

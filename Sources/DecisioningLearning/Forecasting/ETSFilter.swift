import Foundation

/// The smoothing parameters as plain numbers: 0 for those a kind does not use, φ = 1 without damping.
struct ETSSmoothing: Sendable {
    var alpha: Double
    var beta: Double
    var gamma: Double
    var phi: Double

    init(alpha: Double, beta: Double, gamma: Double, phi: Double) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.phi = phi
    }

    init(_ p: ExponentialSmoothing.Parameters) {
        self.init(alpha: p.alpha, beta: p.beta ?? 0, gamma: p.gamma ?? 0, phi: p.phi ?? 1)
    }
}

/// The innovations filter: runs a model's state equations over a series from given initial states.
///
/// With ℓ the level, b the trend (0 without), φ the damping (1 without), s the seasonal state of the same season
/// one period earlier and e = y − ŷ the one-step error:
///
/// | season | ŷ | state updates |
/// |---|---|---|
/// | none | ℓ + φb | ℓ = ℓ + φb + αe, b = φb + βe |
/// | additive | ℓ + φb + s | as none, s += γe |
/// | multiplicative | (ℓ + φb)·s | ℓ = ℓ + φb + αe/s, b = φb + βe/s, s += γe/(ℓ + φb) |
///
/// Written with e the updates are the same for both error forms; multiplicative errors change what is measured:
/// the relative error e/ŷ, and Σ log ŷ for the likelihood.
enum ETSFilter {
    struct Outcome {
        /// Σ e² (additive errors) or Σ (e/ŷ)² (multiplicative errors).
        var sumSquares: Double
        /// Σ log ŷ (multiplicative errors only; 0 otherwise).
        var sumLog: Double
        var level: Double
        var trend: Double
    }

    /// Runs the filter over `y[0..<n]` from `level`, `trend` and the `period` seasonal states in `season` (overwritten
    /// with the final ones). Writes the errors (e, or e/ŷ with multiplicative errors) into `errors` and the one-step
    /// forecasts into `fitted` when given. nil when the states leave the admissible region: with a multiplicative season a
    /// non-positive ℓ + φb or a seasonal factor outside (0, period) (one season weighing more than a whole period: with
    /// additive errors the factor's update γe/(ℓ + φb) can explode where the level nears zero), with multiplicative errors
    /// a non-positive ŷ.
    @inline(__always)
    static func run(
        _ kind: ExponentialSmoothing.Kind, period m: Int, _ q: ETSSmoothing, y: UnsafePointer<Double>, n: Int,
        level: Double, trend: Double, season: UnsafeMutablePointer<Double>,
        errors: UnsafeMutablePointer<Double>?, fitted: UnsafeMutablePointer<Double>? = nil
    ) -> Outcome? {
        let alpha = q.alpha
        let beta = kind.hasTrend ? q.beta : 0
        let gamma = q.gamma
        let phi = kind.isDamped ? q.phi : 1
        let relative = kind.error == .multiplicative
        var l = level
        var b = kind.hasTrend ? trend : 0
        var squares = 0.0
        var logs = 0.0
        var product = 1.0
        let ceiling = Double(m)
        switch kind.season {
        case .none:
            for t in 0..<n {
                let phib = phi * b
                let mean = l + phib
                let e = y[t] - mean
                fitted?[t] = mean
                if relative {
                    guard mean > 0 else { return nil }
                    let r = e / mean
                    squares += r * r
                    accumulate(mean, &product, &logs)
                    errors?[t] = r
                } else {
                    squares += e * e
                    errors?[t] = e
                }
                l = mean + alpha * e
                b = phib + beta * e
            }
        case .additive:
            var j = 0
            for t in 0..<n {
                let phib = phi * b
                let lb = l + phib
                let s = season[j]
                let mean = lb + s
                let e = y[t] - mean
                fitted?[t] = mean
                if relative {
                    guard mean > 0 else { return nil }
                    let r = e / mean
                    squares += r * r
                    accumulate(mean, &product, &logs)
                    errors?[t] = r
                } else {
                    squares += e * e
                    errors?[t] = e
                }
                l = lb + alpha * e
                b = phib + beta * e
                season[j] = s + gamma * e
                j += 1
                if j == m { j = 0 }
            }
        case .multiplicative:
            var j = 0
            for t in 0..<n {
                let phib = phi * b
                let lb = l + phib
                let s = season[j]
                guard lb > 0, s > 0 else { return nil }
                let mean = lb * s
                let e = y[t] - mean
                fitted?[t] = mean
                if relative {
                    let r = e / mean
                    squares += r * r
                    accumulate(mean, &product, &logs)
                    errors?[t] = r
                } else {
                    squares += e * e
                    errors?[t] = e
                }
                let es = e / s
                l = lb + alpha * es
                b = phib + beta * es
                let next = s + gamma * e / lb
                guard next > 0, next < ceiling else { return nil }
                season[j] = next
                j += 1
                if j == m { j = 0 }
            }
        }
        if relative { logs += log(product) }
        return Outcome(sumSquares: squares, sumLog: logs, level: l, trend: b)
    }

    /// Adds log(mean) to `logs` through a running product, one logarithm per many steps instead of one per step.
    @inline(__always)
    static func accumulate(_ mean: Double, _ product: inout Double, _ logs: inout Double) {
        if mean > 1e100 || mean < 1e-100 {
            logs += log(mean)
            return
        }
        product *= mean
        if product > 1e200 || product < 1e-200 {
            logs += log(product)
            product = 1
        }
    }
}

import DecisioningCore
import Foundation

/// Seeded synthetic series with known structure for the forecasting tests.
enum ForecastFixtures {
    /// `count` values of f(t) plus N(0, sd) noise from a seeded stream.
    static func series(count: Int, seed: UInt64, sd: Double, _ f: (Double) -> Double) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 77)
        return (0..<count).map { f(Double($0)) + rng.normal(sd: sd) }
    }

    static func level(_ n: Int, seed: UInt64) -> [Double] { series(count: n, seed: seed, sd: 5) { _ in 100 } }
    static func trend(_ n: Int, seed: UInt64) -> [Double] { series(count: n, seed: seed, sd: 2) { 50 + 2 * $0 } }
    static func additive(_ n: Int, seed: UInt64) -> [Double] {
        series(count: n, seed: seed, sd: 2) { 200 + 0.5 * $0 + 25 * sin(2 * .pi * $0 / 12) }
    }
    static func multiplicative(_ n: Int, seed: UInt64) -> [Double] {
        series(count: n, seed: seed, sd: 2) { (100 + 4 * $0) * (1 + 0.3 * sin(2 * .pi * $0 / 12)) }
    }

    /// A sample path of ETS(A,N,N) with the given α and σ = 1, starting at level 50.
    static func localLevel(_ n: Int, alpha: Double, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 78)
        var level = 50.0
        return (0..<n).map { _ in
            let e = rng.normal()
            defer { level += alpha * e }
            return level + e
        }
    }

    /// Seasonal naive forecasts: y[t − period] for the next `horizon` steps.
    static func seasonalNaive(_ y: [Double], horizon: Int, period: Int = 12) -> [Double] {
        (0..<horizon).map { y[y.count - period + $0 % period] }
    }
}

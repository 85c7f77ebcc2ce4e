import DecisioningCore
import DecisioningLearning
import Foundation
import Testing

/// The full ETS model set (error × trend × season) and selection over it, on planted series.
@Suite struct ForecastModelSetTests {
    typealias Kind = ExponentialSmoothing.Kind

    /// A sample path of ETS(M,N,M): level 100, multiplicative season of amplitude 0.3, relative errors of sd `sigma`.
    static func multiplicativeErrors(_ n: Int, sigma: Double, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 91)
        var level = 100.0
        var season = (0..<12).map { 1 + 0.3 * sin(2 * .pi * Double($0) / 12) }
        let alpha = 0.2
        let gamma = 0.1
        return (0..<n).map { t in
            let s = season[t % 12]
            let mean = level * s
            let e = mean * rng.normal(sd: sigma)
            level += alpha * e / s
            season[t % 12] = s + gamma * e / level
            return mean + e
        }
    }

    @Test func everyCandidateIsListedWithItsErrorForm() throws {
        let y = ForecastFixtures.multiplicative(60, seed: 5)
        let selection = try ExponentialSmoothing.select(y)
        #expect(selection.candidates.count == ExponentialSmoothing.candidateForms.count)
        #expect(selection.candidates.count == 15)
        // No additive errors with a multiplicative season; every kind with multiplicative errors.
        #expect(!selection.candidates.contains { $0.error == .additive && $0.kind.isSeasonal && $0.notation.hasSuffix("M)") })
        #expect(Set(selection.candidates.filter { $0.error == .multiplicative }.map(\.kind)) == Set(Kind.allCases))
        #expect(selection.candidates.allSatisfy { $0.aicc != nil })
        #expect(selection.best.aicc == selection.candidates.compactMap(\.aicc).min())
    }

    @Test func notationNamesErrorTrendAndSeason() {
        #expect(Kind.dampedMultiplicativeSeasonal.notation(error: .multiplicative) == "ETS(M,Ad,M)")
        #expect(Kind.levelAdditiveSeasonal.notation(error: .additive) == "ETS(A,N,A)")
        #expect(Kind.holt.notation == "ETS(A,A,N)")
    }

    @Test func seasonalSeriesWithMultiplicativeErrorsSelectsAMultiplicativeModel() throws {
        var multiplicative = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = Self.multiplicativeErrors(96, sigma: 0.04, seed: seed)
            let selection = try ExponentialSmoothing.select(y)
            #expect(selection.best.kind.isSeasonal, "seed \(seed): chose \(selection.best.notation)")
            if selection.best.error == .multiplicative || selection.best.kind.isMultiplicative { multiplicative += 1 }
        }
        #expect(multiplicative >= 4, "a multiplicative form chosen for \(multiplicative) of 6 series")
    }

    @Test func plantedTrendAndSeasonIsForecastWithinTolerance() throws {
        // y = 200 + 0.5 t + 25 sin(2πt/12) + N(0, 2²): 18 steps ahead within 3% of the truth on average.
        for seed in 11...14 as ClosedRange<UInt64> {
            let y = ForecastFixtures.additive(84, seed: seed)
            let truth: [Double] = (84..<102).map { (t: Int) -> Double in
                let x = Double(t)
                return 200 + 0.5 * x + 25 * sin(2 * Double.pi * x / 12)
            }
            let selection = try ExponentialSmoothing.select(y)
            let forecast = selection.best.forecast(18).map(\.mean)
            #expect(selection.best.kind.isSeasonal && selection.best.kind.hasTrend, "seed \(seed): \(selection.best.notation)")
            #expect(Metrics.sMAPE(actual: truth, forecast: forecast) < 0.03, "seed \(seed)")
        }
    }

    @Test func selectedModelsIntervalsCoverAtRoughlyTheNominalRate() throws {
        var inside = 0
        var total = 0
        for seed in 1...40 as ClosedRange<UInt64> {
            let y = Self.multiplicativeErrors(78, sigma: 0.05, seed: 100 + seed)
            let model = try ExponentialSmoothing.select(Array(y.prefix(72))).best
            for (step, truth) in zip(model.forecast(6, level: 0.8), y.suffix(6)) {
                #expect(step.lower <= step.mean && step.mean <= step.upper)
                if step.lower <= truth && truth <= step.upper { inside += 1 }
                total += 1
            }
        }
        let rate = Double(inside) / Double(total)
        #expect(rate > 0.68 && rate < 0.92, "80% intervals covered \(rate)")
    }

    @Test func multiplicativeErrorFitsReportTheirOwnLikelihood() throws {
        let y = Self.multiplicativeErrors(72, sigma: 0.05, seed: 3)
        let model = try ExponentialSmoothing.fit(y, kind: .levelMultiplicativeSeasonal, error: .multiplicative)
        #expect(model.notation == "ETS(M,N,M)")
        // σ² is the variance of the relative errors: near 0.05² on its own generating process.
        #expect(model.sigma2 > 0.03 * 0.03 && model.sigma2 < 0.08 * 0.08, "σ² \(model.sigma2)")
        let fitted = model.fittedValues(y)
        let sse = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(sse - model.sse) <= 1e-9 * model.sse)
        #expect(throws: ForecastError.notPositive(kind: .simple, index: 1)) {
            try ExponentialSmoothing.fit([3, -1, 4, 5], kind: .simple, error: .multiplicative)
        }
    }
}

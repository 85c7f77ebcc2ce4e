import DecisioningCore
import DecisioningLearning
import Foundation
import Testing

/// The full ETS model set (`Kind.automatic`: R's restricted 15 forms and the three additive-error multiplicative seasons)
/// on planted series: the right form is chosen, a
/// multiplicative season is recovered on short series, the likelihood of multiplicative errors is the right one.
@Suite struct ForecastModelSetTests {
    typealias Kind = ExponentialSmoothing.Kind

    /// A sample path of ETS(M,N,M) or ETS(M,A,M): level 100 (growing by `growth` a month), a multiplicative season
    /// 1 + `amplitude`·sin(2πt/12), relative errors N(0, sigma²), α = 0.2, γ = 0.1.
    static func multiplicativePath(_ n: Int, sigma: Double, amplitude: Double = 0.3, growth: Double = 0, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 91)
        var level = 100.0
        var season = (0..<12).map { 1 + amplitude * sin(2 * .pi * Double($0) / 12) }
        return (0..<n).map { t in
            let s = season[t % 12]
            let base = level + growth
            let mean = base * s
            let e = mean * rng.normal(sd: sigma)
            level = base + 0.2 * e / s
            season[t % 12] = s + 0.1 * e / base
            return mean + e
        }
    }

    /// A random walk around 500 with N(0, 5²) steps plus N(0, 3²) noise: no season, no trend.
    static func localLevel(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 92)
        var level = 500.0
        return (0..<n).map { _ in
            level += rng.normal(sd: 5)
            return level + rng.normal(sd: 3)
        }
    }

    @Test func restrictedIsRsSetAndAutomaticAddsTheAdditiveErrorMultiplicativeSeasons() {
        let forms = Kind.restricted
        #expect(forms.count == 15 && Set(forms).count == 15)
        #expect(!forms.contains { $0.error == .additive && $0.season == .multiplicative })
        #expect(Set(forms.filter { $0.error == .multiplicative }.map(\.notation)).count == 9)
        #expect(Kind.automatic.count == 18 && Set(Kind.automatic).count == 18 && Array(Kind.automatic.prefix(15)) == forms)
        #expect(Kind.automatic.suffix(3).map(\.notation) == ["ETS(A,N,M)", "ETS(A,A,M)", "ETS(A,Ad,M)"])
        #expect(Kind.allCases.map(\.notation) == ["ETS(A,N,N)", "ETS(A,A,N)", "ETS(A,Ad,N)", "ETS(A,A,A)", "ETS(A,A,M)"])
        #expect(Kind(error: .multiplicative, trend: .damped, season: .multiplicative).notation == "ETS(M,Ad,M)")
    }

    @Test func plantedMultiplicativeSeasonIsChosenAndForecast() throws {
        var multiplicative = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = Self.multiplicativePath(84, sigma: 0.03, growth: 1, seed: seed)
            let train = Array(y.prefix(72))
            let selection = try ExponentialSmoothing.select(train, kinds: Kind.automatic)
            #expect(selection.candidates.map(\.kind) == Kind.automatic)
            #expect(selection.best.kind.isSeasonal, "seed \(seed): chose \(selection.best.kind)")
            if selection.best.kind.season == .multiplicative { multiplicative += 1 }
            let forecast = selection.best.forecast(12).map(\.mean)
            let smape = Metrics.sMAPE(actual: Array(y.suffix(12)), forecast: forecast)
            let naive = Metrics.sMAPE(actual: Array(y.suffix(12)), forecast: ForecastFixtures.seasonalNaive(train, horizon: 12))
            #expect(smape < 0.08, "seed \(seed): sMAPE \(smape)")
            #expect(smape < naive * 1.1, "seed \(seed): ETS \(smape) vs seasonal naive \(naive)")
        }
        #expect(multiplicative >= 5, "a multiplicative season chosen for \(multiplicative) of 6 series")
    }

    /// The failure of the earlier attempt: on 40 months the multiplicative-season fits did not converge, their AICc
    /// came out about 100 above the additive ones' and non-seasonal models were chosen.
    @Test func multiplicativeSeasonConvergesOnShortSeries() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = Self.multiplicativePath(40, sigma: 0.02, amplitude: 0.4, growth: 2, seed: seed)
            let mam = try ExponentialSmoothing.fit(y, kind: Kind(error: .multiplicative, trend: .additive, season: .multiplicative))
            let aan = try ExponentialSmoothing.fit(y, kind: .holt)
            let mamAICc = try #require(mam.aicc)
            let aanAICc = try #require(aan.aicc)
            #expect(mamAICc < aanAICc - 20, "seed \(seed): ETS(M,A,M) AICc \(mamAICc), ETS(A,A,N) \(aanAICc)")
            // The seasonal indices are recovered: within 0.1 of the planted 1 + 0.4 sin(2πj/12).
            for j in 0..<12 {
                let planted = 1 + 0.4 * sin(2 * .pi * Double(j) / 12)
                #expect(abs(mam.initialState.season[j] - planted) < 0.1, "seed \(seed) season \(j): \(mam.initialState.season[j])")
            }
            let selection = try ExponentialSmoothing.select(y, kinds: Kind.automatic)
            #expect(selection.best.kind.season == .multiplicative, "seed \(seed): chose \(selection.best.kind)")
        }
    }

    /// A planted multiplicative season on a level that ramps up from an eighth of its size over the first 8 months
    /// (as a new business line's revenue does), then grows 2% a month; relative errors N(0, 0.03²).
    static func rampUp(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 93)
        return (0..<n).map { t in
            let x = Double(t)
            let level = 100 * min(1, (x + 1) / 8) * pow(1.02, x)
            return level * (1 + 0.35 * sin(2 * .pi * x / 12)) * (1 + rng.normal(sd: 0.03))
        }
    }

    /// A seasonal form contains its non-seasonal counterpart (γ → 0, a flat season), so its likelihood is never lower.
    /// With the heuristic start alone (seasonal ratios of the ramp's first seasons) the multiplicative seasons stopped in
    /// a poor local optimum below it; the fit now also starts from the counterpart's optimum.
    @Test func seasonalFormsNeverFitWorseThanTheFormTheyContain() throws {
        var total = 0.0
        for seed in 1...4 as ClosedRange<UInt64> {
            let y = Self.rampUp(40, seed: seed)
            let selection = try ExponentialSmoothing.select(y, kinds: Kind.automatic)
            for model in selection.fitted where model.kind.isSeasonal {
                let plain = Kind(error: model.kind.error, trend: model.kind.trend, season: .none)
                let nested = try #require(selection.fitted.first { $0.kind == plain })
                let ll = try #require(model.logLikelihood)
                let nestedLL = try #require(nested.logLikelihood)
                #expect(ll >= nestedLL - 0.5, "seed \(seed): \(model.kind) log L \(ll) below \(plain)'s \(nestedLL)")
            }
            #expect(selection.best.kind.season == .multiplicative, "seed \(seed): chose \(selection.best.kind)")
            let forecast = selection.combinedForecast(6).map(\.mean)
            let truth = (40..<46).map { 100 * pow(1.02, Double($0)) * (1 + 0.35 * sin(2 * .pi * Double($0) / 12)) }
            let smape = Metrics.sMAPE(actual: truth, forecast: forecast)
            total += smape
            #expect(smape < 0.12, "seed \(seed): sMAPE \(smape)")
        }
        // 0.061 with τ = 0.25; 0.092 with τ = 0.1, which lends too much weight to the non-seasonal forms.
        #expect(total / 4 < 0.07, "mean sMAPE \(total / 4)")
    }

    @Test func nonSeasonalSeriesPickNonSeasonalForms() throws {
        var nonSeasonal = 0
        for seed in 1...8 as ClosedRange<UInt64> {
            let kind = try ExponentialSmoothing.select(Self.localLevel(72, seed: seed), kinds: Kind.automatic).best.kind
            if !kind.isSeasonal { nonSeasonal += 1 }
        }
        #expect(nonSeasonal >= 7, "a non-seasonal form chosen for \(nonSeasonal) of 8 random walks")
        for seed in 1...4 as ClosedRange<UInt64> {
            let kind = try ExponentialSmoothing.select(ForecastFixtures.trend(60, seed: seed), kinds: Kind.automatic).best.kind
            #expect(!kind.isSeasonal && kind.hasTrend, "seed \(seed): a planted line chose \(kind)")
        }
    }

    @Test func multiplicativeErrorsReportTheirOwnLikelihood() throws {
        let y = Self.multiplicativePath(72, sigma: 0.05, seed: 3)
        let model = try ExponentialSmoothing.fit(y, kind: Kind(error: .multiplicative, trend: .none, season: .multiplicative))
        let fitted = model.fittedValues(y)
        let n = Double(y.count)
        let relative = zip(y, fitted).map { ($0 - $1) / $1 }
        let squares = relative.reduce(0) { $0 + $1 * $1 }
        let logs = fitted.reduce(0) { $0 + log($1) }
        // −2 log L = n log(2π Σε²/n) + n + 2 Σ log ŷ.
        let expected = -0.5 * (n * log(2 * .pi * squares / n) + n + 2 * logs)
        let ll = try #require(model.logLikelihood)
        #expect(abs(ll - expected) < 1e-6 * abs(expected), "log L \(ll), expected \(expected)")
        let k = Double(model.parameterCount)
        #expect(abs(try #require(model.aicc) - (-2 * ll + 2 * k + 2 * k * (k + 1) / (n - k - 1))) < 1e-9 * abs(ll))
        // σ² is the variance of the relative errors: near 0.05² on its own generating process.
        #expect(model.sigma2 > 0.03 * 0.03 && model.sigma2 < 0.08 * 0.08, "σ² \(model.sigma2)")
        let sse = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(sse - model.sse) <= 1e-9 * model.sse)
        #expect(throws: ForecastError.notPositive(kind: Kind(error: .multiplicative, trend: .none, season: .none), index: 1)) {
            try ExponentialSmoothing.fit([3, -1, 4, 5], kind: Kind(error: .multiplicative, trend: .none, season: .none))
        }
    }

    @Test func selectedModelsIntervalsCoverAtRoughlyTheNominalRate() throws {
        var inside = 0
        var total = 0
        for seed in 1...40 as ClosedRange<UInt64> {
            let y = Self.multiplicativePath(78, sigma: 0.05, seed: 100 + seed)
            let model = try ExponentialSmoothing.select(Array(y.prefix(72)), kinds: Kind.automatic).best
            for (step, truth) in zip(model.forecast(6, level: 0.8), y.suffix(6)) {
                #expect(step.lower <= step.mean && step.mean <= step.upper)
                if step.lower <= truth && truth <= step.upper { inside += 1 }
                total += 1
            }
        }
        let rate = Double(inside) / Double(total)
        #expect(rate > 0.68 && rate < 0.92, "80% intervals covered \(rate)")
    }

    @Test func multiplicativeErrorIntervalsWidenWithTheLevel() throws {
        // Class 2: the same series at ten times the level has intervals ten times as wide.
        let y = Self.localLevel(60, seed: 5)
        let kind = Kind(error: .multiplicative, trend: .damped, season: .none)
        let small = try ExponentialSmoothing.fit(y, kind: kind).forecast(6)
        let large = try ExponentialSmoothing.fit(y.map { $0 * 10 }, kind: kind).forecast(6)
        for (a, b) in zip(small, large) {
            #expect(abs((b.upper - b.lower) / (a.upper - a.lower) - 10) < 1e-3, "\(a) \(b)")
        }
        for h in 1..<6 { #expect(small[h].upper - small[h].lower > small[h - 1].upper - small[h - 1].lower) }
    }

    @Test func combinationWeighsByAICcAndStaysInsideItsMembers() throws {
        let y = Self.multiplicativePath(84, sigma: 0.04, growth: 1, seed: 21)
        let selection = try ExponentialSmoothing.select(Array(y.prefix(72)), kinds: Kind.automatic)
        #expect(selection.fitted.count == 18)
        let weights = selection.weights
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
        let aicc = selection.fitted.compactMap(\.aicc)
        let heaviest = try #require(weights.indices.max { weights[$0] < weights[$1] })
        #expect(selection.fitted[heaviest] == selection.best)
        // exp(−τ·ΔAICc/2) between any two models.
        let tau = ExponentialSmoothing.Selection.combinationTemperature
        #expect(abs(weights[0] / weights[1] - exp(-0.5 * tau * (aicc[0] - aicc[1]))) < 1e-9 * weights[0] / weights[1])
        let combined = selection.combinedForecast(12)
        let members = selection.fitted.map { $0.forecast(12) }
        for h in 0..<12 {
            let means = members.map { $0[h].mean }
            #expect(combined[h].lower <= combined[h].mean && combined[h].mean <= combined[h].upper)
            #expect(combined[h].mean >= means.min()! && combined[h].mean <= means.max()!)
        }
        let smape = Metrics.sMAPE(actual: Array(y.suffix(12)), forecast: combined.map(\.mean))
        #expect(smape < 0.08, "sMAPE \(smape)")
        // One candidate: the combination is that model's forecast.
        let short = try ExponentialSmoothing.select(Self.localLevel(20, seed: 2), kinds: [.simple])
        #expect(short.combinedForecast(5) == short.best.forecast(5))
    }

    @Test func automaticBatchIsDeterministicWhateverTheThreads() throws {
        var series: [[Double]] = []
        for seed in 1...6 as ClosedRange<UInt64> {
            series.append(Self.multiplicativePath(50, sigma: 0.04, seed: seed))
            series.append(Self.localLevel(30, seed: seed))
        }
        let parallel = ForecastBatch.run(series, horizon: 18, kinds: Kind.automatic)
        let serial = ForecastBatch.run(series, horizon: 18, kinds: Kind.automatic, parallel: false)
        for (i, (p, s)) in zip(parallel, serial).enumerated() {
            let a = try p.get()
            let b = try s.get()
            #expect(a == b, "series \(i)")
            #expect(a.forecast.map(\.mean.bitPattern) == b.forecast.map(\.mean.bitPattern))
        }
    }
}

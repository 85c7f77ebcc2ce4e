import DecisioningLearning
import Foundation
import Testing

@Suite struct ExponentialSmoothingSelectionTests {
    typealias Kind = ExponentialSmoothing.Kind

    /// Selects on the first n − 6 values and returns the kind and the forecast's sMAPE on the last 6.
    func holdOut(_ y: [Double]) throws -> (kind: Kind, smape: Double) {
        let train = Array(y.dropLast(6))
        let test = Array(y.suffix(6))
        let selection = try ExponentialSmoothing.select(train)
        let forecast = selection.best.forecast(6).map(\.mean)
        return (selection.best.kind, Metrics.sMAPE(actual: test, forecast: forecast))
    }

    @Test func pureLevelSelectsSimpleSmoothing() throws {
        var right = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let (kind, smape) = try holdOut(ForecastFixtures.level(54, seed: seed))
            if kind == .simple { right += 1 }
            #expect(!kind.isSeasonal, "seed \(seed): no seasonality in a pure level")
            #expect(smape < 0.1, "seed \(seed): sMAPE \(smape)")
        }
        #expect(right >= 4, "simple smoothing chosen for \(right) of 6 pure-level series")
    }

    @Test func linearTrendSelectsATrendModel() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = ForecastFixtures.trend(54, seed: seed)
            let (kind, smape) = try holdOut(y)
            #expect(kind == .holt || kind == .dampedTrend, "seed \(seed): chose \(kind)")
            #expect(smape < 0.03, "seed \(seed): sMAPE \(smape)")
        }
    }

    @Test func additiveSeasonalitySelectsHoltWintersAdditive() throws {
        var right = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = ForecastFixtures.additive(66, seed: seed)
            let (kind, smape) = try holdOut(y)
            if kind == .additiveSeasonal { right += 1 }
            #expect(kind.isSeasonal, "seed \(seed): chose \(kind)")
            #expect(smape < 0.03, "seed \(seed): sMAPE \(smape)")
            // Better than the seasonal naive forecast, which ignores the trend.
            let naive = Metrics.sMAPE(
                actual: Array(y.suffix(6)), forecast: ForecastFixtures.seasonalNaive(Array(y.dropLast(6)), horizon: 6))
            #expect(smape < naive, "seed \(seed): ETS \(smape) vs seasonal naive \(naive)")
        }
        #expect(right >= 5, "additive Holt-Winters chosen for \(right) of 6 series")
    }

    @Test func multiplicativeSeasonalitySelectsHoltWintersMultiplicative() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let y = ForecastFixtures.multiplicative(66, seed: seed)
            let (kind, smape) = try holdOut(y)
            #expect(kind == .multiplicativeSeasonal, "seed \(seed): chose \(kind)")
            #expect(smape < 0.03, "seed \(seed): sMAPE \(smape)")
        }
    }

    @Test func fittedParametersStayInTheAdmissibleRegion() throws {
        let y = ForecastFixtures.multiplicative(60, seed: 3)
        for kind in Kind.allCases {
            let model = try ExponentialSmoothing.fit(y, kind: kind)
            let p = model.parameters
            #expect(p.alpha > 0 && p.alpha < 1)
            #expect((p.beta != nil) == kind.hasTrend)
            #expect((p.gamma != nil) == kind.isSeasonal)
            #expect((p.phi != nil) == kind.isDamped)
            if let beta = p.beta { #expect(beta > 0 && beta < p.alpha) }
            if let gamma = p.gamma { #expect(gamma > 0 && gamma < 1 - p.alpha) }
            if let phi = p.phi { #expect(phi >= 0.8 && phi <= 0.98) }
            #expect(model.finalState.season.count == (kind.isSeasonal ? 12 : 0))
            if kind == .additiveSeasonal { #expect(abs(model.initialState.season.reduce(0, +)) < 1e-9) }
            if kind == .multiplicativeSeasonal { #expect(abs(model.initialState.season.reduce(0, +) - 12) < 1e-9) }
            #expect(model.aicc != nil && model.sse > 0)
            // The SSE is the one of the reported parameters and initial state.
            let fitted = model.fittedValues(y)
            let sse = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            #expect(abs(sse - model.sse) <= 1e-9 * model.sse)
        }
    }

    @Test func selectionListsEveryCandidateAndKeepsTheLowestAICc() throws {
        let selection = try ExponentialSmoothing.select(ForecastFixtures.additive(48, seed: 9))
        #expect(selection.candidates.map(\.kind) == Kind.allCases)
        let tried = selection.tried
        #expect(tried.count == 5)
        #expect(selection.best.aicc == tried.map(\.aicc).min())
        #expect(selection.notes.isEmpty)
    }

    @Test func periodIsConfigurable() throws {
        let y = ForecastFixtures.series(count: 40, seed: 4, sd: 0.5) { 30 + 8 * cos(2 * .pi * $0 / 4) }
        let selection = try ExponentialSmoothing.select(y, period: 4)
        #expect(selection.best.kind.isSeasonal)
        #expect(selection.best.period == 4)
        let forecast = selection.best.forecast(4).map(\.mean)
        let truth = (40..<44).map { 30 + 8 * cos(2 * .pi * Double($0) / 4) }
        #expect(Metrics.sMAPE(actual: truth, forecast: forecast) < 0.05)
    }
}

@Suite struct ExponentialSmoothingIntervalTests {
    /// Fraction of the held-out values inside the 80% intervals over many seeded series.
    func coverage(kind: ExponentialSmoothing.Kind, series: Int, horizon: Int, _ make: (UInt64) -> [Double]) throws -> Double {
        var inside = 0
        var total = 0
        for seed in 1...UInt64(series) {
            let y = make(seed)
            let model = try ExponentialSmoothing.fit(Array(y.dropLast(horizon)), kind: kind)
            for (step, truth) in zip(model.forecast(horizon, level: 0.8), y.suffix(horizon)) {
                #expect(step.lower <= step.mean && step.mean <= step.upper)
                if step.lower <= truth && truth <= step.upper { inside += 1 }
                total += 1
            }
        }
        return Double(inside) / Double(total)
    }

    @Test func analyticalIntervalsCoverAtRoughlyTheNominalRate() throws {
        let simple = try coverage(kind: .simple, series: 150, horizon: 6) { ForecastFixtures.localLevel(54, alpha: 0.3, seed: $0) }
        #expect(simple > 0.65 && simple < 0.95, "ETS(A,N,N) 80% coverage \(simple)")
        let seasonal = try coverage(kind: .additiveSeasonal, series: 60, horizon: 6) { ForecastFixtures.additive(66, seed: 1000 + $0) }
        #expect(seasonal > 0.65 && seasonal < 0.95, "ETS(A,A,A) 80% coverage \(seasonal)")
    }

    @Test func simulatedIntervalsCoverAtRoughlyTheNominalRate() throws {
        let rate = try coverage(kind: .multiplicativeSeasonal, series: 40, horizon: 6) {
            ForecastFixtures.multiplicative(66, seed: 2000 + $0)
        }
        #expect(rate > 0.65 && rate < 0.95, "ETS(A,A,M) 80% coverage \(rate)")
    }

    @Test func intervalsWidenWithTheHorizonAndTheLevel() throws {
        let model = try ExponentialSmoothing.fit(ForecastFixtures.trend(40, seed: 2), kind: .holt)
        let narrow = model.forecast(8, level: 0.5)
        let wide = model.forecast(8, level: 0.95)
        #expect(narrow.map(\.step) == Array(1...8))
        for h in 1..<8 { #expect(wide[h].upper - wide[h].lower > wide[h - 1].upper - wide[h - 1].lower) }
        for (n, w) in zip(narrow, wide) {
            #expect(n.mean == w.mean)
            #expect(w.upper - w.lower > n.upper - n.lower)
        }
        // One step ahead the interval is mean ± z·σ exactly.
        let z95 = 1.959963984540054
        #expect(abs((wide[0].upper - wide[0].mean) - z95 * model.sigma2.squareRoot()) < 1e-7 * wide[0].mean)
        #expect(model.forecast(0).isEmpty)
    }
}

@Suite struct ExponentialSmoothingDeterminismTests {
    @Test func refittingGivesBitIdenticalModels() throws {
        let y = ForecastFixtures.multiplicative(50, seed: 12)
        let a = try ExponentialSmoothing.select(y)
        let b = try ExponentialSmoothing.select(y)
        #expect(a == b)
        #expect(a.best.forecast(12) == b.best.forecast(12))
    }

    @Test func codableRoundTripForecastsBitIdentically() throws {
        let y = ForecastFixtures.multiplicative(50, seed: 13)
        for kind in ExponentialSmoothing.Kind.allCases {
            let model = try ExponentialSmoothing.fit(y, kind: kind)
            let data = try JSONEncoder().encode(model)
            let decoded = try JSONDecoder().decode(ExponentialSmoothing.self, from: data)
            #expect(decoded == model, "\(kind)")
            let before = model.forecast(18, level: 0.9)
            let after = decoded.forecast(18, level: 0.9)
            #expect(before.count == 18)
            for (x, z) in zip(before, after) {
                #expect(
                    x.mean.bitPattern == z.mean.bitPattern && x.lower.bitPattern == z.lower.bitPattern
                        && x.upper.bitPattern == z.upper.bitPattern)
            }
        }
        let selection = try ExponentialSmoothing.select(y)
        let decoded = try JSONDecoder().decode(ExponentialSmoothing.Selection.self, from: JSONEncoder().encode(selection))
        #expect(decoded == selection)
    }
}

@Suite struct ExponentialSmoothingEdgeCaseTests {
    @Test func emptySeriesIsAnError() {
        #expect(throws: ForecastError.empty) { try ExponentialSmoothing.select([]) }
        #expect(throws: ForecastError.empty) { try ExponentialSmoothing.fit([], kind: .simple) }
    }

    @Test func singleValueIsAnError() {
        #expect(throws: ForecastError.tooShort(kind: .simple, count: 1, minimum: 2)) { try ExponentialSmoothing.select([42]) }
        #expect(throws: ForecastError.tooShort(kind: .simple, count: 1, minimum: 2)) { try ExponentialSmoothing.fit([42], kind: .simple) }
        #expect(
            ForecastError.tooShort(kind: .simple, count: 1, minimum: 2).description == "ETS(A,N,N) needs at least 2 observations, found 1")
    }

    @Test func nonFiniteValuesAreAnError() {
        #expect(throws: ForecastError.nonFinite(index: 2)) { try ExponentialSmoothing.select([1, 2, .nan, 4, 5]) }
        #expect(throws: ForecastError.nonFinite(index: 0)) { try ExponentialSmoothing.fit([.infinity, 2, 3], kind: .holt) }
    }

    @Test func invalidPeriodsAreErrors() {
        #expect(throws: ForecastError.invalidPeriod(0)) { try ExponentialSmoothing.select([1, 2, 3], period: 0) }
        #expect(throws: ForecastError.notSeasonal(period: 1)) {
            try ExponentialSmoothing.fit(Array(repeating: 1.5, count: 30), kind: .additiveSeasonal, period: 1)
        }
    }

    @Test func constantSeriesGivesTheDocumentedDegenerateModel() throws {
        let y = [Double](repeating: 250, count: 30)
        let selection = try ExponentialSmoothing.select(y)
        #expect(selection.best.kind == .simple)
        #expect(selection.best.sse == 0 && selection.best.sigma2 == 0 && selection.best.aicc == nil)
        #expect(selection.notes.contains { $0.contains("constant series") })
        #expect(selection.candidates.filter { $0.skipped == "constant series" }.count == 4)
        for step in selection.best.forecast(5) { #expect(step.mean == 250 && step.lower == 250 && step.upper == 250) }
        let seasonal = try ExponentialSmoothing.fit(y, kind: .multiplicativeSeasonal)
        #expect(seasonal.forecast(3).map(\.mean) == [250, 250, 250])
        #expect(seasonal.notes.first?.contains("constant series") == true)
    }

    @Test func shortSeriesFallsBackToNonSeasonalModelsAndSaysSo() throws {
        let y = Array(ForecastFixtures.additive(66, seed: 1).prefix(20))
        let selection = try ExponentialSmoothing.select(y)
        #expect(!selection.best.kind.isSeasonal)
        #expect(selection.notes.contains { $0.contains("fewer than two full seasons of 12") })
        let skipped = selection.candidates.filter { $0.kind.isSeasonal }
        #expect(skipped.count == 2 && skipped.allSatisfy { $0.aicc == nil && $0.skipped?.contains("two full seasons") == true })
        #expect(throws: ForecastError.tooShort(kind: .additiveSeasonal, count: 20, minimum: 24)) {
            try ExponentialSmoothing.fit(y, kind: .additiveSeasonal)
        }
    }

    @Test func multiplicativeNeedsAStrictlyPositiveSeries() throws {
        var y = ForecastFixtures.additive(48, seed: 2).map { $0 - 200 }
        y[0] = 0
        #expect(throws: ForecastError.notPositive(kind: .multiplicativeSeasonal, index: 0)) {
            try ExponentialSmoothing.fit(y, kind: .multiplicativeSeasonal)
        }
        let selection = try ExponentialSmoothing.select(y)
        #expect(selection.candidates.first { $0.kind == .multiplicativeSeasonal }?.skipped == "the series is not strictly positive")
        #expect(selection.best.kind != .multiplicativeSeasonal)
    }

    @Test func veryShortSeriesStillForecast() throws {
        let selection = try ExponentialSmoothing.select([10, 12])
        #expect(selection.best.kind == .simple)
        #expect(selection.notes.contains { $0.contains("no candidate has an AICc") })
        let forecast = selection.best.forecast(2)
        #expect(forecast.count == 2 && forecast.allSatisfy { $0.mean >= 10 && $0.mean <= 12 })
    }
}

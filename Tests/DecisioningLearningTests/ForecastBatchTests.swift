import DecisioningLearning
import Testing

@Suite struct ForecastBatchTests {
    var series: [[Double]] {
        var all: [[Double]] = []
        for seed in 1...10 as ClosedRange<UInt64> {
            all.append(ForecastFixtures.additive(36 + Int(seed), seed: seed))
            all.append(ForecastFixtures.multiplicative(30, seed: seed))
            all.append(ForecastFixtures.trend(18, seed: seed))
        }
        all.insert([], at: 5)
        all.insert([1, 2, .nan], at: 9)
        all.insert([7], at: 11)
        return all
    }

    @Test func parallelRunEqualsTheSerialRunAndSingleFits() throws {
        let input = series
        let parallel = ForecastBatch.run(input, horizon: 6)
        let serial = ForecastBatch.run(input, horizon: 6, parallel: false)
        #expect(parallel.count == input.count)
        for (i, (p, s)) in zip(parallel, serial).enumerated() {
            switch (p, s) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "series \(i)")
                let single = try ExponentialSmoothing.select(input[i])
                #expect(a.selection == single)
                #expect(a.forecast == single.best.forecast(6))
                #expect(a.forecast.count == 6)
            case (.failure(let a), .failure(let b)):
                #expect(a == b)
            default:
                Issue.record("series \(i): parallel and serial runs disagree")
            }
        }
    }

    @Test func failuresStayInPlace() {
        let results = ForecastBatch.run(series, horizon: 3)
        func error(_ i: Int) -> ForecastError? { if case .failure(let e) = results[i] { return e } else { return nil } }
        #expect(error(5) == .empty)
        #expect(error(9) == .nonFinite(index: 2))
        #expect(error(11) == .tooShort(kind: .simple, count: 1, minimum: 2))
        #expect(
            results.enumerated().filter { if case .failure = $0.element { return true } else { return false } }.map(\.offset) == [5, 9, 11])
    }

    @Test func shortSeriesInABatchSayTheyFellBack() throws {
        let results = ForecastBatch.run([ForecastFixtures.trend(18, seed: 1), ForecastFixtures.additive(40, seed: 1)], horizon: 2)
        let short = try results[0].get()
        let long = try results[1].get()
        #expect(!short.model.kind.isSeasonal && short.selection.notes.contains { $0.contains("two full seasons") })
        #expect(long.model.kind.isSeasonal && long.selection.notes.isEmpty)
    }
}

import DecisioningLearning
import Foundation
import Testing

/// Our side of bench/ml_forecast.py: reads its CSV (`series_id,month,value`, see the script), selects and
/// forecasts every series on the first 30 months, scores the last 6. Runs only when FORECAST_BENCH_CSV names the file.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FORECAST_BENCH_CSV"] != nil))
struct ForecastBenchmarkTests {
    @Test func holtWintersAdditiveBeatsSeasonalNaiveOnTheBenchmarkSeries() throws {
        let path = ProcessInfo.processInfo.environment["FORECAST_BENCH_CSV"]!
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var byID: [Int: [Double]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count == 3, let id = Int(fields[0]), let value = Double(fields[2]) else { continue }
            byID[id, default: []].append(value)
        }
        let series = byID.keys.sorted().map { byID[$0]! }
        #expect(!series.isEmpty)
        let train = series.map { Array($0.prefix(30)) }
        let clock = ContinuousClock()
        var results: [Result<ForecastBatch.Item, ForecastError>] = []
        let elapsed = clock.measure { results = ForecastBatch.run(train, horizon: 6) }
        // The same model as the statsmodels side: ETS(A,A,A), no selection.
        var fixed: [ExponentialSmoothing] = []
        let fixedElapsed = try clock.measure { fixed = try train.map { try ExponentialSmoothing.fit($0, kind: .additiveSeasonal) } }
        var ets = 0.0
        var naive = 0.0
        var aaa = 0.0
        var kinds: [String: Int] = [:]
        for (y, result) in zip(series, results) {
            let item = try result.get()
            let test = Array(y[30..<36])
            ets += Metrics.sMAPE(actual: test, forecast: item.forecast.map(\.mean))
            naive += Metrics.sMAPE(actual: test, forecast: ForecastFixtures.seasonalNaive(Array(y.prefix(30)), horizon: 6))
            kinds[item.model.kind.notation, default: 0] += 1
        }
        for (y, model) in zip(series, fixed) { aaa += Metrics.sMAPE(actual: Array(y[30..<36]), forecast: model.forecast(6).map(\.mean)) }
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        let n = Double(series.count)
        print(
            String(
                format:
                    "decisioning ETS(A,A,A) smape=%.4f seconds=%.2f (one thread); AICc selection smape=%.4f seconds=%.2f (batch, all cores); seasonal naive %.4f; series=%d",
                aaa / n, seconds(fixedElapsed), ets / n, seconds(elapsed), naive / n, series.count), kinds.sorted { $0.key < $1.key })
        #expect(aaa < naive)
    }
}

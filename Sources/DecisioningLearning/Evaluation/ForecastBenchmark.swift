/// Holds out the last months of many series, forecasts them with AICc-selected exponential
/// smoothing, and scores the forecasts (the Learning benchmark's forecasting task).
public enum ForecastBenchmark {
    public struct Outcome: Sendable {
        /// Mean sMAPE over the series that could be modelled.
        public var smape: Double
        /// How many series each model kind won.
        public var models: [String: Int]
        public var failed: Int
    }

    public static func run(_ series: [[Double]], holdout: Int, period: Int = 12) throws -> Outcome {
        let training = series.map { Array($0.dropLast(holdout)) }
        let results = ForecastBatch.run(training, horizon: holdout, period: period)
        var total = 0.0
        var counted = 0
        var failed = 0
        var models: [String: Int] = [:]
        for (full, result) in zip(series, results) {
            switch result {
            case .success(let item):
                total += Metrics.sMAPE(actual: Array(full.suffix(holdout)), forecast: item.forecast.map(\.mean))
                counted += 1
                models[item.model.kind.notation, default: 0] += 1
            case .failure:
                failed += 1
            }
        }
        return Outcome(smape: counted > 0 ? total / Double(counted) : .nan, models: models, failed: failed)
    }
}

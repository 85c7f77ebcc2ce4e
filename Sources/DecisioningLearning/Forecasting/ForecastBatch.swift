import DecisioningCore
import Dispatch

/// Fits and forecasts many independent series (per customer, per industry, …) in parallel.
///
/// Each series is selected among `kinds` and forecast on its own (`ExponentialSmoothing.select` then `forecast`), one
/// series per work item on all cores; results land in input order and each depends only on its own series,
/// so they are bit-identical whatever the number of threads (`run(…, parallel: false)` gives the same output).
public enum ForecastBatch {
    public struct Item: Sendable, Codable, Equatable {
        public let selection: ExponentialSmoothing.Selection
        public let forecast: [ForecastStep]
        public var model: ExponentialSmoothing { selection.best }
    }

    /// One result per input series, in input order: the selection and its `horizon`-step forecast, or why
    /// the series could not be modelled (empty, a single value, non-finite values, invalid period).
    public static func run(
        _ series: [[Double]], horizon: Int, period: Int = 12, level: Double = 0.8,
        kinds: [ExponentialSmoothing.Kind] = ExponentialSmoothing.Kind.allCases, parallel: Bool = true
    ) -> [Result<Item, ForecastError>] {
        precondition(horizon >= 0, "the horizon must not be negative")
        precondition(level > 0 && level < 1, "the interval level must lie strictly between 0 and 1")
        @Sendable func one(_ y: [Double]) -> Result<Item, ForecastError> {
            do throws(ForecastError) {
                let selection = try ExponentialSmoothing.select(y, period: period, kinds: kinds)
                return .success(Item(selection: selection, forecast: selection.best.forecast(horizon, level: level)))
            } catch {
                return .failure(error)
            }
        }
        guard parallel, series.count > 1 else { return series.map(one) }
        let slots = ResultSlots<Result<Item, ForecastError>>(count: series.count)
        DispatchQueue.concurrentPerform(iterations: series.count) { i in
            slots.set(i, one(series[i]))
        }
        return slots.values()
    }
}

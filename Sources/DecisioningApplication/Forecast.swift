import DecisioningCore
import DecisioningLearning
import DecisioningStore
import Dispatch
import Foundation
import Synchronization

extension Application {
    /// What `forecast` computes: how far ahead, the seasonal period, the interval's level, and on how many threads.
    public struct ForecastOptions: Sendable {
        public var horizon: Int
        public var period: Int
        /// The prediction interval's nominal coverage in percent, 0 < level < 100.
        public var level: Double
        /// Series fitted at once; each series is fitted on one thread.
        public var threads: Int

        public static let horizonRange = 1...1000
        public static let periodRange = 1...1000

        public init(horizon: Int, period: Int, level: Double = 80, threads: Int? = nil) {
            self.horizon = horizon
            self.period = period
            self.level = level
            self.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        }

        /// Why the options cannot be used, or nil.
        public var problem: String? {
            if !Self.horizonRange.contains(horizon) { return "--horizon must be 1 to \(Self.horizonRange.upperBound), found \(horizon)" }
            if !Self.periodRange.contains(period) { return "--period must be 1 to \(Self.periodRange.upperBound), found \(period)" }
            if !(level > 0 && level < 100) { return "--level must lie strictly between 0 and 100 (percent), found \(level)" }
            if threads < 1 { return "--threads must be at least 1, found \(threads)" }
            return nil
        }
    }

    /// The threads `forecast` fits on: started as needed up to its capacity, then kept for later calls.
    static let forecastPool = BlockingPool(name: "decisioning.forecast", capacity: ProcessInfo.processInfo.activeProcessorCount)

    /// Reads the series in `file` (`ForecastSeriesFile`), fits the exponential smoothing models each allows among 18
    /// error, trend and season forms (`ExponentialSmoothing.select` with `Kind.automatic`) and forecasts it
    /// `options.horizon` steps ahead with `options.level`% intervals by their AICc-weighted combination
    /// (`Selection.combinedForecast`); the report names the model with the lowest AICc, the heaviest member.
    ///
    /// Series are fitted in parallel on `options.threads` threads of a bounded pool, each series on one thread;
    /// results come back in the file's order and do not depend on the number of threads.
    public static func forecast(file: String, options: ForecastOptions) throws -> ForecastReport {
        if let problem = options.problem { throw ForecastInputError(file: file, line: 0, problem) }
        let input = try ForecastSeriesFile(path: file)
        return try forecast(input.series, file: file, options: options)
    }

    /// Forecasts series already read (see `forecast(file:options:)`).
    public static func forecast(_ series: [ForecastSeriesFile.Series], file: String, options: ForecastOptions) throws -> ForecastReport {
        if let problem = options.problem { throw ForecastInputError(file: file, line: 0, problem) }
        let level = options.level / 100
        let slots = ResultSlots<Result<ForecastReport.Series, ForecastInputError>>(count: series.count)
        let next = Atomic<Int>(0)
        let workers = min(options.threads, series.count)
        forecastPool.reserve(workers)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            forecastPool.submit {
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < series.count else { break }
                    slots.set(i, one(series[i], file: file, options: options, level: level))
                }
                group.leave()
            }
        }
        group.wait()
        var results: [ForecastReport.Series] = []
        for result in slots.values() { results.append(try result.get()) }
        return ForecastReport(horizon: options.horizon, period: options.period, level: options.level, series: results)
    }

    private static func one(
        _ s: ForecastSeriesFile.Series, file: String, options: ForecastOptions, level: Double
    ) -> Result<ForecastReport.Series, ForecastInputError> {
        do throws(ForecastError) {
            let selection = try ExponentialSmoothing.select(s.values, period: options.period, kinds: ExponentialSmoothing.Kind.automatic)
            let model = selection.best
            let steps = selection.combinedForecast(options.horizon, level: level).map { step in
                ForecastReport.Step(
                    step: step.step, t: s.time.label(s.values.count - 1 + step.step), forecast: step.mean, lower: step.lower,
                    upper: step.upper)
            }
            return .success(ForecastReport.Series(id: s.id, model: model.kind.notation, observations: s.values.count, steps: steps))
        } catch {
            return .failure(ForecastInputError(file: file, line: s.line, field: "value", "series '\(s.id)': \(error)"))
        }
    }
}

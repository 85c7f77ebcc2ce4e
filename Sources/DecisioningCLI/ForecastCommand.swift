import ArgumentParser
import DecisioningApplication
import Foundation

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast every series of a CSV file with exponential smoothing, with prediction intervals.",
        discussion: """
            The file has a header row naming series_id, t and value (other columns are ignored) and one observation per row;
            t is an integer or a YYYY-MM-DD date, strictly increasing by a constant step within a series, without gaps.
            Each series is fitted with the exponential smoothing models (ETS, Hyndman et al.) of every error, trend and
            season form its length and sign allow, and forecast by their combination weighted by AICc; series are fitted
            in parallel on --threads threads.
            Output: CSV series_id,step,t,forecast,lo,hi,model (t is the step's time label; model is the AICc-best form, the
            combination's heaviest member), or JSON with the same fields per series. A bad file is refused with its file,
            line and field, and nothing is printed on standard output.
            """)

    @Option(help: "The CSV file of series (series_id,t,value).")
    var series: String

    @Option(help: "Steps to forecast (1 to 1000).")
    var horizon: Int

    @Option(help: "The seasonal period in steps (12 for monthly data, 4 quarterly, 7 daily with weekly seasonality, 1 for none).")
    var period: Int

    @Option(help: "The prediction interval's level in percent.")
    var level: Double = 80

    @Option(help: "csv or json.")
    var format: ForecastFormat = .csv

    @Option(help: "Series fitted at once (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    var options: Application.ForecastOptions { .init(horizon: horizon, period: period, level: level, threads: threads) }

    func validate() throws {
        if let problem = options.problem { throw ValidationError(problem) }
    }

    func run() throws {
        let report = try Application.forecast(file: series, options: options)
        switch format {
        case .csv: StandardOutput.write(Data(report.csv.dropLast().utf8))
        case .json: StandardOutput.write(try report.json())
        }
    }
}

enum ForecastFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json
}

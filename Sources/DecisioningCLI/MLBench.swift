import ArgumentParser
import DecisioningAgents
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningLearning
import DecisioningSynth
import Foundation

/// `decisioning bench ml`: our learners on the generated company, timed, with the data the Python
/// peers (bench/ml.py) read in the same run.
struct MLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Time the isolation forest, the overrun model and the forecasts on the generated company (quality and seconds).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Scale to generate when the database is empty.")
    var scale: Double = 1

    @Option(help: "The as-of date of the data.")
    var asOf: DayArgument = DayArgument(argument: "2026-11-25")!

    @Option(help: "Where to write the 1,000 monthly series (series_id,t,value) the forecast part uses.")
    var seriesOut = "out/bench/series.csv"

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(help: "Fits of the overrun model; its training time is their median (the peers in bench/ml.py repeat as many).")
    var repeats = 5

    @Option(help: "The parts to run, comma-separated: anomaly, overrun, forecast.")
    var parts = "anomaly,overrun,forecast"

    func run() throws {
        let chosen = Set(parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !chosen.isEmpty, chosen.isSubset(of: ["anomaly", "overrun", "forecast"]) else {
            throw ValidationError("--parts takes anomaly, overrun and forecast, comma-separated; found \(parts)")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        let app = try global.open(logger: global.makeLogger(), existing: true)
        if try app.isEmpty() {
            FileHandle.standardError.write(Data("generating scale \(scale) …\n".utf8))
            _ = try app.generate(Generator(spec: GeneratorSpec(scale: scale, seed: 42, asOf: asOf.day)))
        }
        guard let truth = app.plantedTruth() else {
            throw ValidationError(
                "bench ml needs a database made by `decisioning generate` and its truth file \(Application.truthPath(for: app.url))")
        }
        let warehouse = app.warehouse
        var report: [String: Any] = ["as_of": asOf.day.iso]
        var lines: [String] = []
        if chosen.contains("anomaly") { try anomaly(warehouse, truth: truth, report: &report, lines: &lines) }
        if chosen.contains("overrun") { try overrun(warehouse, report: &report, lines: &lines) }
        if chosen.contains("forecast") { try forecast(warehouse, report: &report, lines: &lines) }
        if format == .json {
            let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            StandardOutput.write(json)
            return
        }
        for line in lines { print(line) }
    }

    /// 1. Isolation forest, fit and score on every project with a budget, a cost and a booked month,
    ///    with the Discovery agent's features.
    func anomaly(_ warehouse: Warehouse, truth: GroundTruth, report: inout [String: Any], lines: inout [String]) throws {
        let projects = try warehouse.query(
            Plan.scan("projects", ["project_id", "start_date", "end_date", "budget_amount", "actual_cost"])
                .sort(.asc("project_id")), asOf: asOf.day)
        func int(_ v: Value) -> Int64? {
            if case .decimal(let x) = v { return x } else if case .integer(let x) = v { return x } else { return nil }
        }
        func day(_ v: Value) -> Day? { if case .date(let d) = v { return d } else { return nil } }
        var anomalyRows: [[Double]] = []
        var anomalyLabels: [Bool] = []
        let planted = Set(truth.anomalousProjects)
        for row in projects.rows {
            guard let budget = int(row[3]), budget > 0, let actual = int(row[4]), actual > 0, let start = day(row[1]),
                let end = day(row[2]),
                let share = ProjectFeatures.budgetShare(start: start, end: end, asOf: asOf.day)
            else { continue }
            anomalyRows.append(ProjectFeatures.costAnomalyRow(budget: budget, actualCost: actual, share: share))
            anomalyLabels.append(planted.contains(row[0].description))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let forest = try IsolationForest.fit(anomalyRows, trees: 100, sampleSize: 256, seed: 0)
        let scores = forest.scores(anomalyRows)
        let seconds = (clock.now - start).seconds
        let auc = Metrics.rocAUC(scores: scores, labels: anomalyLabels) ?? 0
        report["anomaly"] = ["auc": auc, "seconds": seconds, "rows": anomalyRows.count]
        lines.append(String(format: "isolation forest: ROC AUC %.4f, fit + score %.3f s on %d projects", auc, seconds, anomalyRows.count))
    }

    /// 2. The overrun model on completed projects (the Strategy agent's training plan and features, those
    ///    with a known customer risk), a fixed held-out quarter; the training time is the median of `repeats` fits.
    func overrun(_ warehouse: Warehouse, report: inout [String: Any], lines: inout [String]) throws {
        let completed = try warehouse.query(ProjectFeatures.overrunTrainingPlan, asOf: asOf.day)
        guard let idColumn = completed.fields.firstIndex(where: { $0.name == "project_id" }) else {
            throw ValidationError("the overrun training plan returned no project_id column")
        }
        var overrunRows: [[Double]] = []
        var overrunLabels: [Double] = []
        var ids: [String] = []
        for (row, (features, label)) in zip(
            completed.rows, zip(ProjectFeatures.overrunRows(completed), ProjectFeatures.overrunLabels(completed)))
        where !features[0].isNaN {
            overrunRows.append(features)
            overrunLabels.append(label)
            ids.append(row[idColumn].description)
        }
        let data = try Dataset(featureNames: ProjectFeatures.overrunFeatureNames, rows: overrunRows, labels: overrunLabels)
        let fold = try data.folds(4, seed: 42)[0]
        let training = data.subset(fold.train)
        let parameters = GradientBoostedTrees.Parameters(iterations: 300, learningRate: 0.1, maxDepth: 4, minSamplesLeaf: 20)
        let clock = ContinuousClock()
        var times: [Double] = []
        var cpu: [Double] = []
        var trained: GradientBoostedTrees?
        for _ in 0..<repeats {
            let start = clock.now
            let cpuStart = Self.processorSeconds()
            trained = try GradientBoostedTrees.fit(training, objective: .binaryLogistic, parameters: parameters)
            times.append((clock.now - start).seconds)
            cpu.append(Self.processorSeconds() - cpuStart)
        }
        guard let trees = trained else { throw ValidationError("--repeats must be at least 1") }
        let seconds = Self.median(times)
        let test = data.subset(fold.test)
        let auc = Metrics.rocAUC(scores: test.rows.map(trees.predict), labels: test.labels.map { $0 == 1 }) ?? 0
        let validationRows = Int(Double(training.count) * parameters.validationFraction)
        report["overrun"] = [
            "auc": auc, "seconds": seconds, "times": times, "cpu_seconds": Self.median(cpu), "repeats": repeats, "rounds": trees.rounds,
            // Early stopping grows `earlyStoppingRounds` trees past the best before it stops.
            "grown": min(parameters.iterations, trees.rounds + parameters.earlyStoppingRounds), "validation_rows": validationRows,
            "max_depth": parameters.maxDepth, "max_bins": parameters.maxBins, "threads": ProcessInfo.processInfo.activeProcessorCount,
            "train_rows": fold.train.count, "test_ids": fold.test.map { ids[$0] },
        ]
        lines.append(
            String(
                format: "overrun model (boosted trees, %d rounds): held-out ROC AUC %.4f, training %.3f s (median of %d) on %d projects",
                trees.rounds, auc, seconds, repeats, fold.train.count))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// User and system processor seconds of the whole process so far (every thread), as Python's `time.process_time`.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// 3. Forecasts: 1,000 monthly revenue series of 36 months, the last 6 held out.
    func forecast(_ warehouse: Warehouse, report: inout [String: Any], lines: inout [String]) throws {
        let (series, seriesNames) = try revenueSeries(warehouse, months: 36, count: 1000)
        let seriesDirectory = (seriesOut as NSString).deletingLastPathComponent
        if !seriesDirectory.isEmpty { try FileManager.default.createDirectory(atPath: seriesDirectory, withIntermediateDirectories: true) }
        var csv = "series_id,t,value\n"
        for (name, values) in zip(seriesNames, series) { for (t, v) in values.enumerated() { csv += "\(name),\(t),\(v)\n" } }
        try csv.write(to: URL(fileURLWithPath: seriesOut), atomically: true, encoding: .utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let forecast = try ForecastBenchmark.run(series, holdout: 6)
        let seconds = (clock.now - start).seconds
        report["forecast"] = ["smape": forecast.smape, "seconds": seconds, "series": series.count, "models": forecast.models]
        lines.append(
            String(format: "forecasts (ETS, AICc selection): sMAPE %.4f over %d series, %.3f s", forecast.smape, series.count, seconds))
    }

    /// Monthly REVENUE (dollars) of the customers with the most revenue over the last `months` complete months.
    func revenueSeries(_ warehouse: Warehouse, months: Int, count: Int) throws -> ([[Double]], [String]) {
        let plan = Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(
            col("metric_type").eq("REVENUE") && col("metric_date") >= .monthStart(.asOf(months: -months))
                && col("metric_date") < .monthStart(.asOf)
        )
        .join(.scan("projects", ["project_id", "customer_id"]), on: "m_project_id", equals: "project_id")
        .aggregate(
            by: [NamedExpr("customer_id", col("customer_id")), NamedExpr("month", col("metric_date").monthStart)],
            [.sum("revenue", col("metric_value"))])
        let rows = try warehouse.query(plan, asOf: asOf.day).rows
        let first = asOf.day.firstOfMonth.adding(months: -months).monthIndex()
        var byCustomer: [String: [Double]] = [:]
        for row in rows {
            guard case .text(let customer) = row[0], case .date(let month) = row[1], case .decimal(let cents) = row[2] else { continue }
            byCustomer[customer, default: Array(repeating: 0, count: months)][month.monthIndex() - first] += Double(cents) / 100
        }
        let chosen = byCustomer.sorted { ($0.value.reduce(0, +), $1.key) > ($1.value.reduce(0, +), $0.key) }.prefix(count)
        return (chosen.map(\.value), chosen.map(\.key))
    }
}

import ArgumentParser
import DecisioningAnalytics
import DecisioningCore
import DecisioningLearning
import DecisioningStore
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

    func run() throws {
        let (store, url) = try global.openStore(logger: global.makeLogger(), existing: true)
        if try store.rowCount("projects") == 0 {
            FileHandle.standardError.write(Data("generating scale \(scale) …\n".utf8))
            let truth = try Generator(spec: GeneratorSpec(scale: scale, seed: 42, asOf: asOf.day)).generate(into: store)
            try truth.encoded().write(to: URL(fileURLWithPath: GlobalOptions.truthPath(for: url)))
        }
        guard let truth = try? GroundTruth.load(path: GlobalOptions.truthPath(for: url)) else {
            throw ValidationError("bench ml needs a database made by `decisioning generate` and its truth file \(GlobalOptions.truthPath(for: url))")
        }
        let warehouse = Warehouse(store: store)
        let clock = ContinuousClock()
        var report: [String: Any] = ["as_of": asOf.day.iso]

        // 1. Isolation forest, fit and score on every project with a budget and a cost.
        let projects = try warehouse.query(Plan.scan("projects", ["project_id", "project_type", "status", "start_date", "end_date", "budget_amount", "actual_cost", "customer_id"])
            .join(.scan("customer_analytics", [ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("risk_score"), ScanColumn("average_payment_days"), ScanColumn("payment_terms")]),
                  on: "customer_id", equals: "c_customer_id", kind: .left)
            .sort(.asc("project_id")), asOf: asOf.day)
        let names = projects.fields.map(\.name)
        func value(_ row: [Value], _ name: String) -> Value { row[names.firstIndex(of: name)!] }
        func int(_ v: Value) -> Int64? { if case .decimal(let x) = v { return x } else if case .integer(let x) = v { return x } else { return nil } }
        func day(_ v: Value) -> Day? { if case .date(let d) = v { return d } else { return nil } }
        let lastBooked = asOf.day.monthIndex() - 1
        var anomalyRows: [[Double]] = [], anomalyLabels: [Bool] = []
        let planted = Set(truth.anomalousProjects)
        for row in projects.rows {
            guard let budget = int(value(row, "budget_amount")), budget > 0, let actual = int(value(row, "actual_cost")), actual > 0,
                  let start = day(value(row, "start_date")), let end = day(value(row, "end_date")), end >= start else { continue }
            let planned = max(1, (Double(start.days(until: end) + 1) / 30.4375).rounded())
            let booked = Double(lastBooked - start.monthIndex() + 1)
            guard booked > 0 else { continue }
            let share = min(1, booked / planned)
            anomalyRows.append([log(Double(actual) / (Double(budget) * share)), log(Double(budget) / 100)])
            anomalyLabels.append(planted.contains(value(row, "project_id").description))
        }
        var start = clock.now
        let forest = try IsolationForest.fit(anomalyRows, trees: 100, sampleSize: 256, seed: 0)
        let scores = forest.scores(anomalyRows)
        let forestSeconds = (clock.now - start).seconds
        report["anomaly"] = ["auc": Metrics.rocAUC(scores: scores, labels: anomalyLabels) ?? 0, "seconds": forestSeconds, "rows": anomalyRows.count]

        // 2. The overrun model on completed projects, a fixed held-out quarter.
        var overrunRows: [[Double]] = [], overrunLabels: [Double] = [], ids: [String] = []
        let types = ["IMPLEMENTATION", "CONSULTING", "INTEGRATION", "MIGRATION", "MAINTENANCE", "RESEARCH"]
        for row in projects.rows {
            guard value(row, "status") == .text("COMPLETED"), let budget = int(value(row, "budget_amount")), budget > 0,
                  let actual = int(value(row, "actual_cost")), let start = day(value(row, "start_date")), let end = day(value(row, "end_date")), end >= start,
                  let risk = int(value(row, "risk_score")) else { continue }
            let days = int(value(row, "average_payment_days")).map { Double($0) / 10 }, terms = int(value(row, "payment_terms")).map(Double.init)
            let late = days.flatMap { d in terms.map { d - $0 } } ?? .nan
            let type = value(row, "project_type").description
            overrunRows.append([Double(risk) / 100, late, log(Double(budget) / 100)] + types.map { $0 == type ? 1 : 0 })
            overrunLabels.append(Double(actual) > 1.1 * Double(budget) ? 1 : 0)
            ids.append(value(row, "project_id").description)
        }
        let data = try Dataset(featureNames: ["customer_risk", "days_late", "log_budget"] + types, rows: overrunRows, labels: overrunLabels)
        let fold = try data.folds(4, seed: 42)[0]
        let training = data.subset(fold.train)
        start = clock.now
        let trees = try GradientBoostedTrees.fit(training, objective: .binaryLogistic,
                                                 parameters: .init(iterations: 300, learningRate: 0.1, maxDepth: 4, minSamplesLeaf: 20))
        let treeSeconds = (clock.now - start).seconds
        let test = data.subset(fold.test)
        let treeAUC = Metrics.rocAUC(scores: test.rows.map(trees.predict), labels: test.labels.map { $0 == 1 }) ?? 0
        report["overrun"] = ["auc": treeAUC, "seconds": treeSeconds, "rounds": trees.rounds, "train_rows": fold.train.count,
                             "test_ids": fold.test.map { ids[$0] }]

        // 3. Forecasts: 1,000 monthly revenue series of 36 months, the last 6 held out.
        let (series, seriesNames) = try revenueSeries(warehouse, months: 36, count: 1000)
        try FileManager.default.createDirectory(atPath: (seriesOut as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var csv = "series_id,t,value\n"
        for (name, values) in zip(seriesNames, series) { for (t, v) in values.enumerated() { csv += "\(name),\(t),\(v)\n" } }
        try csv.write(toFile: seriesOut, atomically: true, encoding: .utf8)
        start = clock.now
        let forecast = try ForecastBenchmark.run(series, holdout: 6)
        report["forecast"] = ["smape": forecast.smape, "seconds": (clock.now - start).seconds, "series": series.count, "models": forecast.models]

        if format == .json {
            let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
            return
        }
        print(String(format: "isolation forest: ROC AUC %.4f, fit + score %.3f s on %d projects", (report["anomaly"] as! [String: Any])["auc"] as! Double, forestSeconds, anomalyRows.count))
        print(String(format: "overrun model (boosted trees, %d rounds): held-out ROC AUC %.4f, training %.3f s on %d projects", trees.rounds, treeAUC, treeSeconds, fold.train.count))
        print(String(format: "forecasts (ETS, AICc selection): sMAPE %.4f over %d series, %.3f s", forecast.smape, series.count, (report["forecast"] as! [String: Any])["seconds"] as! Double))
    }

    /// Monthly REVENUE (dollars) of the customers with the most revenue over the last `months` complete months.
    func revenueSeries(_ warehouse: Warehouse, months: Int, count: Int) throws -> ([[Double]], [String]) {
        let plan = Plan.scan("financial_metrics", [ScanColumn("project_id", as: "m_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"), ScanColumn("metric_date")])
            .filter(col("metric_type").eq("REVENUE") && col("metric_date") >= .monthStart(.asOf(months: -months)) && col("metric_date") < .monthStart(.asOf))
            .join(.scan("projects", ["project_id", "customer_id"]), on: "m_project_id", equals: "project_id")
            .aggregate(by: [NamedExpr("customer_id", col("customer_id")), NamedExpr("month", col("metric_date").monthStart)], [.sum("revenue", col("metric_value"))])
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

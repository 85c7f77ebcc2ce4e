import DecisioningAnalytics
import DecisioningCore
import DecisioningLearning
import Foundation

/// The overrun-risk model: trained by AutoML on completed projects with what was known at their start
/// (customer risk, payment delay, project type, budget size), applied to every running project.
struct OverrunRiskModel {
    static let modelId = "overrun-risk"
    static let types = ["IMPLEMENTATION", "CONSULTING", "INTEGRATION", "MIGRATION", "MAINTENANCE", "RESEARCH"]
    static let featureNames = ["customer_risk", "days_late", "log_budget"] + types.map { "type_" + $0.lowercased() }

    /// Point in time: training sees the projects completed by the as-of date (their outcome was
    /// known then); scoring sees those running on it, including projects completed since.
    static let completedByAsOf = col("status").eq("COMPLETED") && col("end_date") <= .asOf && col("end_date") >= col("start_date")
    static let runningOnAsOf =
        col("start_date") <= .asOf
        && (col("status").in("ACTIVE", "IN_PROGRESS", "ON_HOLD") || (col("status").eq("COMPLETED") && col("end_date") > .asOf))

    static func plan(_ condition: Expr) -> Plan {
        Plan.scan(
            "projects",
            [
                "project_id", "project_name", "project_type", "status", "customer_id", "budget_amount", "actual_cost", "start_date",
                "end_date",
            ]
        )
        .filter(condition && col("budget_amount") > 0)
        .join(
            .scan(
                "customer_analytics",
                [
                    ScanColumn("customer_id", as: "c_customer_id"), ScanColumn("risk_score"), ScanColumn("payment_terms"),
                    ScanColumn("average_payment_days"),
                ]),
            on: "customer_id", equals: "c_customer_id", kind: .left
        )
        .sort(.asc("project_id"))
    }

    static func features(_ r: Record) -> [Double] {
        let type = r.text("project_type") ?? ""
        let late: Double
        if let days = r.double("average_payment_days", scale: 1), case .integer(let terms) = r["payment_terms"] {
            late = days - Double(terms)
        } else {
            late = .nan
        }
        return [r.double("risk_score") ?? .nan, late, log(Double(max(1, r.int("budget_amount"))) / 100)] + types.map { $0 == type ? 1 : 0 }
    }

    /// 1 where the project overran: actual cost above 1.10 × budget.
    static func label(_ r: Record) -> Double { Double(r.int("actual_cost")) > 1.1 * Double(r.int("budget_amount")) ? 1.0 : 0.0 }

    static func run(_ context: AgentContext) throws -> (OverrunRisk, [Evidence]) {
        let completed = try context.query("strategy.overrun-training", plan(completedByAsOf))
        let records = completed.records
        let labels = records.map(label)
        let data = try Dataset(featureNames: featureNames, rows: records.map(features), labels: labels)
        let search = try AutoML.run(
            .classification, data, folds: 3, seed: context.seed,
            timeBudget: context.threshold(StrategyAgent.key, "automl_seconds", default: 120),
            stopped: { context.cancellation.isCancelled })
        let overruns = zip(records, labels).filter { $0.1 == 1 }.map {
            Double($0.0.int("actual_cost")) / Double($0.0.int("budget_amount")) - 1
        }
        let averageOverrun = overruns.isEmpty ? 0 : overruns.reduce(0, +) / Double(overruns.count)
        try ModelRegistry.save(
            ModelRegistry.Record(
                modelId: modelId, name: "Overrun risk of running projects", task: "classification",
                target: "actual_cost > 1.10 × budget_amount",
                features: featureNames, score: search.winner.score, metric: search.metric, trainedAsOf: context.asOf, seed: context.seed,
                trainingQuery: completed.heatwave.sql, automl: search.trials, reason: search.reason, model: search.model),
            to: context.store, cancellation: context.cancellation)

        let running = try context.query("strategy.overrun-scoring", plan(runningOnAsOf))
        var projects: [ProjectRisk] = []
        var total: Int64 = 0
        var predictions: [(entity: String, value: Double, confidence: Double)] = []
        for r in running.records {
            let projectId = try r.requiredText("project_id")
            let x = features(r)
            let p = search.model.predict(x)
            let expected = try Money(rounding: p * averageOverrun * Double(r.int("budget_amount")), what: "an expected overrun").minorUnits
            let (sum, overflow) = total.addingReportingOverflow(expected)
            guard !overflow else { throw MoneyRangeError(what: "the total expected overrun", value: .infinity) }
            total = sum
            let pushes = search.model.contributions(x)
            let top = pushes.enumerated().filter { $0.element > 0 }.sorted { $0.element > $1.element }.prefix(3).map {
                featureNames[$0.offset]
            }
            projects.append(
                ProjectRisk(
                    projectId: projectId, projectName: r.text("project_name") ?? "", projectType: r.text("project_type") ?? "",
                    probability: p, budget: r.money("budget_amount"), expectedOverrun: Money(minorUnits: expected), topFactors: Array(top)))
            predictions.append((projectId, p, abs(p - 0.5) * 2))
        }
        try ModelRegistry.savePredictions(
            predictions, model: modelId, runId: context.runId, asOf: context.asOf, to: context.store,
            cancellation: context.cancellation)
        projects.sort { $0.expectedOverrun != $1.expectedOverrun ? $0.expectedOverrun > $1.expectedOverrun : $0.projectId < $1.projectId }
        let (precedents, precedentEvidence) = try context.precedents(
            for: projects.prefix(50).map(\.projectId),
            k: Int(context.threshold(StrategyAgent.key, "precedent_k", default: 20)))
        for i in projects.indices.prefix(50) { projects[i].precedent = precedents[projects[i].projectId] }
        let threshold = context.threshold(StrategyAgent.key, "overrun_probability", default: 0.5)
        let atRisk = projects.filter { $0.probability >= threshold }
        let importance = zip(featureNames, search.model.importance).sorted { $0.1 > $1.1 }.prefix(5).map { NamedFigure($0.0, .ratio($0.1)) }
        let risk = OverrunRisk(
            modelId: modelId, model: "\(search.winner.model) (\(search.winner.settings))", metric: search.metric,
            crossValidatedScore: search.winner.score,
            reason: search.reason, trials: search.trials.map { "\($0.model) (\($0.settings)): \(String(format: "%.4f", $0.score))" },
            averageOverrunRate: averageOverrun, scoredProjects: projects.count, probabilityThreshold: threshold,
            atRiskProjects: atRisk.count,
            atRiskExpectedOverrun: atRisk.reduce(Money.zero) { $0 + $1.expectedOverrun }, totalExpectedOverrun: Money(minorUnits: total),
            importance: importance, top: Array(projects.prefix(50)))
        let evidence =
            [
                completed.evidence(
                    [
                        NamedFigure("completed_projects", .count(Int64(records.count))),
                        NamedFigure(
                            "cv_" + search.metric.lowercased().replacingOccurrences(of: " ", with: "_"), .number(search.winner.score)),
                    ] + importance,
                    method: "AutoML: " + search.reason),
                running.evidence(
                    [
                        NamedFigure("scored_projects", .count(Int64(projects.count))),
                        NamedFigure("expected_overrun", .money(Money(minorUnits: total))),
                    ],
                    method:
                        "expected overrun = probability × average overrun of overrunning completed projects (\(String(format: "%.1f%%", averageOverrun * 100))) × budget"
                ),
            ] + [precedentEvidence]
        return (risk, evidence)
    }
}

public import DecisioningAnalytics
public import DecisioningCore
import Foundation

/// The agents' feature engineering on projects, public so that benchmarks and other front ends
/// learn from exactly what the agents learn from (never a copy of it).
public enum ProjectFeatures {
    // MARK: - Overrun risk (the Strategy agent's model)

    /// The overrun model's feature names, in the order of `overrunRows`.
    public static var overrunFeatureNames: [String] { OverrunRiskModel.featureNames }

    /// Completed projects by the as-of date with their customer: what the overrun model trains on.
    public static var overrunTrainingPlan: Plan { OverrunRiskModel.plan(OverrunRiskModel.completedByAsOf) }

    /// Projects running on the as-of date with their customer: what the overrun model scores.
    public static var overrunScoringPlan: Plan { OverrunRiskModel.plan(OverrunRiskModel.runningOnAsOf) }

    /// One feature row per result row of `overrunTrainingPlan` or `overrunScoringPlan`.
    public static func overrunRows(_ result: QueryResult) -> [[Double]] { records(result).map(OverrunRiskModel.features) }

    /// 1 where the project overran (actual cost above 1.10 × budget), else 0.
    public static func overrunLabels(_ result: QueryResult) -> [Double] { records(result).map(OverrunRiskModel.label) }

    // MARK: - Cost anomalies (the Discovery agent's)

    /// The share of a project's budget due by the as-of date: costs are booked by whole months up
    /// to the month before as-of, so it is the months booked over the months planned (at most 1).
    /// nil when no month is booked yet or the dates are inconsistent.
    public static func budgetShare(start: Day, end: Day, asOf: Day) -> Double? {
        guard end >= start else { return nil }
        let planned = max(1, (Double(start.days(until: end) + 1) / 30.4375).rounded())
        let booked = Double(asOf.monthIndex() - 1 - start.monthIndex() + 1)
        guard booked > 0 else { return nil }
        return min(1, booked / planned)
    }

    /// The anomaly features of one project: log(actual cost ÷ budget share so far), log(budget in dollars).
    public static func costAnomalyRow(budget: Int64, actualCost: Int64, share: Double) -> [Double] {
        [log(Double(actualCost) / (Double(budget) * share)), log(Double(budget) / 100)]
    }

    static func records(_ result: QueryResult) -> [Record] {
        let names = result.fields.map(\.name)
        return result.rows.map { Record(query: "the projects scored", names: names, values: $0) }
    }
}

public import DecisioningAnalytics
public import DecisioningCore

/// A named analysis's result: one query result per part.
public struct AnalysisOutcome: Sendable {
    public var analysis: String
    public var asOf: Day
    public var parts: [(name: String, result: QueryResult)]
}

extension Application {
    /// The named analyses, for front ends that list them.
    public static var analysisNames: [String] { Analyses.all().map(\.name) }

    /// Runs the named analysis `name` as of `asOf` through the Warehouse, where `preference` says
    /// (automatic: HeatWave when the store offloads, else the column engine). `anomalyLimit` is the
    /// number of rows of anomaly-candidates.
    public func runAnalysis(
        _ name: String, asOf: Day, anomalyLimit: Int = 20,
        on preference: Warehouse.Preference = .automatic
    ) throws -> AnalysisOutcome {
        guard let analysis = Analyses.named(name, anomalyLimit: anomalyLimit) else {
            throw ApplicationError.unknownAnalysis(name: name, choices: Self.analysisNames)
        }
        let results = try warehouse.query(analysis.parts.map(\.plan), asOf: asOf, on: preference)
        return AnalysisOutcome(
            analysis: analysis.name, asOf: asOf,
            parts: zip(analysis.parts, results).map { (name: $0.name, result: $1) })
    }
}

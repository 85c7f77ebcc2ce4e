public import DecisioningCore
import DecisioningStore

/// The overrun model's probabilities from one stored run: what the Strategy agent wrote to `model_predictions`
/// (model `overrun-risk`), one per project it scored as running on the run's as-of date.
public struct OverrunScores: Sendable {
    public var runId: String
    /// The as-of date of the run that scored them.
    public var runAsOf: Day
    /// Probability of ending more than 10% over budget, by project id.
    public var probabilities: [String: Double]

    static let modelId = "overrun-risk"
    static let latestStatement =
        "SELECT prediction_id, prediction_date FROM model_predictions WHERE model_id = ? AND prediction_date <= ? ORDER BY prediction_date DESC, prediction_id DESC LIMIT 1"
    /// One run's rows: all carry the run's as-of date, so the date makes the read a range of `idx_predictions`.
    static let runStatement =
        "SELECT entity_id, prediction_value FROM model_predictions WHERE model_id = ? AND prediction_date = ? AND prediction_id >= ? AND prediction_id < ?"

    /// The latest run as of `asOf` or before that scored projects, with the date its rows carry; nil when none has.
    /// One seek of `idx_predictions` (model, date, prediction id).
    static func latestRun(in store: any Store, asOf: Day) throws -> (runId: String, stamp: Timestamp)? {
        let latest = try store.query(
            latestStatement, arguments: [.text(modelId), .timestamp(Timestamp(day: asOf))],
            columnTypes: [.text(maxLength: 50), .timestamp], cancellation: nil)
        guard let row = latest.first, case .text(let id) = row[0], let colon = id.firstIndex(of: ":"),
            case .timestamp(let stamp) = row[1]
        else { return nil }
        return (String(id[..<colon]), stamp)
    }

    /// The scores of the latest run as of `asOf` or before that scored projects, or nil when none has.
    static func latest(in store: any Store, asOf: Day) throws -> OverrunScores? {
        guard let (runId, stamp) = try latestRun(in: store, asOf: asOf) else { return nil }
        // Ids are "<run>:<model>:<project>", so the run's rows are the keys from "<run>:" up to "<run>;" (';' follows ':').
        let rows = try store.query(
            runStatement, arguments: [.text(modelId), .timestamp(stamp), .text(runId + ":"), .text(runId + ";")],
            columnTypes: [.text(maxLength: 50), .decimal(precision: 15, scale: 4)], cancellation: nil)
        var probabilities: [String: Double] = [:]
        for r in rows {
            guard case .text(let project) = r[0], case .decimal(let units) = r[1] else { continue }
            probabilities[project] = FixedPoint.double(units, scale: 4)
        }
        return OverrunScores(runId: runId, runAsOf: stamp.day, probabilities: probabilities)
    }
}

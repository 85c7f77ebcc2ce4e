import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation

/// Running (ACTIVE / IN_PROGRESS) projects with cost so far, labelled by the generator's planted anomalies.
///
/// Features, as Discovery computes the cost ratio: costs are booked by whole months up to the month
/// before as-of, so the budget share due so far is months booked over months planned.
/// 0 `log_cost_ratio` — log(actual cost / (budget × share)); 1 `log_budget`; 2 `elapsed_share`.
struct AnomalyProjects: Sendable {
    static let featureNames = ["log_cost_ratio", "log_budget", "elapsed_share"]

    let ids: [String]
    let rows: [[Double]]
    let labels: [Bool]
    let truth: GroundTruth

    static let shared = try! AnomalyProjects.make(seed: 5)

    static func make(seed: UInt64) throws -> AnomalyProjects {
        let asOf = Day(iso: "2026-11-25")!
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anomaly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("a.sqlite").path)
        let truth = try Generator(spec: GeneratorSpec(scale: 0.05, seed: seed, asOf: asOf)).generate(into: store)
        let planted = Set(truth.anomalousProjects)
        let records = try store.query(
            """
            SELECT project_id, start_date, end_date, budget_amount, actual_cost FROM projects
            WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND budget_amount > 0 AND actual_cost > 0 AND end_date IS NOT NULL
            ORDER BY project_id
            """, arguments: [], columnTypes: [.longText, .date, .date, .money, .money])
        let lastBooked = asOf.monthIndex() - 1
        var ids: [String] = []
        var rows: [[Double]] = []
        var labels: [Bool] = []
        for r in records {
            guard case .text(let id) = r[0], case .date(let start) = r[1], case .date(let end) = r[2],
                case .decimal(let budget) = r[3], case .decimal(let cost) = r[4], end >= start
            else { continue }
            let planned = max(1, (Double(start.days(until: end) + 1) / 30.4375).rounded())
            let booked = Double(lastBooked - start.monthIndex() + 1)
            guard booked > 0 else { continue }
            let share = min(1, booked / planned)
            let expected = Double(budget) * share
            ids.append(id)
            rows.append([log(Double(cost) / expected), log(Double(budget) / 100), share])
            labels.append(planted.contains(id))
        }
        return AnomalyProjects(ids: ids, rows: rows, labels: labels, truth: truth)
    }
}

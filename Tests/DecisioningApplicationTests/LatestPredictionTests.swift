import DecisioningAgents
import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

@testable import DecisioningApplication

/// `similar`'s model probability comes from the latest run as of the date that scored projects, read
/// by seeks of `idx_predictions`, against planted runs on several dates.
@Suite struct LatestPredictionTests {
    static let asOf = Day(iso: "2026-11-25")!

    @Test func theProbabilityIsTheLatestScoringRunsAsOfTheDate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("predictions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("p.sqlite").path), configuration: Configuration())
        _ = try app.generate(Generator(spec: GeneratorSpec(scale: 0.01, seed: 3, asOf: Self.asOf)), keepTruth: false)
        let running = try app.store.query(
            "SELECT project_id FROM projects WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND start_date <= '2026-11-01' ORDER BY project_id LIMIT 2",
            arguments: [], columnTypes: [.text(maxLength: 50)], cancellation: nil
        ).map { $0[0].description }
        try #require(running.count == 2)
        let (first, second) = (running[0], running[1])
        try app.store.writeBatch(cancellation: nil) { writer in
            try writer.execute(
                "INSERT INTO ml_models (model_id, model_name, status) VALUES ('overrun-risk', 'planted', 'ACTIVE')", arguments: [])
        }
        // Run ids sort by time; the one dated after the as-of date must not count, nor must one that did not score the project.
        let runs: [(id: String, asOf: String, scores: [(String, Double)])] = [
            ("run-20261101-000000-aaaaaa", "2026-11-01", [(first, 0.2), (second, 0.3)]),
            ("run-20261125-000000-bbbbbb", "2026-11-25", [(first, 0.8)]),
            ("run-20261126-000000-cccccc", "2026-11-26", [(first, 0.9), (second, 0.9)]),
        ]
        for run in runs {
            try ModelRegistry.savePredictions(
                run.scores.map { ($0.0, $0.1, 1) }, model: "overrun-risk", runId: run.id, asOf: Day(iso: run.asOf)!, to: app.store)
        }
        let now = try app.similarProjects(first, asOf: Self.asOf, k: 3)
        #expect(now.modelProbability == 0.8 && now.modelRunId == "run-20261125-000000-bbbbbb")
        let unscored = try app.similarProjects(second, asOf: Self.asOf, k: 3)
        #expect(unscored.modelProbability == nil && unscored.modelRunId == nil)
        let earlier = try app.similarProjects(second, asOf: Day(iso: "2026-11-10")!, k: 3)
        #expect(earlier.modelProbability == 0.3 && earlier.modelRunId == "run-20261101-000000-aaaaaa")
        let before = try app.similarProjects(first, asOf: Day(iso: "2026-10-31")!, k: 3)
        #expect(before.modelProbability == nil && before.modelRunId == nil)
        // What `ask` reads: the latest scoring run's scores, every project it scored and no other run's.
        let scores = try #require(try OverrunScores.latest(in: app.store, asOf: Self.asOf))
        #expect(scores.runId == "run-20261125-000000-bbbbbb" && scores.runAsOf == Self.asOf && scores.probabilities == [first: 0.8])
        // Both reads are ranges of idx_predictions (model, date, prediction id), whatever the history.
        for (statement, arguments) in [
            (OverrunScores.latestStatement, [Value.text("overrun-risk"), .text("2026-11-25 00:00:00")]),
            (OverrunScores.runStatement, [.text("overrun-risk"), .text("2026-11-25 00:00:00"), .text("run-b:"), .text("run-b;")]),
        ] {
            let plan = try app.store.query(
                "EXPLAIN QUERY PLAN " + statement, arguments: arguments, columnTypes: [.integer, .integer, .integer, .longText],
                cancellation: nil
            ).map { $0[3].description }.joined(separator: "\n")
            #expect(
                plan.contains("INDEX idx_predictions (model_id=? AND prediction_date") && !plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }
}

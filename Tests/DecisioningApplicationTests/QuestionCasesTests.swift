import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// Questions answered from the agents' own work: "which running projects will overrun" ranks by the overrun
/// model's probabilities once a run has scored them, and "projects similar to P…" gives the precedent search.
/// Checked against SQL on the stored predictions and projects.
@Suite struct QuestionCasesTests {
    static let asOf = Day(iso: "2026-11-25")!

    static func company() throws -> Application {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("question-cases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("c.sqlite").path), configuration: Configuration())
        _ = try app.generate(Generator(spec: GeneratorSpec(scale: 0.02, seed: 11, asOf: asOf)), keepTruth: false)
        return app
    }

    func texts(_ app: Application, _ sql: String) throws -> [String] {
        try app.store.query(sql, arguments: [], columnTypes: [.text(maxLength: 200)], cancellation: nil).compactMap {
            if case .text(let s) = $0[0] { s } else { nil }
        }
    }

    func integer(_ app: Application, _ sql: String) throws -> Int {
        let rows = try app.store.query(sql, arguments: [], columnTypes: [.integer], cancellation: nil)
        guard case .integer(let n)? = rows.first?.first else { return -1 }
        return Int(n)
    }

    @Test func runningProjectsRankByTheOverrunModelOnceARunHasScoredThem() async throws {
        let app = try Self.company()
        let before = try app.ask("which running projects will overrun", asOf: Self.asOf)
        #expect(before.interpretation?.intent == .risk && !before.columns.contains("overrun_probability"))
        #expect(before.method?.contains("no run has scored") == true)
        let byRatio = try texts(
            app,
            "SELECT project_id FROM projects WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND budget_amount > 0 ORDER BY actual_cost * 1.0 / budget_amount DESC, project_id LIMIT 10"
        )
        #expect(before.rows.map { $0[1] } == byRatio.map(JSONValue.string))

        _ = try await app.runFlow(asOf: Self.asOf, runId: "run-cases-1")
        let after = try app.ask("which running projects will overrun", asOf: Self.asOf)
        #expect(after.columns.last == "overrun_probability")
        let expected = try texts(
            app,
            """
            SELECT p.project_id FROM projects p JOIN model_predictions m ON m.entity_id = p.project_id AND m.model_id = 'overrun-risk'
            WHERE p.status IN ('ACTIVE', 'IN_PROGRESS') AND p.budget_amount > 0 AND m.prediction_id LIKE 'run-cases-1:%'
            ORDER BY m.prediction_value DESC, p.actual_cost * 1.0 / p.budget_amount DESC, p.project_id LIMIT 10
            """)
        #expect(expected.count == 10 && after.rows.map { $0[1] } == expected.map(JSONValue.string))
        let likely = try integer(
            app,
            "SELECT COUNT(*) FROM projects p JOIN model_predictions m ON m.entity_id = p.project_id WHERE m.model_id = 'overrun-risk' AND p.status IN ('ACTIVE', 'IN_PROGRESS') AND p.budget_amount > 0 AND m.prediction_value >= 5000"
        )
        let figures = Dictionary(after.figures.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(figures["likely_to_overrun"] == .number(Double(likely)) && likely > 0)
        #expect(figures["run_id"] == .string("run-cases-1") && after.summary.contains("run-cases-1"))
        // Fewer asked, the same order.
        let three = try app.ask("top 3 running projects at risk of overrun", asOf: Self.asOf)
        #expect(three.rows.map { $0[1] } == Array(expected.prefix(3)).map(JSONValue.string))
    }

    @Test func similarCasesAreThePrecedentSearchWithTheStoredIdWhateverItsCase() async throws {
        let app = try Self.company()
        let id = try #require(
            try texts(app, "SELECT project_id FROM projects WHERE status IN ('ACTIVE', 'IN_PROGRESS') ORDER BY project_id LIMIT 1").first)
        let answer = try app.ask("which completed projects are most like \(id.lowercased())?", asOf: Self.asOf)
        #expect(answer.status == .answered && answer.interpretation?.intent == .similar)
        #expect(answer.interpretation?.filters == [QuestionRequest.Filter(field: "project", op: .equal, value: id)])
        let search = try app.similarProjects(id, asOf: Self.asOf, k: 20)
        #expect(answer.rows.map { $0[1] } == search.precedent.cases.map { .string($0.projectId) } && answer.rows.count == 20)
        let listed = search.precedent.cases.map { "'\($0.projectId)'" }.joined(separator: ", ")
        let overran = try integer(
            app,
            "SELECT COUNT(*) FROM projects WHERE project_id IN (\(listed)) AND status = 'COMPLETED' AND actual_cost > budget_amount * 1.1")
        let figures = Dictionary(answer.figures.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(figures["overran"] == .number(Double(overran)) && figures["cases"] == .number(20))
        #expect(answer.summary.contains("Of the 20 completed projects most like \(id)"))
        #expect(answer.sql.keys.sorted() == ["heatwave", "mysql", "sqlite"])

        let five = try app.ask("top 5 projects like \(id)", asOf: Self.asOf)
        #expect(five.rows.count == 5 && five.rows.map { $0[1] } == Array(answer.rows.prefix(5)).map { $0[1] })

        let unknown = try app.ask("projects similar to Q123456", asOf: Self.asOf)
        #expect(unknown.status == .unsupported && unknown.rows.isEmpty && unknown.summary.contains("q123456"))
        let none = try app.ask("show me similar projects", asOf: Self.asOf)
        #expect(none.status == .unsupported && none.suggestions.contains { $0.hasPrefix("projects similar to") })
        // "like" as a verb does not make a question about similar cases.
        let wish = try app.ask("I would like revenue by industry last quarter", asOf: Self.asOf)
        #expect(wish.status == .answered && wish.interpretation?.intent == .breakdown)
        let threshold = try app.ask("I would like customers with risk above 0.6", asOf: Self.asOf)
        #expect(threshold.interpretation?.intent != .similar && !threshold.summary.contains("no project"))
    }
}

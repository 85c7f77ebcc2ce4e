import DecisioningAgents
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Hummingbird

/// `/api/v1/decisions`: the ranked decisions of a run, and one decision with its evidence and the
/// SQL that reproduces it in each dialect.
struct DecisionRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("decisions", use: list)
        group.get("decisions/:id", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let runId = try await resolveRun(request.uri.queryParameters.get("run").map { String($0) } ?? "latest")
        let results = try await RunRoutes(state: state).finishedResults(runId).results
        let body = try state.runs.body("decisions.json", of: runId) {
            let decisions = try results.decisions.map { try Self.json($0, runId: runId, withSQL: false, asOf: results.run.asOf) }
            return JSONValue.object(["run_id": .string(runId), "as_of": .string(results.run.asOf.iso), "decisions": .array(decisions)])
                .canonicalText
        }
        return JSONBody.text(body)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        guard let id = context.parameters.get("id"), let colon = id.firstIndex(of: ":") else {
            throw Problem.badRequest("a decision id is RUN_ID:DECISION_ID, as /api/v1/decisions lists it")
        }
        let runId = String(id[..<colon])
        let decisionId = String(id[id.index(after: colon)...])
        let results = try await RunRoutes(state: state).finishedResults(runId).results
        guard let decision = results.decisions.first(where: { $0.id == decisionId }) else {
            throw Problem.notFound(
                "run \(runId) has no decision '\(TerminalText.quoted(decisionId))'; GET /api/v1/decisions?run=\(runId) lists its decisions")
        }
        return JSONBody.response(try Self.json(decision, runId: runId, withSQL: true, asOf: results.run.asOf))
    }

    /// `latest` (the newest run with decisions) or a run id.
    func resolveRun(_ run: String) async throws -> String {
        guard run == "latest" else { return run }
        let application = state.application
        return try await state.latestRun.value {
            guard let id = try await BlockingPool.shared.run("find the latest run", { _ in try application.latestDecidedRunId() }) else {
                throw Problem.notFound("no run with decisions yet; start one with POST /api/v1/runs")
            }
            return id
        }
    }

    static func json(_ decision: Decision, runId: String, withSQL: Bool, asOf: Day) throws -> JSONValue {
        guard case .object(var fields) = try JSONBody.value(of: decision) else { return .null }
        fields["decision_id"] = fields["id"]
        fields["id"] = .string("\(runId):\(decision.id)")
        fields["run_id"] = .string(runId)
        if withSQL {
            fields["evidence"] = .array(decision.evidence.map { evidence($0, asOf: asOf) })
        }
        return .object(fields)
    }

    /// One piece of evidence, with its SQL in the three dialects when its plan is a named analysis
    /// (the SQL the agent recorded, HeatWave's, otherwise).
    static func evidence(_ evidence: Evidence, asOf: Day) -> JSONValue {
        guard case .object(var fields) = (try? JSONBody.value(of: evidence)) ?? .null else { return .null }
        var sql: [String: JSONValue] = [:]
        for (dialect, text) in sqlByDialect(evidence, asOf: asOf) { sql[dialect] = .string(text) }
        fields["plan"] = .string(evidence.analysis)
        fields["sql"] = .object(sql)
        return .object(fields)
    }

    /// The SQL of a piece of evidence by dialect: every dialect's when its plan is a named analysis,
    /// otherwise the SQL the agent recorded, as HeatWave's (none when it recorded none).
    static func sqlByDialect(_ evidence: Evidence, asOf: Day) -> [(dialect: String, sql: String)] {
        if let analysis = Analyses.named(evidence.analysis) {
            return SQLDialect.allCases.map { dialect in
                let renderer = SQLRenderer(dialect: dialect, asOf: asOf)
                let parts = analysis.parts.compactMap { try? renderer.render($0.plan).sql }
                return (dialect.rawValue, parts.joined(separator: ";\n\n"))
            }
        }
        return evidence.sql.map { [("heatwave", $0)] } ?? []
    }
}

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
        let body = try await state.runs.body(Self.listName, of: runId) { try Self.listBody(results) }
        return JSONBody.typed(body, contentType: "application/json")
    }

    /// The name the list's body is kept under in the run cache.
    static let listName = "decisions.json"

    /// The body of `GET /api/v1/decisions` for the run of `results`: its decisions without their SQL.
    static func listBody(_ results: RunResults) throws -> String {
        let runId = results.run.runId
        let decisions = try results.decisions.map { try DecisionDocument.json($0, runId: runId, withSQL: false, asOf: results.run.asOf) }
        return JSONValue.object(["run_id": .string(runId), "as_of": .string(results.run.asOf.iso), "decisions": .array(decisions)])
            .canonicalText
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
        return JSONBody.response(try DecisionDocument.json(decision, runId: runId, withSQL: true, asOf: results.run.asOf))
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
}

import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// `/api/v1/runs`: start, list, read, cancel and follow runs.
struct RunRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("runs", use: start)
        group.get("runs", use: list)
        group.get("runs/:id", use: show)
        group.get("runs/:id/results", use: results)
        for name in ["report.html", "report.md", "dashboard.html"] {
            group.get("runs/:id/\(name)") { request, context in try await rendering(name, request: request, context: context) }
        }
        group.post("runs/:id/cancel", use: cancel)
        group.get("runs/:id/events", use: events)
    }

    @Sendable func start(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.analyst)
        try state.limiter.take(key.name)
        let body = try await JSONBody.object(of: request, allowed: ["as_of", "analysis"])
        var asOf: Day?
        if let value = body["as_of"] {
            guard case .string(let text) = value, let day = Day(iso: text), text.count == 10 else {
                throw Problem.badRequest(
                    "as_of must be a date as YYYY-MM-DD, found \(value.summary)", extra: ["field": .string("as_of")])
            }
            asOf = day
        }
        var analysis: String?
        if let value = body["analysis"] {
            guard case .string(let name) = value else {
                throw Problem.badRequest("analysis must be a string, found \(value.summary)", extra: ["field": .string("analysis")])
            }
            analysis = name
        }
        do {
            let record = try await state.coordinator.start(analysis: analysis, asOf: asOf, trigger: "api:\(key.name)")
            return JSONBody.response(
                Self.json(record, agents: nil), status: .accepted, headers: [.location: "/api/v1/runs/\(record.runId)"])
        } catch let error as RunCoordinatorError {
            throw Self.problem(error)
        } catch let error as ApplicationError {
            throw Problem.badRequest(error.description, extra: ["field": .string("analysis")])
        }
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let limitText = request.uri.queryParameters.get("limit")
        let limit = limitText.flatMap { Int($0) } ?? 20
        guard (1...100).contains(limit), limitText == nil || Int(limitText ?? "") != nil else {
            throw Problem.badRequest("limit must be a whole number from 1 to 100", extra: ["field": .string("limit")])
        }
        var after: RunRecord?
        if let cursor = request.uri.queryParameters.get("cursor") {
            guard let id = RunCursor.decode(cursor) else {
                throw Problem.badRequest(
                    "cursor is not one this server gave; use next_cursor of a previous page", extra: ["field": .string("cursor")])
            }
            let application = state.application
            after = try await BlockingPool.shared.run("read the cursor's run") { _ in try application.runRecord(id: id) }
            guard after != nil else { throw Problem.badRequest("cursor names a run that no longer exists; start from the first page") }
        }
        let (application, cursor) = (state.application, after)
        let page = try await BlockingPool.shared.run("list runs") { _ in try application.listRuns(limit: limit + 1, after: cursor) }
        let shown = Array(page.prefix(limit))
        var body: [String: JSONValue] = ["runs": .array(shown.map { Self.json($0, agents: nil) })]
        body["next_cursor"] = page.count > limit ? .string(RunCursor.encode(shown.last?.runId ?? "")) : .null
        return JSONBody.response(.object(body))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let id = try Self.runId(context)
        let application = state.application
        guard let record = try await BlockingPool.shared.run("read a run", { _ in try application.runRecord(id: id) }) else {
            throw Self.runNotFound(id)
        }
        let events = try await BlockingPool.shared.run("read a run's events") { _ in try application.runEvents(runId: id) }
        var agents = Self.agentStatuses(events)
        if agents.isEmpty, record.status?.isFinished == true, let results = try? await state.runs.results(of: id, application: application)
        {
            agents = results.results.agents.map { ($0.agent, $0.status.rawValue) }
        }
        return JSONBody.response(Self.json(record, agents: agents))
    }

    @Sendable func results(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let id = try Self.runId(context)
        let entry = try await finishedResults(id)
        return JSONBody.text(String(decoding: entry.json, as: UTF8.self))
    }

    func rendering(_ name: String, request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let id = try Self.runId(context)
        _ = try await finishedResults(id)
        let text = try await state.runs.rendering(name, of: id, application: state.application)
        return JSONBody.typed(text, contentType: name.hasSuffix(".md") ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8")
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.analyst)
        try state.limiter.take(key.name)
        let id = try Self.runId(context)
        do {
            let record = try await state.coordinator.cancel(runId: id)
            var body = Self.json(record, agents: nil)
            if case .object(var fields) = body {
                fields["status"] = .string("cancelling")
                body = .object(fields)
            }
            return JSONBody.response(body, status: .accepted)
        } catch let error as RunCoordinatorError {
            throw Self.problem(error)
        } catch ApplicationError.runNotFound {
            throw Self.runNotFound(id)
        }
    }

    @Sendable func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        return try await eventStream(runId: try Self.runId(context), request: request)
    }

    /// Run `id`'s events as server-sent events after `Last-Event-ID` (or `?after=N`); the web
    /// dashboard's progress page follows the same stream.
    func eventStream(runId id: String, request: Request) async throws -> Response {
        var after = 0
        // The query's `after` is checked even when the header wins, so a bad one is never ignored.
        let given = [
            ("after", request.uri.queryParameters.get("after").map { String($0) }), ("Last-Event-ID", request.headers[.lastEventID]),
        ]
        for (name, value) in given {
            guard let value else { continue }
            guard let n = Int(value.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw Problem.badRequest(
                    "\(name) must be the id of an event of this run (a whole number, 0 or more), found '\(TerminalText.quoted(value))'",
                    extra: ["field": .string(name)])
            }
            after = n
        }
        let stream: AsyncStream<RunEvent>
        do {
            stream = try await state.coordinator.events(runId: id, after: after)
        } catch ApplicationError.runNotFound {
            throw Self.runNotFound(id)
        }
        return ServerSentEvents.response(stream)
    }

    // MARK: - Helpers

    func finishedResults(_ id: String) async throws -> RunCache.Entry {
        if let entry = state.runs.cached(id) { return entry }
        let application = state.application
        guard let record = try await BlockingPool.shared.run("read a run", { _ in try application.runRecord(id: id) }) else {
            throw Self.runNotFound(id)
        }
        guard let status = record.status, status.isFinished else {
            throw Problem(
                status: .conflict, title: "Conflict",
                detail:
                    "run \(id) is \(record.status?.rawValue ?? "unknown") and has no results yet; follow /api/v1/runs/\(id)/events until run.finished",
                extra: ["run_id": .string(id)])
        }
        do {
            return try await state.runs.results(of: id, application: application)
        } catch let error as ApplicationError {
            throw Problem(status: .notFound, title: "Not Found", detail: error.description, extra: ["run_id": .string(id)])
        }
    }

    static func runId(_ context: APIRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.count <= 50 else {
            throw Problem.badRequest("a run id has 1 to 50 characters")
        }
        return id
    }

    static func runNotFound(_ id: String) -> Problem {
        Problem.notFound("no run '\(TerminalText.quoted(id))' in this database; GET /api/v1/runs lists the runs")
    }

    static func problem(_ error: RunCoordinatorError) -> Problem {
        switch error {
        case .runInProgress(let id):
            return Problem(status: .conflict, title: "Conflict", detail: error.description, extra: ["run_id": .string(id)])
        case .shuttingDown:
            return Problem(
                status: .serviceUnavailable, title: "Service Unavailable", detail: error.description, headers: [.retryAfter: "30"])
        case .runFinished(let id, _), .runElsewhere(let id, _):
            return Problem(status: .conflict, title: "Conflict", detail: error.description, extra: ["run_id": .string(id)])
        }
    }

    /// Each agent's latest status in `events`: running once started, then its finishing status.
    static func agentStatuses(_ events: [RunEvent]) -> [(String, String)] {
        var order: [String] = []
        var status: [String: String] = [:]
        for event in events {
            guard let agent = event.agent else { continue }
            if status[agent] == nil { order.append(agent) }
            switch event.kind {
            case "agent.started": status[agent] = "running"
            case "agent.retry": status[agent] = "retrying"
            case "agent.finished":
                if let data = try? StrictJSON.parse(Array(event.data.utf8)), case .object(let o) = data, case .string(let s)? = o["status"]
                {
                    status[agent] = s
                }
            default: break
            }
        }
        return order.map { ($0, status[$0] ?? "unknown") }
    }

    static func json(_ record: RunRecord, agents: [(String, String)]?) -> JSONValue {
        let base = "/api/v1/runs/\(record.runId)"
        var fields: [String: JSONValue] = [
            "id": .string(record.runId), "analysis": .string(record.analysis), "as_of": .string(record.asOf.iso),
            "status": .string(record.status?.rawValue ?? "unknown"), "started_at": .string(record.startedAt.rfc3339),
            "finished_at": record.finishedAt.map { .string($0.rfc3339) } ?? .null,
            "links": .object([
                "self": .string(base), "events": .string(base + "/events"), "results": .string(base + "/results"),
                "report_html": .string(base + "/report.html"), "report_md": .string(base + "/report.md"),
                "dashboard_html": .string(base + "/dashboard.html"), "decisions": .string("/api/v1/decisions?run=\(record.runId)"),
            ]),
        ]
        if let agents {
            fields["agents"] = .array(agents.map { .object(["agent": .string($0.0), "status": .string($0.1)]) })
        }
        return .object(fields)
    }
}

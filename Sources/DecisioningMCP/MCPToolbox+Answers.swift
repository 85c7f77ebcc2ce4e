import DecisioningAgents
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation

/// The tools' answers: each reads through the application layer on the bounded blocking pool and
/// shapes the result as JSON.
extension MCPToolbox {
    func listAnalyses() -> JSONValue {
        .object([
            "analyses": .array(
                Analyses.all().map { analysis in
                    .object([
                        "name": .string(analysis.name), "summary": .string(analysis.summary),
                        "parts": .array(analysis.parts.map { .string($0.name) }),
                    ])
                })
        ])
    }

    func runAnalysis(_ input: MCPArguments) async throws -> JSONValue {
        let name = try input.choice("name", among: Application.analysisNames) ?? ""
        guard !name.isEmpty else {
            throw MCPToolError("run_analysis needs name, one of: \(Application.analysisNames.joined(separator: ", "))")
        }
        let asOf = try input.day("as_of") ?? Application.today
        let limit = try input.integer("max_rows", range: 1...1000) ?? Self.defaultRows
        let application = self.application
        let outcome = try await BlockingPool.shared.run("run an analysis") { _ in try application.runAnalysis(name, asOf: asOf) }
        let parts = outcome.parts.map { part -> JSONValue in
            let rows = ResultFormatter.jsonRows(part.result)
            return .object([
                "name": .string(part.name), "columns": .array(part.result.fields.map { .string($0.name) }),
                "rows": .array(Array(rows.prefix(limit))), "total_rows": .number(Double(rows.count)),
                "truncated": .bool(rows.count > limit), "site": .string(part.result.site.description),
                "sql": .string(part.result.sql.sql),
            ])
        }
        return .object(["analysis": .string(outcome.analysis), "as_of": .string(outcome.asOf.iso), "parts": .array(parts)])
    }

    func latestDecisions(_ input: MCPArguments) async throws -> JSONValue {
        let results = try await runResults(try input.string("run", maxLength: 50) ?? "latest")
        let limit = try input.integer("limit", range: 1...100) ?? 10
        let runId = results.run.runId
        let decisions = try results.decisions.prefix(limit).map {
            try DecisionDocument.json($0, runId: runId, withSQL: false, asOf: results.run.asOf)
        }
        return .object([
            "run_id": .string(runId), "as_of": .string(results.run.asOf.iso), "status": .string(results.run.status.rawValue),
            "decisions": .array(decisions), "total": .number(Double(results.decisions.count)),
            "truncated": .bool(results.decisions.count > limit),
        ])
    }

    func explainDecision(_ input: MCPArguments) async throws -> JSONValue {
        guard let id = try input.string("id", maxLength: 120), !id.isEmpty else {
            throw MCPToolError("explain_decision needs id (RUN:DECISION, as latest_decisions gives it)")
        }
        var run = "latest"
        var decisionId = id
        if let colon = id.lastIndex(of: ":") {
            run = String(id[..<colon])
            decisionId = String(id[id.index(after: colon)...])
        }
        let results = try await runResults(run)
        guard let decision = results.decisions.first(where: { $0.id == decisionId }) else {
            throw MCPToolError(
                "run \(results.run.runId) has no decision '\(TerminalText.quoted(decisionId))'; latest_decisions lists its decisions")
        }
        var document = try DecisionDocument.json(decision, runId: results.run.runId, withSQL: true, asOf: results.run.asOf)
        if case .object(var fields) = document {
            fields["as_of"] = .string(results.run.asOf.iso)
            document = .object(fields)
        }
        return document
    }

    func similarProjects(_ input: MCPArguments) async throws -> JSONValue {
        guard let id = try input.string("project_id", maxLength: 50), !id.isEmpty else {
            throw MCPToolError("similar_projects needs project_id, exactly as stored (e.g. P000123)")
        }
        let k = try input.integer("k", range: 1...1000) ?? 20
        let scope =
            try input.choice("scope", among: PrecedentFinder.Scope.allCases.map(\.rawValue)).flatMap(PrecedentFinder.Scope.init) ?? .all
        let asOf = try input.day("as_of") ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970)).day
        let application = self.application
        do {
            let found = try await BlockingPool.shared.run("find similar projects") { _ in
                try application.similarProjects(id, asOf: asOf, k: k, scope: scope)
            }
            return try StrictJSON.parse(Array(try found.jsonData()))
        } catch let error as SimilarityError {
            throw MCPToolError("similar_projects: \(error)")
        }
    }

    func listAlerts(_ input: MCPArguments) async throws -> JSONValue {
        let state = try input.choice("state", among: AlertState.allCases.map(\.rawValue)).flatMap(AlertState.init(rawValue:))
        let severity = try input.choice("severity", among: Severity.allCases.map(\.rawValue)).flatMap(Severity.init(rawValue:))
        let limit = try input.integer("limit", range: 1...100) ?? 20
        let query = AlertQuery(
            states: state.map { [$0] } ?? [.open, .acknowledged], severities: severity.map { [$0] } ?? [], limit: limit)
        let application = self.application
        let page = try await BlockingPool.shared.run("list alerts") { _ in try application.listAlerts(query) }
        return .object(["alerts": .array(page.alerts.map(\.json)), "truncated": .bool(page.next != nil)])
    }

    func ask(_ input: MCPArguments) async throws -> JSONValue {
        guard let question = try input.string("question", maxLength: 500), !question.trimmingCharacters(in: .whitespaces).isEmpty
        else { throw MCPToolError("ask needs question, e.g. \"revenue by industry last quarter\"") }
        let asOf = try input.day("as_of")
        let answer = try await application.ask(question, asOf: asOf, reader: questionReader)
        return answer.json
    }

    func getRun(_ input: MCPArguments) async throws -> JSONValue {
        guard var id = try input.string("id", maxLength: 50), !id.isEmpty else {
            throw MCPToolError("get_run needs id (a run id or 'latest')")
        }
        let application = self.application
        if id == "latest" {
            guard let latest = try await BlockingPool.shared.run("find the latest run", { _ in try application.listRuns(limit: 1).first })
            else { throw MCPToolError("no run yet; start one with start_run") }
            id = latest.runId
        }
        let runId = id
        guard let record = try await BlockingPool.shared.run("read a run", { _ in try application.runRecord(id: runId) }) else {
            throw MCPToolError("no run '\(TerminalText.quoted(runId))' in this database")
        }
        var fields = Self.json(record)
        if record.status?.isFinished == true,
            let results = try? await BlockingPool.shared.run("read a run's results", { _ in try application.loadRun(id: runId) })
        {
            fields["agents"] = .array(results.agents.map { .object(["agent": .string($0.agent), "status": .string($0.status.rawValue)]) })
            fields["decisions"] = .number(Double(results.decisions.count))
            fields["alerts"] = .number(Double(results.alerts.count))
        }
        return .object(fields)
    }

    func startRun(_ input: MCPArguments) async throws -> JSONValue {
        let asOf = try input.day("as_of")
        let analysis = try input.choice("analysis", among: Configuration.analyses)
        let record = try await coordinator.start(analysis: analysis, asOf: asOf, trigger: "mcp")
        return .object(Self.json(record))
    }

    // MARK: - Helpers

    /// The results of run `run` ('latest': the newest run with decisions).
    func runResults(_ run: String) async throws -> RunResults {
        let application = self.application
        var id = run
        if run == "latest" {
            guard let latest = try await BlockingPool.shared.run("find the latest run", { _ in try application.latestDecidedRunId() })
            else {
                throw MCPToolError("no run with decisions yet; start one with start_run")
            }
            id = latest
        }
        let runId = id
        do {
            return try await BlockingPool.shared.run("read a run's results") { _ in try application.loadRun(id: runId) }
        } catch ApplicationError.runNotFound {
            throw MCPToolError("no finished run '\(TerminalText.quoted(runId))' in this database; get_run tells a run's status")
        }
    }

    static func json(_ record: RunRecord) -> [String: JSONValue] {
        [
            "id": .string(record.runId), "analysis": .string(record.analysis), "as_of": .string(record.asOf.iso),
            "status": .string(record.status?.rawValue ?? "unknown"), "started_at": .string(record.startedAt.rfc3339),
            "finished_at": record.finishedAt.map { .string($0.rfc3339) } ?? .null,
        ]
    }
}

import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// `/api/v1/analyses`: the named analyses, and one run as of a date, as JSON or CSV.
struct AnalysisRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("analyses", use: list)
        group.get("analyses/:name", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let analyses = Analyses.all().map { analysis -> JSONValue in
            .object([
                "name": .string(analysis.name), "summary": .string(analysis.summary),
                "parts": .array(analysis.parts.map { .string($0.name) }), "link": .string("/api/v1/analyses/\(analysis.name)"),
            ])
        }
        return JSONBody.response(.object(["analyses": .array(analyses)]))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        let name = context.parameters.get("name") ?? ""
        guard Analyses.named(name) != nil else {
            throw Problem.notFound(
                "unknown analysis '\(TerminalText.quoted(name))'; choose one of: \(Application.analysisNames.joined(separator: ", "))")
        }
        var asOf = Timestamp(seconds: Int64(Date().timeIntervalSince1970)).day
        if let text = request.uri.queryParameters.get("as_of") {
            guard text.count == 10, let day = Day(iso: text) else {
                throw Problem.badRequest(
                    "as_of must be a date as YYYY-MM-DD, found '\(TerminalText.quoted(String(text)))'", extra: ["field": .string("as_of")])
            }
            asOf = day
        }
        let format = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
        guard format == "json" || format == "csv" else {
            throw Problem.badRequest(
                "format must be json or csv, found '\(TerminalText.quoted(format))'", extra: ["field": .string("format")])
        }
        let cacheKey = "\(name)|\(asOf.iso)|\(format)"
        let (application, day) = (state.application, asOf)
        let compute: @Sendable () async throws -> AnalysisCache.Answer = {
            let outcome = try await BlockingPool.shared.run("run an analysis") { _ in try application.runAnalysis(name, asOf: day) }
            return Self.render(outcome, format: format)
        }
        switch state.analyses.lookup(cacheKey) {
        case .fresh(let answer):
            return JSONBody.typed(answer.bytes, contentType: answer.contentType)
        case .stale(let answer):
            state.analyses.refresh(cacheKey, compute: compute)
            return JSONBody.typed(answer.bytes, contentType: answer.contentType)
        case .missing:
            try state.limiter.take(key.name)
            let answer = try await state.analyses.answer(cacheKey, compute: compute)
            return JSONBody.typed(answer.bytes, contentType: answer.contentType)
        }
    }

    static func render(_ outcome: AnalysisOutcome, format: String) -> AnalysisCache.Answer {
        if format == "csv" {
            let text = outcome.parts.map { part in
                let csv = ResultFormatter.csv(part.result, forTerminal: false)
                return outcome.parts.count > 1 ? "# \(part.name)\n" + csv : csv
            }.joined(separator: "\n")
            return .init(body: text, contentType: "text/csv; charset=utf-8")
        }
        let parts = outcome.parts.map { part -> JSONValue in
            .object([
                "name": .string(part.name), "columns": .array(part.result.fields.map { .string($0.name) }),
                "rows": .array(ResultFormatter.jsonRows(part.result)), "site": .string(part.result.site.description),
                "sql": .string(part.result.sql.sql),
            ])
        }
        return .init(
            body: JSONValue.object(["analysis": .string(outcome.analysis), "as_of": .string(outcome.asOf.iso), "parts": .array(parts)])
                .canonicalText,
            contentType: "application/json")
    }
}

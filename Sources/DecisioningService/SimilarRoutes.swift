import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// `GET /api/v1/projects/{id}/similar`: the completed projects most like a project and how they ended,
/// the same JSON as `decisioning similar --format json` (docs/similarity.md).
struct SimilarRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("projects/:id/similar", use: similar)
    }

    @Sendable func similar(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        let id = context.parameters.get("id") ?? ""
        let query = request.uri.queryParameters
        var k = 20
        if let text = query.get("k") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw Problem.badRequest(
                    "k must be a whole number from 1 to 1000, found '\(TerminalText.quoted(String(text)))'", extra: ["field": .string("k")])
            }
            k = value
        }
        var scope = PrecedentFinder.Scope.all
        if let text = query.get("scope") {
            guard let value = PrecedentFinder.Scope(rawValue: String(text)) else {
                throw Problem.badRequest(
                    "scope must be all, same-industry or same-type, found '\(TerminalText.quoted(String(text)))'",
                    extra: ["field": .string("scope")])
            }
            scope = value
        }
        var asOf = Timestamp(seconds: Int64(Date().timeIntervalSince1970)).day
        if let text = query.get("as_of") {
            guard text.count == 10, let day = Day(iso: String(text)) else {
                throw Problem.badRequest(
                    "as_of must be a date as YYYY-MM-DD, found '\(TerminalText.quoted(String(text)))'", extra: ["field": .string("as_of")])
            }
            asOf = day
        }
        try state.limiter.take(key.name)
        let (application, day, size, within) = (state.application, asOf, k, scope)
        do {
            let found = try await BlockingPool.shared.run("find similar projects") { _ in
                try application.similarProjects(id, asOf: day, k: size, scope: within)
            }
            return JSONBody.typed(ByteBuffer(data: try found.jsonData()), contentType: "application/json")
        } catch let error as SimilarityError {
            switch error {
            case .unknownProject: throw Problem.notFound(error.description)
            case .invalidK, .tooFewCompleted: throw Problem.badRequest(error.description)
            }
        }
    }
}

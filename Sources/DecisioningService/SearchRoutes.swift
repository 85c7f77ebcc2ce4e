import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import Foundation
import Hummingbird

/// `GET /api/v1/search?q=TEXT[&entity=events|projects][&k=K]`: the event notes (or the projects, by
/// their nearest note) nearest in meaning to a text, the same JSON as `decisioning search --format
/// json` (docs/similarity.md), searched among the notes the server holds (`NoteSearch`).
struct SearchRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("search", use: search)
    }

    @Sendable func search(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        let query = request.uri.queryParameters
        let text = query.get("q").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !text.isEmpty, text.count <= 2000 else {
            throw Problem.badRequest(
                text.isEmpty
                    ? "q is required: a few words, e.g. q=client+escalated+about+staff+turnover"
                    : "q has \(text.count) characters; give at most 2,000",
                extra: ["field": .string("q")])
        }
        var entity = TextSearchResult.Entity.events
        if let value = query.get("entity") {
            guard let chosen = TextSearchResult.Entity(rawValue: String(value)) else {
                throw Problem.badRequest(
                    "entity must be events or projects, found '\(TerminalText.quoted(String(value)))'", extra: ["field": .string("entity")])
            }
            entity = chosen
        }
        var k = 10
        if let value = query.get("k") {
            guard let number = Int(value), (1...1000).contains(number) else {
                throw Problem.badRequest(
                    "k must be a whole number from 1 to 1000, found '\(TerminalText.quoted(String(value)))'", extra: ["field": .string("k")]
                )
            }
            k = number
        }
        try state.limiter.take(key.name)
        do {
            let result = try await state.notes.search(text, entity: entity, k: k)
            return JSONBody.typed(ByteBuffer(data: try result.jsonData()), contentType: "application/json")
        } catch let error as EmbeddingError where error.code == .modelMissing {
            context.logger.error("search: \(error.description)")
            throw Problem(
                status: .serviceUnavailable, title: "Service Unavailable",
                detail:
                    "this server has no text model to search with: run scripts/fetch-model.sh on the server, or set DECISIONING_MODEL_DIR, and search again"
            )
        }
    }
}

import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import Foundation
import Hummingbird

/// `GET /api/v1/search?q=TEXT[&entity=events|projects][&k=K]`: the event notes (or the projects, by
/// their nearest description or note) nearest in meaning to a text, the same JSON as `decisioning
/// search --format json` (docs/similarity.md), searched among the texts the server holds (`NoteSearch`).
struct SearchRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("search", use: search)
    }

    @Sendable func search(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        // Decoded as a form's fields: `+` is a space, as HTML GET forms and the examples send it.
        let query = FormBody.parse(request.uri.query ?? "")
        let text = query["q"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        // Zero-width and other format characters alone (U+200B, a byte order mark) are no text either.
        let visible = text.unicodeScalars.contains { !$0.properties.isWhitespace && $0.properties.generalCategory != .format }
        guard visible, text.count <= 2000 else {
            throw Problem.badRequest(
                text.count <= 2000
                    ? "q is required: a few words, e.g. q=client+escalated+about+staff+turnover (+ or %20 for spaces)"
                    : "q has \(text.count) characters; give at most 2,000",
                extra: ["field": .string("q")])
        }
        var entity = TextSearchResult.Entity.events
        if let value = query["entity"] {
            guard let chosen = TextSearchResult.Entity(rawValue: value) else {
                throw Problem.badRequest(
                    "entity must be events or projects, found '\(TerminalText.quoted(String(value)))'", extra: ["field": .string("entity")])
            }
            entity = chosen
        }
        var k = 10
        if let value = query["k"] {
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

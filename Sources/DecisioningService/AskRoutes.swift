import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Hummingbird

/// `POST /api/v1/ask`: a question in plain language answered from the data, the same JSON as
/// `decisioning ask --format json` (docs/questions.md). Ambiguous and unsupported questions are
/// answers too (200, with `status` saying so), never errors.
struct AskRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("ask", use: ask)
    }

    @Sendable func ask(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.viewer)
        let body = try await JSONBody.object(of: request, allowed: ["question", "as_of"])
        guard case .string(let question)? = body["question"] else {
            throw Problem.badRequest(
                "question is required: a string such as \"revenue by industry last quarter\"", extra: ["field": .string("question")])
        }
        let trimmed = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= ServiceState.maxQuestion else {
            throw Problem.badRequest(
                "question must have 1 to \(ServiceState.maxQuestion) characters", extra: ["field": .string("question")])
        }
        var asOf: Day?
        if let value = body["as_of"] {
            guard case .string(let text) = value, text.count == 10, let day = Day(iso: text) else {
                throw Problem.badRequest("as_of must be a date as YYYY-MM-DD, found \(value.summary)", extra: ["field": .string("as_of")])
            }
            asOf = day
        }
        try state.limiter.take(key.name)
        let answer = try await state.ask(trimmed, asOf: asOf)
        return JSONBody.response(answer.json)
    }
}

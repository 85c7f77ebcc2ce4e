import DecisioningApplication
import DecisioningCore
import Hummingbird

/// The dashboard's ask box: `GET /ask?q=QUESTION[&as_of=YYYY-MM-DD]` for any session (asking only
/// reads, so a GET without a CSRF token, whose answer has an address). Without `q` the form and
/// examples; with it the answer (`AskPage`) from `ServiceState.ask`, the answer of `POST /api/v1/ask`.
/// A question the route refuses (empty, too long, a bad date, the key's rate limit) is the form with
/// a message, never an error page without it.
extension WebRoutes {
    @Sendable func ask(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        // Browsers send a GET form's spaces as `+`, which the URI's own parameters keep.
        let fields = FormBody.parse(request.uri.query ?? "")
        let asOfText = (fields["as_of"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let typed = fields["q"] else {
            return Self.html(AskPage.render(session: session, form: AskPage.Form(question: "", asOf: asOfText)))
        }
        let question = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        let form = AskPage.Form(question: String(question.prefix(ServiceState.maxQuestion)), asOf: asOfText)
        func refused(_ status: HTTPResponse.Status, _ message: String) -> Response {
            Self.html(AskPage.render(session: session, form: form, message: message), status: status)
        }
        guard !question.isEmpty else {
            return refused(.badRequest, "Type a question, such as “\(AskPage.examples[0])”: the question was empty.")
        }
        guard question.count <= ServiceState.maxQuestion else {
            return refused(
                .badRequest,
                "A question may have at most \(ServiceState.maxQuestion) characters; this one has \(question.count). Ask it in fewer words."
            )
        }
        var asOf: Day?
        if !asOfText.isEmpty {
            guard asOfText.count == 10, let day = Day(iso: asOfText) else {
                return refused(.badRequest, "The as-of date must be YYYY-MM-DD, found ‘\(TerminalText.quoted(asOfText))’.")
            }
            asOf = day
        }
        do {
            try state.limiter.take(session.key.name)
        } catch {
            var response = refused(error.status, "Too many requests: " + WebLayout.sentence(error.detail))
            if let wait = error.headers[.retryAfter] { response.headers[.retryAfter] = wait }
            return response
        }
        let answer: QuestionAnswer
        do {
            answer = try await state.ask(question, asOf: asOf)
        } catch let error as QuestionError {
            return refused(.unprocessableContent, "The question could not be answered: \(WebLayout.sentence(error.description))")
        }
        context.logger.info("question asked", metadata: ["status": "\(answer.status.rawValue)", "api.key": "\(session.key.name)"])
        return Self.html(AskPage.render(session: session, form: form, answer: answer))
    }
}

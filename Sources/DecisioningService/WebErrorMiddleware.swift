import DecisioningApplication
import Hummingbird
import Logging

/// Answers the web dashboard's errors as pages: not signed in → 303 to the sign-in form; a
/// `WebError` or a `Problem` (a run that is not finished, say) → an HTML page with its status and
/// what to do; anything else → a 500 page that says nothing internal (the log has it).
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            if error.status == .seeOther {
                return Response(status: .seeOther, headers: [.location: "/sign-in"])
            }
            return Self.page(error)
        } catch let problem as Problem {
            return Self.page(WebError(status: problem.status, title: problem.title, message: problem.detail))
        } catch let error as HTTPError {
            return Self.page(
                WebError(status: error.status, title: error.status.reasonPhrase, message: error.body ?? error.status.reasonPhrase))
        } catch is CancellationError {
            return Self.page(
                WebError(status: .serviceUnavailable, title: "Try again", message: "the request was cancelled; reload the page"))
        } catch {
            context.logger.error("page failed", metadata: ["error": "\(error)"])
            return Self.page(
                WebError(
                    status: .internalServerError, title: "Something went wrong",
                    message: "the server could not show this page (request \(context.id)); its log says why"))
        }
    }

    static func page(_ error: WebError) -> Response {
        Response(
            status: error.status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: WebLayout.error(error, session: nil))))
    }
}

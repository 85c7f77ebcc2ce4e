import DecisioningApplication
import DecisioningStore
import Hummingbird

/// Answers every error as `application/problem+json`: problems as they are, Hummingbird's own
/// errors (no such route, a body too large) with their status (405 with `Allow` for a known path
/// asked with another method), the application's refusals as 4xx,
/// and anything else as a 500 whose detail says nothing internal (the log has it, with the request id).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as HTTPError {
            let allowed = error.status == .notFound ? routes.methods(for: request.uri.path) : []
            if !allowed.isEmpty {
                throw Problem(
                    status: .methodNotAllowed, title: "Method Not Allowed",
                    detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method)",
                    headers: [.allow: allowed.joined(separator: ", ")])
            }
            let detail =
                error.status == .notFound
                ? "no route \(request.method) \(request.uri.path); GET /openapi.json lists the routes"
                : (error.body ?? error.status.reasonPhrase)
            throw Problem(status: error.status, title: error.status.reasonPhrase, detail: detail, headers: error.headers)
        } catch let error as ApplicationError {
            throw Problem(status: .badRequest, title: "Bad Request", detail: error.description)
        } catch is CancellationError {
            throw Problem(status: .serviceUnavailable, title: "Service Unavailable", detail: "the request was cancelled; retry it")
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw Problem(
                status: .internalServerError, title: "Internal Server Error",
                detail: "the server could not answer (request \(context.id)); its log says why")
        }
    }
}

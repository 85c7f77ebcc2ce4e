import DecisioningApplication
import Hummingbird

/// Reads `Authorization: Bearer KEY` and puts the key in the context; refuses the request with 401
/// when the header is missing or the key is unknown or revoked. Roles are checked by each route.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let keys: KeyCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers.bearerToken, let key = try await keys.authenticate(token) else {
            throw Problem.unauthorized()
        }
        var context = context
        context.key = key
        context.logger[metadataKey: "api.key"] = "\(key.name)"
        return try await next(request, context)
    }
}

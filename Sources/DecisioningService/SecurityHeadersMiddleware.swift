import HTTPTypes
import Hummingbird

/// The headers of every answer of the web dashboard: a Content-Security-Policy that lets a page
/// load only the binary's own scripts and stylesheets (no inline script, no event-handler
/// attribute, no framing), `nosniff`, no referrer, and no caching of pages (they carry the
/// session's CSRF token). No inline style either: neither `<style>` elements nor `style` attributes
/// (the run's panels draw their meters as SVG rectangles).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Headers HTTPTypes has no name for.
    static let others: [(HTTPField.Name, String)] = [("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")].compactMap {
        name, value in HTTPField.Name(name).map { ($0, value) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        for (name, value) in Self.others { response.headers[name] = value }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

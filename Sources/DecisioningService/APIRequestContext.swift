public import DecisioningApplication
public import Hummingbird

/// The context of one request: Hummingbird's core storage and, once the key middleware has run, the
/// caller's key.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The key the request carried, if it carried a valid one.
    public var key: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Requests whose bodies are decoded whole are small (run requests); ingest streams its body instead.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The caller's key if its role is at least `role`.
    /// - Throws: 401 without a key, 403 with one whose role is too small.
    func require(_ role: APIRole) throws(Problem) -> APIKey {
        guard let key else { throw Problem.unauthorized() }
        guard key.role >= role else {
            throw Problem(
                status: .forbidden, title: "Forbidden",
                detail: "this needs a key with the \(role.rawValue) role or above; the key '\(key.name)' has the \(key.role.rawValue) role")
        }
        return key
    }
}

import DecisioningApplication

/// A signed-in browser: the key it signed in with (kept in memory only, so that revoking the key
/// ends the session), that key's name and role, and the session's CSRF token, which every form of
/// its pages carries.
struct WebSession: Sendable {
    /// The cookie's value: 32 random bytes, base64url.
    let id: String
    /// 32 random bytes, base64url; checked in constant time on every POST.
    let csrf: String
    let token: String
    var key: APIKey
    let expiresAt: ContinuousClock.Instant

    var role: APIRole { key.role }

    /// Whether the session's role is at least `role`.
    func may(_ role: APIRole) -> Bool { key.role >= role }
}

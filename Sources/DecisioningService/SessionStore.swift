import DecisioningApplication
import Foundation
import Synchronization

/// The web dashboard's sessions, in memory (a restart signs everyone out): opened by signing in
/// with a key, ended by signing out, by expiry, or when the key is revoked.
final class SessionStore: Sendable {
    /// The session cookie (HttpOnly, SameSite=Strict, Path=/).
    static let cookieName = "decisioning_session"
    /// The sign-in form's own CSRF cookie, set with the form (there is no session yet).
    static let signInCookieName = "decisioning_sign_in"

    let lifetime: Duration
    let capacity: Int
    private let sessions = Mutex<[String: WebSession]>([:])

    init(lifetime: Duration = .seconds(8 * 3600), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Opens a session for `key`, signed in with `token`.
    func open(token: String, key: APIKey, now: ContinuousClock.Instant = .now) -> WebSession {
        let session = WebSession(id: Self.randomToken(), csrf: Self.randomToken(), token: token, key: key, expiresAt: now + lifetime)
        sessions.withLock { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { $0.value.expiresAt > now }
                if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expiresAt < $1.value.expiresAt })?.key {
                    sessions[oldest] = nil
                }
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session `id`, or nil (an expired one is forgotten).
    func session(id: String, now: ContinuousClock.Instant = .now) -> WebSession? {
        sessions.withLock { sessions in
            guard let session = sessions[id] else { return nil }
            guard session.expiresAt > now else {
                sessions[id] = nil
                return nil
            }
            return session
        }
    }

    /// Ends session `id`.
    func close(id: String) { sessions.withLock { $0[id] = nil } }

    /// How many sessions are open (expired ones included until they are next looked at).
    var count: Int { sessions.withLock { $0.count } }

    /// Seconds a session lasts (the cookie's Max-Age).
    var maxAgeSeconds: Int { Int(lifetime.components.seconds) }

    /// 32 bytes from the system's secure generator, base64url without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

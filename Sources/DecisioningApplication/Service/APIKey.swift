public import DecisioningCore

/// A stored API key, without the key: its name, role and times. The key itself is shown once, when
/// it is created; only its SHA-256 is kept.
public struct APIKey: Sendable, Equatable {
    public var name: String
    public var role: APIRole
    public var createdAt: Timestamp
    public var lastUsedAt: Timestamp?
    public var revokedAt: Timestamp?

    public var isRevoked: Bool { revokedAt != nil }
}

/// Why a key could not be created or revoked.
public enum APIKeyError: Error, Equatable, CustomStringConvertible {
    case nameTaken(String)
    case invalidName(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .nameTaken(let name):
            return "a key named '\(TerminalText.quoted(name))' exists; choose another name, or revoke it first (`decisioning keys revoke`)"
        case .invalidName(let name):
            return
                "key name '\(TerminalText.quoted(name))' is not allowed: use 1 to 100 letters, digits, '-', '_' or '.'"
        case .notFound(let name): return "no key named '\(TerminalText.quoted(name))'; `decisioning keys list` shows the keys"
        }
    }
}

import Crypto
public import DecisioningCore
import DecisioningStore
import Foundation

extension Application {
    /// Creates a key named `name` with `role` as of `now`; returns the key, which is not stored and
    /// cannot be shown again: `dk_` and 43 characters of base64url (32 random bytes).
    public func createAPIKey(name: String, role: APIRole, now: Timestamp) throws -> String {
        guard (1...100).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw APIKeyError.invalidName(name)
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key =
            "dk_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let inserted = try store.writeBatch { writer in
            let insert = try writer.inserter(for: Catalog.apiKeys, columns: ["name", "key_hash", "role", "created_at"], onConflict: .skip)
            return try insert.insert([.text(name), .text(Self.keyHash(key)), .text(role.rawValue), .timestamp(now)])
        }
        guard inserted else { throw APIKeyError.nameTaken(name) }
        return key
    }

    /// Every key, revoked ones too, by name.
    public func listAPIKeys() throws -> [APIKey] {
        try store.query(
            "SELECT name, role, created_at, last_used_at, revoked_at FROM api_keys ORDER BY name", arguments: [],
            columnTypes: [.text(maxLength: 100), .text(maxLength: 20), .timestamp, .timestamp, .timestamp]
        ).map { row in
            APIKey(
                name: row[0].textValue ?? "", role: row[1].textValue.flatMap(APIRole.init(rawValue:)) ?? .viewer,
                createdAt: row[2].timestampValue ?? Timestamp(seconds: 0), lastUsedAt: row[3].timestampValue,
                revokedAt: row[4].timestampValue)
        }
    }

    /// Revokes the key named `name` as of `now`: it stops working at once (a server notices within its cache's lifetime).
    public func revokeAPIKey(name: String, now: Timestamp) throws {
        guard try listAPIKeys().contains(where: { $0.name == name && !$0.isRevoked }) else { throw APIKeyError.notFound(name) }
        try store.writeBatch { writer in
            try writer.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [.timestamp(now), .text(name)])
        }
    }

    /// The key `key` stands for, if it is stored and not revoked.
    public func authenticateAPIKey(_ key: String) throws -> APIKey? {
        guard key.hasPrefix("dk_"), key.count < 200 else { return nil }
        let rows = try store.query(
            "SELECT name, role, created_at, last_used_at, revoked_at FROM api_keys WHERE key_hash = ?",
            arguments: [.text(Self.keyHash(key))],
            columnTypes: [.text(maxLength: 100), .text(maxLength: 20), .timestamp, .timestamp, .timestamp])
        guard let row = rows.first, row[4].timestampValue == nil, let role = row[1].textValue.flatMap(APIRole.init(rawValue:)) else {
            return nil
        }
        return APIKey(
            name: row[0].textValue ?? "", role: role, createdAt: row[2].timestampValue ?? Timestamp(seconds: 0),
            lastUsedAt: row[3].timestampValue,
            revokedAt: nil)
    }

    /// Records that the key named `name` was used at `now`.
    public func touchAPIKey(name: String, now: Timestamp) throws {
        try store.writeBatch { writer in
            try writer.execute("UPDATE api_keys SET last_used_at = ? WHERE name = ?", arguments: [.timestamp(now), .text(name)])
        }
    }

    /// The hex SHA-256 of a key: what is stored and looked up.
    static func keyHash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).hexDigits
    }
}

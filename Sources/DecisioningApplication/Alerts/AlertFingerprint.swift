import Crypto
import DecisioningCore
import Foundation

/// The stable identity of an alert across runs: the same rule about the same entity is the same
/// alert, whichever run raised it and whatever its message or observed value.
public enum AlertFingerprint {
    /// The first 32 hex digits of the SHA-256 of `[rule, entity_type, entity_id]` as canonical JSON
    /// (so that no two different triples, nulls included, share a text).
    public static func of(rule: String, entityType: String?, entityId: String?) -> String {
        let parts: JSONValue = .array([.string(rule), entityType.map(JSONValue.string) ?? .null, entityId.map(JSONValue.string) ?? .null])
        let digest = SHA256.hash(data: Data(parts.canonicalText.utf8))
        return digest.prefix(16).hexDigits
    }

    /// Whether `text` has the shape of a fingerprint (32 lowercase hex digits).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

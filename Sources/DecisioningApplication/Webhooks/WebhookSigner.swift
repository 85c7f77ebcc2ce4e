import Crypto
import Foundation

/// Signs a delivery as the Standard Webhooks specification says: `webhook-signature` is `v1,` and
/// the base64 HMAC-SHA256 of `"<webhook-id>.<webhook-timestamp>.<body>"` under the secret's bytes.
public struct WebhookSigner: Sendable {
    let key: SymmetricKey

    /// A signer with the secret's bytes: after a `whsec_` prefix, the base64-decoded rest; otherwise
    /// the secret's UTF-8 bytes.
    /// - Throws: `WebhookSecretError` naming `variable` (never the secret) when the `whsec_` part is not base64 or the secret is empty.
    public init(secret: String, variable: String) throws(WebhookSecretError) {
        if secret.hasPrefix("whsec_") {
            guard let bytes = Data(base64Encoded: String(secret.dropFirst("whsec_".count))), !bytes.isEmpty else {
                throw .notBase64(variable: variable)
            }
            key = SymmetricKey(data: bytes)
        } else {
            guard !secret.isEmpty else { throw .empty(variable: variable) }
            key = SymmetricKey(data: Data(secret.utf8))
        }
    }

    /// The `webhook-signature` header of `body` sent as delivery `id` at unix time `timestamp`.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of an attempt: `webhook-id`, `webhook-timestamp` and `webhook-signature`.
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(name: String, value: String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }
}

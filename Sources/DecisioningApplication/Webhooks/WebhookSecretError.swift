/// Why a webhook's secret cannot be used. Messages name the environment variable, never its value.
public enum WebhookSecretError: Error, CustomStringConvertible, Equatable {
    case missing(variable: String, webhook: String)
    case empty(variable: String)
    case notBase64(variable: String)

    public var description: String {
        switch self {
        case .missing(let variable, let webhook):
            return
                "the environment variable \(variable) (secret_env of webhook '\(webhook)') is not set; set it to the webhook's secret and restart the server"
        case .empty(let variable):
            return "the environment variable \(variable) is empty; set it to the webhook's secret"
        case .notBase64(let variable):
            return "the secret in \(variable) starts with whsec_ but the rest is not base64; copy the whole secret the receiver gave"
        }
    }
}

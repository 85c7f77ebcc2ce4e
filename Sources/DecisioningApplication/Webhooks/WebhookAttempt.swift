/// What one attempt to send a delivery came to, as the transport saw it.
public enum WebhookAttempt: Sendable, Equatable {
    /// The receiver answered with `status` (`location`: a redirect's target, which is not followed).
    case response(status: Int, location: String?)
    /// No answer within the webhook's `timeout_seconds`.
    case timedOut(seconds: Double)
    /// The receiver's host refused the connection (nothing listens there).
    case refused(String)
    /// Anything else: the name did not resolve, TLS failed, the connection broke.
    case failed(String)
    /// The attempt could not be made: the secret is missing, the webhook is no longer configured.
    case notSent(String)

    /// A 2xx answer: the delivery is delivered.
    public var isSuccess: Bool {
        if case .response(let status, _) = self { return (200...299).contains(status) }
        return false
    }

    /// The status recorded in `last_status`, when there was one.
    public var status: Int? {
        if case .response(let status, _) = self { return status }
        return nil
    }

    /// The reason recorded in `last_error`, saying what to check; nil for a success.
    public var failure: String? {
        switch self {
        case .response(let status, let location):
            switch status {
            case 200...299: return nil
            case 300...399:
                return
                    "the receiver answered \(status), a redirect\(location.map { " to \($0)" } ?? ""), which is not followed; set the webhook's url to the final address"
            case 400...499:
                return "the receiver answered \(status) (it refused the request); check the webhook's url and secret at the receiver"
            case 500...599: return "the receiver answered \(status) (a server error); it is retried"
            default: return "the receiver answered \(status), which is not a success"
            }
        case .timedOut(let seconds): return "no answer within \(Self.seconds(seconds)) s (timeout_seconds); it is retried"
        case .refused(let detail): return "connection refused (\(detail)); is the receiver running at the webhook's url?"
        case .failed(let detail): return "the request failed: \(detail)"
        case .notSent(let detail): return detail
        }
    }

    /// The outcome as a metrics label: 2xx, 3xx, 4xx, 5xx, timeout, refused, error, not_sent.
    public var label: String {
        switch self {
        case .response(let status, _): return status >= 100 && status < 600 ? "\(status / 100)xx" : "other"
        case .timedOut: return "timeout"
        case .refused: return "refused"
        case .failed: return "error"
        case .notSent: return "not_sent"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}

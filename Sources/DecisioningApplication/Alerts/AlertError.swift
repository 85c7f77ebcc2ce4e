import DecisioningCore

/// What the alert use cases refuse, with what to do about it.
public enum AlertError: Error, CustomStringConvertible, Equatable {
    /// No alert has this id (fingerprint).
    case notFound(id: String)
    /// The alert is in a state the action cannot leave from.
    case illegalTransition(id: String, state: AlertState, action: String)

    public var description: String {
        switch self {
        case .notFound(let id):
            return "no alert '\(TerminalText.quoted(id))'; GET /api/v1/alerts lists the alerts and their ids"
        case .illegalTransition(let id, let state, let action):
            let advice: String
            switch (state, action) {
            case (.acknowledged, "acknowledge"): advice = "it is already acknowledged; resolve it when it is dealt with"
            case (.resolved, _):
                advice = "it is resolved; it reopens by itself when a run raises it again"
            default: advice = "only open or acknowledged alerts can be \(action)d"
            }
            return "alert \(TerminalText.quoted(id)) is \(state.rawValue) and cannot be \(action)d: \(advice)"
        }
    }
}

/// What a webhook hears about an alert: it opened, escalated in severity, reopened after being
/// resolved, or was resolved (by a run that no longer raised it, or by a user).
public enum AlertEventType: String, Sendable, Hashable, CaseIterable {
    case opened = "alert.opened"
    case escalated = "alert.escalated"
    case reopened = "alert.reopened"
    case resolved = "alert.resolved"
}

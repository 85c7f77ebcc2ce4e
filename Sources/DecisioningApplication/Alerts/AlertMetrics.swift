import Metrics

/// The alerts' counters (swift-metrics; the service bootstraps the Prometheus registry):
/// `decisioning_alert_transitions_total{event}`: opened, escalated, reopened, resolved, acknowledged,
/// and `suppressed` (an escalation or reopening the cooldown kept from notifying). The gauge of alerts
/// by state and severity is read from the database when metrics are scraped (`Application.alertCounts`).
enum AlertMetrics {
    static func record(_ changes: [AlertLifecycle.Change]) {
        for change in changes {
            if let event = change.event {
                count(String(event.rawValue.dropFirst("alert.".count)))
            } else if change.suppressed {
                count("suppressed")
            }
        }
    }

    static func transitioned(_ record: AlertRecord) {
        count(record.state == .acknowledged ? "acknowledged" : "resolved")
    }

    static func count(_ event: String) {
        Counter(label: "decisioning_alert_transitions_total", dimensions: [("event", event)]).increment()
    }
}

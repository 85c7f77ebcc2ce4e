import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// `/alerts`: the alerts' inbox. Tabs by state (active = open or acknowledged, the default), a
/// severity filter, each alert with its figures, when it was first and last seen and by which runs,
/// and, for analysts and admins, Acknowledge and Resolve buttons (forms with the session's CSRF token).
enum AlertsPage {
    /// Which alerts a tab lists.
    enum Tab: String, CaseIterable, Sendable {
        case active, open, acknowledged, resolved, all

        var states: [AlertState] {
            switch self {
            case .active: return [.open, .acknowledged]
            case .open: return [.open]
            case .acknowledged: return [.acknowledged]
            case .resolved: return [.resolved]
            case .all: return []
            }
        }

        var title: String {
            switch self {
            case .active: return "Active"
            case .open: return "Open"
            case .acknowledged: return "Acknowledged"
            case .resolved: return "Resolved"
            case .all: return "All"
            }
        }
    }

    /// What the page lists: a tab, an optional severity, and the page's cursor.
    struct Filter: Sendable, Equatable {
        var tab: Tab = .active
        var severity: Severity?
        var cursor: String?

        /// The page's address with these filters (and `cursor` when given).
        func path(cursor: String? = nil) -> String {
            var query = ["state=\(tab.rawValue)"]
            if let severity { query.append("severity=\(severity.rawValue)") }
            if let cursor { query.append("cursor=\(cursor)") }
            return "/alerts?" + query.joined(separator: "&")
        }
    }

    static func render(session: WebSession, filter: Filter, page: AlertPage, nextCursor: String?, notice: String?) -> String {
        var content: [WebNode] = [
            .header(
                .cls("top"),
                .div(
                    .h1(.plain("Alerts")),
                    .p(
                        .cls("meta"),
                        .plain(
                            "An alert is one rule on one entity: a later run that raises it again updates it, one that no longer raises it resolves it."
                        ))))
        ]
        if let notice { content.append(.p(.cls("notice"), .plain(notice))) }
        content.append(tabs(filter))
        content.append(severityFilter(filter))
        content.append(
            .section(
                .cls("panel wide"),
                .h2(.plain("\(filter.tab.title) alerts" + (filter.severity.map { ", \($0.rawValue) severity" } ?? ""))),
                table(page.alerts, session: session, filter: filter),
                nextCursor.map { cursor -> WebNode in
                    .p(.cls("more"), .a(.attr("href", filter.path(cursor: cursor)), .plain("Older alerts ›")))
                } ?? .empty))
        return WebLayout.page(title: "Alerts", session: session, content)
    }

    static func tabs(_ filter: Filter) -> WebNode {
        .nav(
            .cls("tabs"), .attr("aria-label", "Alert states"),
            .group(
                Tab.allCases.map { tab -> WebNode in
                    let target = Filter(tab: tab, severity: filter.severity)
                    return tab == filter.tab
                        ? .a(.cls("tab current"), .attr("aria-current", "page"), .attr("href", target.path()), .plain(tab.title))
                        : .a(.cls("tab"), .attr("href", target.path()), .plain(tab.title))
                }))
    }

    /// A GET form: works without scripts.
    static func severityFilter(_ filter: Filter) -> WebNode {
        .form(
            .cls("filters"), .attr("method", "get"), .attr("action", "/alerts"),
            .void("input", [("type", "hidden"), ("name", "state"), ("value", filter.tab.rawValue)]),
            .el(
                "label", .attr("for", "severity"), .plain("Severity "),
                .el(
                    "select", .attr("id", "severity"), .attr("name", "severity"),
                    option("", "any", selected: filter.severity == nil),
                    .group(Severity.allCases.reversed().map { option($0.rawValue, $0.rawValue, selected: filter.severity == $0) }))),
            .el("button", .attr("type", "submit"), .cls("secondary"), .plain("Show")))
    }

    static func option<Context>(_ value: String, _ text: String, selected: Bool) -> Node<Context> {
        selected
            ? .el("option", .attr("value", value), .attribute(named: "selected"), .plain(text))
            : .el("option", .attr("value", value), .plain(text))
    }

    static func table(_ alerts: [AlertRecord], session: WebSession, filter: Filter) -> WebNode {
        guard !alerts.isEmpty else {
            return .div(
                .cls("empty"),
                .plain(
                    filter.tab == .active
                        ? "No active alert. Runs raise alerts when a rule's threshold is crossed."
                        : "No alert in this state."))
        }
        let actions = session.may(.analyst)
        return .table(
            .cls("data alerts"),
            .thead(
                .tr(
                    .th(.plain("Severity")), .th(.plain("State")), .th(.plain("Alert")), .th(.cls("num"), .plain("Observed")),
                    .th(.cls("num"), .plain("Threshold")), .th(.plain("Seen (UTC)")), .th(.cls("num"), .plain("Runs")),
                    actions ? .th(.plain("Action")) : .empty)),
            .tbody(.group(alerts.map { row($0, session: session, filter: filter, actions: actions) })))
    }

    static func row(_ alert: AlertRecord, session: WebSession, filter: Filter, actions: Bool) -> Node<HTML.TableContext> {
        let entity = [alert.entityType, alert.entityId].compactMap { $0 }.joined(separator: " ")
        let title: Node<HTML.BodyContext> = .div(
            .strong(.plain(ReportFragments.label(alert.rule))), entity.isEmpty ? .empty : .plain(" · " + entity))
        let seen: [Node<HTML.BodyContext>] = [
            .div(.plain("first " + alert.openedAt.iso)), .div(.plain("last " + alert.lastSeenAt.iso)),
            .div(.cls("why"), .a(.attr("href", "/runs/\(alert.lastRunId)"), .plain("last run"))),
        ]
        let action: Node<HTML.TableRowContext> =
            actions ? .td(.cls("nowrap actions"), .group(buttons(alert, session: session, filter: filter))) : .empty
        return .tr(
            .attr("data-alert", alert.id), .attr("data-state", alert.state.rawValue),
            .td(WebLayout.badge(alert.severity.rawValue, tone(alert.severity))),
            .td(WebLayout.badge(alert.state.rawValue, tone(alert.state))),
            .td(
                title, .div(.cls("why"), .plain(alert.message)),
                .div(.cls("why"), .plain(stateLine(alert)))),
            .td(.cls("num"), .plain(figure(alert.observed))),
            .td(.cls("num"), .plain(figure(alert.threshold))),
            .td(.cls("nowrap"), .group(seen)),
            .td(.cls("num"), .plain(String(alert.occurrences))),
            action)
    }

    /// Acknowledge (open alerts) and Resolve (open or acknowledged ones); each returns to this page.
    static func buttons(_ alert: AlertRecord, session: WebSession, filter: Filter) -> [WebNode] {
        var forms: [WebNode] = []
        if alert.state == .open { forms.append(action("acknowledge", "Acknowledge", alert: alert, session: session, filter: filter)) }
        if alert.state.isActive { forms.append(action("resolve", "Resolve", alert: alert, session: session, filter: filter)) }
        return forms
    }

    static func action(_ verb: String, _ label: String, alert: AlertRecord, session: WebSession, filter: Filter) -> WebNode {
        .form(
            .cls("inline"), .attr("method", "post"), .attr("action", "/alerts/\(alert.id)/\(verb)"), WebLayout.csrfField(session),
            .void("input", [("type", "hidden"), ("name", "return"), ("value", filter.path())]),
            .el("button", .attr("type", "submit"), .cls("secondary"), .plain(label)))
    }

    static func stateLine(_ alert: AlertRecord) -> String {
        switch alert.state {
        case .open: return "open since \(alert.openedAt.iso)"
        case .acknowledged: return "acknowledged \(alert.acknowledgedAt?.iso ?? "")"
        case .resolved:
            let how = alert.resolution == "auto" ? "by a run that no longer raised it" : "by hand"
            return "resolved \(alert.resolvedAt?.iso ?? "") \(how)"
        }
    }

    static func figure(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return ReportFragments.number(value)
    }

    static func tone(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "bad"
        case .medium: return "warn"
        case .low: return "info"
        case .info: return "neutral"
        }
    }

    static func tone(_ state: AlertState) -> String {
        switch state {
        case .open: return "bad"
        case .acknowledged: return "warn"
        case .resolved: return "good"
        }
    }
}

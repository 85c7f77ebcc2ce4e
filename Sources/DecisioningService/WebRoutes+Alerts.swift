import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Hummingbird

/// The dashboard's alerts inbox: `/alerts` lists them (any role), `/alerts/{id}/acknowledge` and
/// `/alerts/{id}/resolve` change them (analyst or admin, with the session's CSRF token), then return
/// to the list the form was on.
extension WebRoutes {
    /// How many alerts a page lists.
    static let alertsPerPage = 50

    @Sendable func alerts(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let filter = try Self.alertFilter(request.uri.queryParameters)
        var after: AlertCursor?
        if let cursor = filter.cursor {
            guard let decoded = AlertRoutes.decodeCursor(cursor) else {
                throw WebError(
                    status: .badRequest, title: "Not a page of alerts",
                    message: "the page address is not one this server gave (the cursor is unknown); start from the first page",
                    link: (AlertsPage.Filter(tab: filter.tab, severity: filter.severity).path(), "The first page"))
            }
            after = decoded
        }
        let query = AlertQuery(
            states: filter.tab.states, severities: filter.severity.map { [$0] } ?? [], limit: Self.alertsPerPage, after: after)
        let application = state.application
        let page = try await BlockingPool.shared.run("list alerts") { _ in try application.listAlerts(query) }
        let notice = request.uri.queryParameters.get("done").flatMap(Self.alertNotice)
        return Self.html(
            AlertsPage.render(
                session: session, filter: filter, page: page, nextCursor: page.next.map(AlertRoutes.encodeCursor), notice: notice))
    }

    @Sendable func acknowledgeAlert(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await changeAlert(request, context: context, done: "acknowledged") { application, id, actor, time in
            try application.acknowledgeAlert(id: id, by: actor, at: time)
        }
    }

    @Sendable func resolveAlert(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await changeAlert(request, context: context, done: "resolved") { application, id, actor, time in
            try application.resolveAlert(id: id, by: actor, at: time)
        }
    }

    /// Checks the session, its token and role, applies `change` on the blocking pool, and returns to
    /// the form's list. An unknown alert is a 404 page, a change its state does not allow a 409 page.
    func changeAlert(
        _ request: Request, context: APIRequestContext, done: String,
        _ change: @escaping @Sendable (DecisioningApplication.Application, String, String, Timestamp) throws -> AlertRecord
    ) async throws -> Response {
        let session = try await session(request)
        let fields = try await checkCSRF(request, session: session)
        guard session.may(.analyst) else { throw WebError.role(APIRole.analyst.rawValue, has: session.role.rawValue) }
        let id = context.parameters.get("id") ?? ""
        let back = Self.alertsReturnPath(fields["return"])
        guard AlertFingerprint.isWellFormed(id) else { throw Self.noSuchAlert(id, back: back) }
        let (application, actor, time) = (state.application, "web:\(session.key.name)", state.now())
        do {
            _ = try await BlockingPool.shared.run("change an alert") { _ in try change(application, id, actor, time) }
        } catch let error as AlertError {
            switch error {
            case .notFound: throw Self.noSuchAlert(id, back: back)
            case .illegalTransition:
                throw WebError(
                    status: .conflict, title: "Alert not changed", message: error.description, link: (back, "Back to the alerts"))
            }
        }
        context.logger.info("alert \(done)", metadata: ["alert": "\(id)", "api.key": "\(session.key.name)"])
        return Self.redirect(back + "&done=" + done)
    }

    // MARK: - Helpers

    /// The list's filters from the query: `state` (a tab, default active), `severity` (empty: any), `cursor`.
    /// - Throws: a 400 page naming the parameter and its allowed values.
    static func alertFilter(_ parameters: Parameters) throws -> AlertsPage.Filter {
        var filter = AlertsPage.Filter()
        if let text = parameters.get("state"), !text.isEmpty {
            guard let tab = AlertsPage.Tab(rawValue: text) else {
                throw badAlertFilter("state", text, allowed: AlertsPage.Tab.allCases.map(\.rawValue))
            }
            filter.tab = tab
        }
        if let text = parameters.get("severity"), !text.isEmpty {
            guard let severity = Severity(rawValue: text) else {
                throw badAlertFilter("severity", text, allowed: Severity.allCases.map(\.rawValue))
            }
            filter.severity = severity
        }
        filter.cursor = parameters.get("cursor")
        return filter
    }

    static func badAlertFilter(_ field: String, _ value: String, allowed: [String]) -> WebError {
        WebError(
            status: .badRequest, title: "Unknown filter",
            message: "\(field) must be one of \(allowed.joined(separator: ", ")), found '\(TerminalText.quoted(value))'",
            link: ("/alerts", "All active alerts"))
    }

    static func noSuchAlert(_ id: String, back: String) -> WebError {
        WebError(
            status: .notFound, title: "No such alert",
            message: "no alert '\(TerminalText.quoted(id))' in this database; the alerts page lists them", link: (back, "The alerts"))
    }

    /// Where a form returns: its `return` field when it is a list of this page (`/alerts?…` with
    /// plain query characters), else the active alerts. Never another site or path.
    static func alertsReturnPath(_ text: String?) -> String {
        let fallback = AlertsPage.Filter().path()
        guard let text, text.hasPrefix("/alerts?"), text.count <= 300,
            text.utf8.allSatisfy(Self.isPlainQueryByte)
        else { return fallback }
        // A cursor is for the page the form was on; after a change the list starts again.
        let kept = text.dropFirst("/alerts?".count).split(separator: "&").filter { !$0.hasPrefix("cursor=") && !$0.hasPrefix("done=") }
        return "/alerts?" + (kept.isEmpty ? "state=active" : kept.joined(separator: "&"))
    }

    /// Letters, digits and `/?=&_-`: what the page's own addresses are made of.
    static func isPlainQueryByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default: return false
        }
    }

    static func alertNotice(_ done: String) -> String? {
        switch done {
        case "acknowledged":
            return "The alert is acknowledged: it stays in the inbox until resolved, and a run that raises it again updates it."
        case "resolved": return "The alert is resolved; a later run that raises it again reopens it."
        default: return nil
        }
    }
}

import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// The skeleton of every page of the web dashboard: the stylesheets and script it links (served
/// by the binary, nothing inline), the navigation with the ask box, the signed-in key and its sign-out form,
/// and the page's content in `<main>`. `<html>` has the class `dashboard`, so the rules of
/// dashboard.html apply to the run's panels as they are.
enum WebLayout {
    /// What a page adds to its head.
    struct Head {
        /// Reload every this many seconds when scripts are off (the progress page).
        var refreshWithoutScript: Int?
        /// Scripts to load, by address under /assets.
        var scripts: [String] = []
    }

    static func page(title: String, session: WebSession?, head: Head = Head(), _ content: [WebNode]) -> String {
        var extra: [Node<HTML.HeadContext>] = []
        if let seconds = head.refreshWithoutScript {
            extra.append(
                .element(
                    named: "noscript",
                    nodes: [.meta(.attribute(named: "http-equiv", value: "refresh"), .attribute(named: "content", value: String(seconds)))])
            )
        }
        for script in head.scripts {
            extra.append(.script(.attr("src", script), .attribute(named: "defer")))
        }
        let html = HTML(
            .attr("lang", "en"),
            .cls("dashboard web"),
            .head(
                .meta(.attribute(named: "charset", value: "utf-8")),
                .meta(
                    .attribute(named: "name", value: "viewport"), .attribute(named: "content", value: "width=device-width, initial-scale=1")
                ),
                .element(named: "title", nodes: [.plain(title + " · Decisioning")]),
                .link(.attribute(named: "rel", value: "stylesheet"), .attribute(named: "href", value: WebAssets.reportCSSPath)),
                .link(.attribute(named: "rel", value: "stylesheet"), .attribute(named: "href", value: WebAssets.webCSSPath)),
                .group(extra)),
            .body(navigation(session), .main(.group(content))))
        return html.render() + "\n"
    }

    static func navigation(_ session: WebSession?) -> WebNode {
        guard let session else {
            return .nav(.cls("site"), .a(.cls("brand"), .attr("href", "/"), .plain("Decisioning")))
        }
        return .nav(
            .cls("site"), .attr("aria-label", "Site"),
            .a(.cls("brand"), .attr("href", "/"), .plain("Decisioning")),
            .a(.attr("href", "/"), .plain("Runs")),
            .a(.attr("href", "/dashboard"), .plain("Latest dashboard")),
            .a(.attr("href", "/alerts"), .plain("Alerts")),
            .a(.attr("href", "/ask"), .plain("Ask")),
            askForm(),
            .span(.cls("spacer")),
            .span(.cls("who"), .plain("Signed in as "), .strong(.plain(session.key.name)), .plain(" "), roleBadge(session.role)),
            .form(
                .cls("inline"), .attr("method", "post"), .attr("action", "/sign-out"), csrfField(session),
                .el("button", .attr("type", "submit"), .cls("link"), .plain("Sign out"))))
    }

    /// The navigation's ask box: a GET to `/ask` (no CSRF token: asking only reads, and a token must
    /// not go into an address).
    static func askForm() -> WebNode {
        .form(
            .cls("ask-nav"), .attr("method", "get"), .attr("action", "/ask"), .attr("role", "search"),
            .void(
                "input",
                [
                    ("type", "search"), ("name", "q"), ("placeholder", "Ask a question…"), ("aria-label", "Ask a question"),
                    ("maxlength", String(ServiceState.maxQuestion)), ("autocomplete", "off"),
                ]))
    }

    /// The hidden field every form of a signed-in page carries.
    static func csrfField<Context>(_ session: WebSession) -> Node<Context> {
        .void("input", [("type", "hidden"), ("name", "csrf"), ("value", session.csrf)])
    }

    static func roleBadge(_ role: APIRole) -> WebNode {
        let tone: String
        switch role {
        case .viewer: tone = "neutral"
        case .analyst: tone = "info"
        case .admin: tone = "warn"
        }
        return badge(role.rawValue, tone)
    }

    static func badge(_ text: String, _ tone: String) -> WebNode { .span(.cls("badge " + tone), .plain(text)) }

    /// The tone of a run's status: succeeded good, degraded warn, failed bad, running info.
    static func tone(_ status: RunStatus?) -> String {
        switch status {
        case .succeeded: return "good"
        case .degraded: return "warn"
        case .failed: return "bad"
        case .running, .queued: return "info"
        default: return "neutral"
        }
    }

    /// The "Run now" form (shown only to analysts and admins).
    static func runNowForm(_ session: WebSession, asOf: Day? = nil) -> WebNode {
        .form(
            .cls("runnow"), .attr("method", "post"), .attr("action", "/runs"), csrfField(session),
            .el(
                "label", .attr("for", "as_of"), .plain("As of "),
                .void("input", [("type", "date"), ("id", "as_of"), ("name", "as_of"), ("value", asOf?.iso ?? "")])),
            .el("button", .attr("type", "submit"), .cls("primary"), .plain("Run now")),
            .span(.cls("hint"), .plain("Empty date: today (UTC). Each agent's progress shows live.")))
    }

    /// A page saying what went wrong and what to do.
    static func error(_ error: WebError, session: WebSession?) -> String {
        page(
            title: error.title, session: session,
            [
                .section(
                    .cls("panel problem"),
                    .h1(.plain(error.title)),
                    .p(.plain(sentence(error.message))),
                    error.link.map { link -> WebNode in .p(.a(.attr("href", link.href), .plain(link.text))) } ?? .empty,
                    .p(.cls("sub"), .a(.attr("href", "/"), .plain("Back to the runs"))))
            ])
    }

    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let capitalised = first.uppercased() + text.dropFirst()
        return capitalised.hasSuffix(".") ? capitalised : capitalised + "."
    }
}

import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// `/runs/{id}` and `/dashboard`: a finished run's dashboard, the same panels and figures as its
/// dashboard.html (one builder), with each decision linking to its page.
enum RunPage {
    static func render(session: WebSession, results: RunResults, latest: Bool, activeRunId: String?) -> String {
        let runId = results.run.runId
        var bar: [WebNode] = [
            .div(
                .cls("crumbs"), .a(.attr("href", "/"), .plain("Runs")), .plain(" › "),
                .plain(latest ? "Latest dashboard (run \(runId))" : "Run \(runId)"))
        ]
        if let activeRunId {
            bar.append(
                .p(
                    .cls("notice"), .plain("A run is under way: "),
                    .a(.attr("href", "/runs/\(activeRunId)/progress"), .plain("follow its progress")), .plain(".")))
        } else if session.may(.analyst) {
            bar.append(WebLayout.runNowForm(session, asOf: results.run.asOf))
        }
        let fragment = ReportFragments.dashboard(results) { decision in "/runs/\(runId)/decisions/\(decision.id)" }
        return WebLayout.page(
            title: "Dashboard " + runId, session: session, [.div(.cls("bar"), .group(bar)), .div(.cls("run"), .raw(fragment))])
    }
}

extension RunPage {
    /// `/dashboard` before any run has finished with decisions.
    static func none(session: WebSession, activeRunId: String?) -> String {
        var content: [WebNode] = [
            .div(.cls("crumbs"), .a(.attr("href", "/"), .plain("Runs")), .plain(" › "), .plain("Latest dashboard")),
            .section(
                .cls("panel wide"), .h1(.plain("No dashboard yet")),
                .div(.cls("empty"), .plain("No run has finished with decisions yet. A run's dashboard appears here when it has."))),
        ]
        if let activeRunId {
            content.append(
                .p(
                    .cls("notice"), .plain("A run is under way: "),
                    .a(.attr("href", "/runs/\(activeRunId)/progress"), .plain("follow its progress")), .plain(".")))
        } else if session.may(.analyst) {
            content.append(WebLayout.runNowForm(session))
        }
        return WebLayout.page(title: "Latest dashboard", session: session, content)
    }
}

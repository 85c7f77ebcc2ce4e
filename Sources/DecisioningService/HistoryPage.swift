import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// `/`: the run history. A chart of each finished run's health score and the total expected impact
/// of its decisions, the table of the most recent runs with links to their dashboards, and "Run
/// now" for analysts and admins.
enum HistoryPage {
    static func render(session: WebSession, runs: [RunRecord], points: [String: RunHistoryPoint], activeRunId: String?) -> String {
        let charted = runs.compactMap { points[$0.runId] }
        var content: [WebNode] = [
            .header(
                .cls("top"),
                .div(
                    .h1(.plain("Runs")),
                    .p(
                        .cls("meta"),
                        .plain(
                            runs.isEmpty
                                ? "No run yet."
                                : "The \(runs.count) most recent run\(runs.count == 1 ? "" : "s"), newest first. Each finished run links to its dashboard."
                        ))))
        ]
        if let activeRunId {
            content.append(
                .p(
                    .cls("notice"), .plain("A run is under way: "),
                    .a(.attr("href", "/runs/\(activeRunId)/progress"), .plain("follow its progress")), .plain(".")))
        } else if session.may(.analyst) {
            content.append(WebLayout.runNowForm(session, asOf: runs.first?.asOf))
        }
        content.append(
            .section(
                .cls("panel wide"),
                .h2(.plain("Health score and expected impact across runs")),
                .p(
                    .cls("sub"),
                    .plain(
                        "Bars: the total expected impact of each run's decisions (right axis). Line: the business health score, 0–100 (left axis). Oldest run on the left."
                    )),
                charted.isEmpty
                    ? .div(.cls("empty"), .plain("No finished run with results yet."))
                    : .div(.cls("history-chart"), .raw(ReportFragments.historyChart(charted)))))
        content.append(.section(.cls("panel wide"), .h2(.plain("Run history")), table(runs, points: points)))
        return WebLayout.page(title: "Runs", session: session, content)
    }

    static func table(_ runs: [RunRecord], points: [String: RunHistoryPoint]) -> WebNode {
        guard !runs.isEmpty else {
            return .div(.cls("empty"), .plain("Runs appear here once started: by an analyst here, through the API or by the schedule."))
        }
        return .table(
            .cls("data runs"),
            .thead(
                .tr(
                    .th(.plain("Started (UTC)")), .th(.plain("As of")), .th(.plain("Analysis")), .th(.plain("Status")),
                    .th(.cls("num"), .plain("Health")), .th(.cls("num"), .plain("Expected impact")), .th(.cls("num"), .plain("Decisions")),
                    .th(.cls("num"), .plain("Alerts")), .th(.plain("Run")))),
            .tbody(
                .group(
                    runs.map { run in
                        let point = points[run.runId]
                        let finished = run.status?.isFinished == true
                        let link: WebNode =
                            finished
                            ? (point == nil
                                ? .span(.cls("why"), .plain("no results"))
                                : .a(.attr("href", "/runs/\(run.runId)"), .plain("Dashboard")))
                            : .a(.attr("href", "/runs/\(run.runId)/progress"), .plain("Progress"))
                        return .tr(
                            .attr("data-run", run.runId),
                            .td(.cls("nowrap"), .plain(run.startedAt.iso)),
                            .td(.cls("nowrap"), .plain(run.asOf.iso)),
                            .td(.plain(ReportFragments.label(run.analysis))),
                            .td(WebLayout.badge(run.status?.rawValue ?? "unknown", WebLayout.tone(run.status))),
                            .td(.cls("num strong"), .plain(point.map { ReportFragments.score($0.healthScore) } ?? "–")),
                            .td(
                                .cls("num"), .attr("title", point.map { ReportFragments.money($0.totalImpact) } ?? ""),
                                .plain(point.map { ReportFragments.moneyShort($0.totalImpact) } ?? "–")),
                            .td(.cls("num"), .plain(point.map { String($0.decisions) } ?? "–")),
                            .td(.cls("num"), .plain(point.map { String($0.alerts) } ?? "–")),
                            .td(.cls("nowrap"), link, .div(.cls("why"), .code(.plain(run.runId)))))
                    })))
    }
}

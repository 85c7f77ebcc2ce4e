import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Plot

/// `/runs/{id}/progress`: each agent's state in a run. Rendered from the events so far; with
/// scripts on, /assets/progress.js follows the run's events (`/runs/{id}/events`, server-sent,
/// authenticated by the session cookie) from the last one rendered and updates the rows until
/// `run.finished`; with scripts off, the page reloads itself every two seconds while the run goes on.
enum ProgressPage {
    /// One agent's row: its name, state and a detail (attempt, duration, error).
    struct Row {
        var agent: String
        var state: String
        var detail: String
    }

    static func render(session: WebSession, run: RunRecord, events: [RunEvent], agents: [String]) -> String {
        let finished = events.last?.isFinal == true || run.status?.isFinished == true
        let finalStatus = events.last(where: \.isFinal).flatMap { field("status", of: $0) } ?? run.status?.rawValue ?? "unknown"
        let rows = rows(events: events, agents: agents)
        let stateText = finished ? "Finished: \(finalStatus)" : "Running…"
        let eventsPath = "/runs/\(run.runId)/events"
        let content: [WebNode] = [
            .div(
                .cls("crumbs"), .a(.attr("href", "/"), .plain("Runs")), .plain(" › "),
                .plain("Run \(run.runId)")),
            .header(
                .cls("top"),
                .div(
                    .h1(.plain("Run progress")),
                    .p(
                        .cls("meta"), .plain(ReportFragments.label(run.analysis) + " · as of "), .strong(.plain(run.asOf.iso)),
                        .plain(" · run "), .code(.plain(run.runId)), .plain(" · started " + run.startedAt.iso + " UTC")))),
            .section(
                .cls("panel wide progress"), .attr("id", "progress"), .attr("data-events", eventsPath),
                .attr("data-after", String(events.last?.seq ?? 0)), .attr("data-state", finished ? "finished" : "running"),
                .attr("data-run", run.runId),
                .p(
                    .attr("id", "run-state"), .cls("runstate " + (finished ? WebLayout.tone(RunStatus(rawValue: finalStatus)) : "info")),
                    .attr("aria-live", "polite"), .plain(stateText)),
                .table(
                    .cls("data agents"),
                    .thead(.tr(.th(.plain("Agent")), .th(.plain("State")), .th(.plain("Detail")))),
                    .tbody(
                        .attr("id", "agent-rows"),
                        .group(
                            rows.map { row in
                                .tr(
                                    .attr("data-agent", row.agent),
                                    .td(.cls("dtitle"), .plain(ReportFragments.agentTitle(row.agent))),
                                    .td(.cls("state"), WebLayout.badge(row.state, tone(row.state))),
                                    .td(.cls("detail why"), .plain(row.detail)))
                            }))),
                .p(
                    .attr("id", "run-done"), .cls(finished ? "done" : "done hidden"),
                    .a(.attr("href", "/runs/\(run.runId)"), .plain("Open the run's dashboard")), .plain(" · "),
                    .a(.attr("href", "/"), .plain("Back to the runs"))),
                finished
                    ? .empty
                    : .noscript(
                        .p(
                            .cls("sub"), .plain("This page reloads itself every two seconds until the run finishes; or "),
                            .a(.attr("href", "/runs/\(run.runId)/progress"), .plain("reload it now")), .plain(".")))),
        ]
        return WebLayout.page(
            title: "Run \(run.runId)", session: session,
            head: finished ? WebLayout.Head() : WebLayout.Head(refreshWithoutScript: 2, scripts: [WebAssets.progressJSPath]), content)
    }

    /// Each agent's latest state: the flow's agents first, in order, then any other the events name.
    static func rows(events: [RunEvent], agents: [String]) -> [Row] {
        var order = agents
        var rows: [String: Row] = [:]
        for agent in agents { rows[agent] = Row(agent: agent, state: "waiting", detail: "") }
        for event in events {
            guard let agent = event.agent else { continue }
            if rows[agent] == nil {
                order.append(agent)
                rows[agent] = Row(agent: agent, state: "waiting", detail: "")
            }
            switch event.kind {
            case "agent.started":
                rows[agent]?.state = "running"
                rows[agent]?.detail = "attempt " + (field("attempt", of: event) ?? "1")
            case "agent.retry":
                rows[agent]?.state = "retrying"
                rows[agent]?.detail = field("error", of: event) ?? ""
            case "agent.timeout":
                rows[agent]?.state = "timed out"
                rows[agent]?.detail = "after " + (field("timeout_seconds", of: event) ?? "?") + " s"
            case "agent.finished":
                rows[agent]?.state = field("status", of: event) ?? "finished"
                var detail = field("duration_ms", of: event).flatMap(Double.init).map { ReportFragments.duration(ms: $0) } ?? ""
                if let error = field("error", of: event) { detail += (detail.isEmpty ? "" : " · ") + error }
                rows[agent]?.detail = detail
            default: break
            }
        }
        return order.compactMap { rows[$0] }
    }

    /// A field of an event's data as text (numbers without a trailing `.0`).
    static func field(_ name: String, of event: RunEvent) -> String? {
        guard case .object(let object)? = try? StrictJSON.parse(Array(event.data.utf8)) else { return nil }
        switch object[name] {
        case .string(let s)?: return s
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b)?: return String(b)
        default: return nil
        }
    }

    /// The badge tone of an agent's state (progress.js uses the same).
    static func tone(_ state: String) -> String {
        switch state {
        case "succeeded": return "good"
        case "degraded", "retrying", "timed out": return "warn"
        case "failed": return "bad"
        case "running": return "info"
        default: return "neutral"
        }
    }
}

public import DecisioningCore
import Plot

/// Pieces of the run's HTML outputs for pages that bring their own skeleton (the web dashboard of
/// `decisioning serve`): the same builders as dashboard.html and report.html, so the figures are
/// the same, without the inline `<style>` (such a page links `stylesheet` as a file instead).
/// Every text is escaped by construction, as in the outputs.
public enum ReportFragments {
    /// report.css: the rules of report.html (`html.report`) and dashboard.html (`html.dashboard`).
    public static let stylesheet = String(decoding: PackageResources.report_css, as: UTF8.self)

    /// dashboard.html's content (header, KPI tiles, charts, tables, agent cards, footer) for a page
    /// whose `<html>` has the class `dashboard`. `decisionLink` gives the address a decision's title
    /// links to.
    public static func dashboard(_ results: RunResults, decisionLink: @escaping @Sendable (Decision) -> String) -> String {
        DashboardBuilder(results, decisionLink: decisionLink).fragment()
    }

    /// One decision as the report's appendix documents it: its figures, rationale and each piece
    /// of evidence with its figures, method, SQL and bindings. Nil when the run has no such decision.
    public static func decision(_ results: RunResults, id: String) -> String? {
        guard let d = results.decisions.first(where: { $0.id == id }) else { return nil }
        let tiles: [(String, BodyNode)] = [
            ("Expected impact", .plain(RenderFormat.moneyShort(d.expectedImpact))),
            ("Urgency", DashboardBuilder.badge(d.urgency.rawValue, ReportSummary.tone(d.urgency))),
            ("Risk", DashboardBuilder.badge(d.risk.rawValue, ReportSummary.tone(d.risk))),
            ("Confidence", .plain(RenderFormat.ratio(d.confidence, digits: 0))),
            ("Score", .plain(RenderFormat.number(d.score))),
        ]
        var evidence: [ReportDocument.Block] = []
        for (i, item) in d.evidence.enumerated() { evidence += ReportBuilder.evidence(item, number: i + 1) }
        let rationale = RenderFormat.oneLine(d.rationale)
        let node: BodyNode = .group(
            .header(
                .cls("top"),
                .div(
                    .h1(.plain("\(d.rank). " + RenderFormat.oneLine(d.title))),
                    .p(
                        .cls("meta"), .plain(RenderFormat.sentence(d.category) + " · decision "), .code(.plain(d.id)),
                        .plain(" · run "), .code(.plain(results.run.runId)), .plain(" · as of "), .strong(.plain(results.run.asOf.iso))))),
            .section(
                .cls("tiles"),
                .group(
                    tiles.map { label, value in
                        .div(.cls("tile"), .div(.cls("label"), .plain(label)), .div(.cls("value"), value))
                    })),
            .p(.cls("exact"), .plain("Expected impact, exactly: " + RenderFormat.money(d.expectedImpact) + ".")),
            rationale.isEmpty ? .empty : DashboardBuilder.panel("Why", .p(.plain(rationale))),
            DashboardBuilder.panel(
                "Evidence",
                subtitle: "The figures behind the decision, the named analysis or method that computed them, and the SQL as the agent "
                    + "ran it (HeatWave), with its bindings in order.",
                cssClass: "evidence",
                d.evidence.isEmpty
                    ? DashboardBuilder.empty("No evidence was recorded for this decision.") : .group(ReportDocument.nodes(evidence))
            ))
        return node.render()
    }

    /// The run history chart (inline SVG): each run's total expected impact as a bar and its health
    /// score as a line, oldest on the left.
    public static func historyChart(_ points: [RunHistoryPoint]) -> String {
        SVGHistoryChart(points: points).svg().render()
    }

    /// `discovery_agent` → `Discovery`.
    public static func agentTitle(_ name: String) -> String { RenderFormat.agentTitle(name) }

    /// `$1.25M`.
    public static func moneyShort(_ amount: Money) -> String { RenderFormat.moneyShort(amount) }

    /// `$1,250,000.00`.
    public static func money(_ amount: Money) -> String { RenderFormat.money(amount) }

    /// A health score to one decimal, `n/a` for nil.
    public static func score(_ value: Double?) -> String { RenderFormat.score(value) }

    /// A figure with up to `digits` decimals and thousands separators, `n/a` for nil.
    public static func number(_ value: Double?, digits: Int = 2) -> String { RenderFormat.number(value, digits: digits) }

    /// `1.2 s`, `340 ms`.
    public static func duration(ms: Double) -> String { RenderFormat.duration(ms: ms) }

    /// `strategic_business_health` → `Strategic business health`.
    public static func label(_ identifier: String) -> String { RenderFormat.label(identifier, capitalize: true) }
}

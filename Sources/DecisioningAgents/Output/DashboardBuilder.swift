import DecisioningCore
import Plot

/// Builds `dashboard.html`: one self-contained page (inline CSS and SVG, no scripts, nothing
/// fetched) from a `RunResults`, as a Plot node tree in the shared page skeleton (`HTMLPage`).
/// Every panel falls back to a message naming the agent and its error when its data is missing.
struct DashboardBuilder {
    let summary: ReportSummary
    var results: RunResults { summary.results }
    /// Where a decision's title links to (the web dashboard's decision page); nil: no links (dashboard.html).
    let decisionLink: (@Sendable (Decision) -> String)?

    init(_ results: RunResults, decisionLink: (@Sendable (Decision) -> String)? = nil) {
        summary = ReportSummary(results)
        self.decisionLink = decisionLink
    }

    var title: String { "Dashboard: " + RenderFormat.label(results.run.analysis, capitalize: true) }

    func html() -> String {
        HTMLPage.render(.dashboard, title: title, header: header(), content: panels(), footer: footer())
    }

    /// The page's content without the skeleton: header, panels and footer, for a page that brings
    /// its own (the web dashboard, which links the stylesheet instead of inlining it).
    func fragment() -> String {
        BodyNode.group(header(), .group(panels()), footer()).render()
    }

    func panels() -> [BodyNode] {
        [
            tiles(),
            trendPanel(),
            row((industriesAvailable, industryPanel), (riskAvailable, riskPanel)),
            decisionPanel(),
            anomalyPanel(),
            row((!summary.alerts.isEmpty, alertPanel), (results.intelligence != nil, healthPanel)),
            agentPanel(),
        ]
    }

    // MARK: Pieces

    static func badge(_ text: String, _ tone: ReportDocument.Tone) -> BodyNode {
        .span(.cls("badge " + tone.rawValue), .plain(text))
    }

    static func empty(_ message: String, tone: ReportDocument.Tone = .neutral) -> BodyNode {
        .div(.cls("empty " + tone.rawValue), .plain(message))
    }

    /// A panel's placeholder when an agent's data is missing: red when it failed, grey otherwise.
    func missing(_ agent: String, what: String) -> BodyNode {
        let reason = summary.missingReason(agent) ?? "No data."
        let failed = results.agent(agent)?.status == .failed
        return Self.empty(what + " unavailable. " + reason, tone: failed ? .bad : .neutral)
    }

    static func panel(_ title: String, subtitle: String? = nil, cssClass: String = "", _ content: BodyNode...) -> BodyNode {
        .section(.cls("panel " + cssClass), .h2(.plain(title)), subtitle.map { .p(.cls("sub"), .plain($0)) } ?? .empty, .group(content))
    }

    /// Two panels side by side; when only one has content, the other's message comes first as a
    /// slim full-width panel and the one with content takes the full width (no half-empty row).
    func row(_ left: (available: Bool, render: (Bool) -> BodyNode), _ right: (available: Bool, render: (Bool) -> BodyNode)) -> BodyNode {
        if left.available == right.available {
            return .div(.cls("grid2"), left.render(false), right.render(false))
        }
        let (missing, present) = left.available ? (right, left) : (left, right)
        return .group(missing.render(true), present.render(true))
    }

    /// A warning line for panels built from a degraded agent's data.
    func degradedNote(_ agent: String) -> BodyNode {
        guard let result = results.agent(agent), result.status == .degraded else { return .empty }
        return .p(
            .cls("degraded"), .strong(.plain(RenderFormat.agentTitle(agent) + " agent degraded:")),
            .plain(" " + (ReportSummary.statusReason(result) ?? "")))
    }

    // MARK: Header

    func header() -> BodyNode {
        let run = results.run
        return .group(
            .header(
                .cls("top"),
                .div(
                    .h1(.plain(RenderFormat.label(run.analysis, capitalize: true))),
                    .p(
                        .cls("meta"), .plain("Analysis "), .code(.plain(run.analysis)), .plain(" · as of "), .strong(.plain(run.asOf.iso)),
                        .plain(" · run "), .code(.plain(run.runId)), .plain(" · database "), .code(.plain(run.database)))),
                .div(.cls("runstatus"), .plain("Run "), Self.badge(run.status.rawValue, ReportSummary.tone(runStatus: run.status)))),
            .p(.cls("headline"), .plain(summary.headline)),
            results.agents.isEmpty
                ? .empty
                : .nav(
                    .cls("strip"), .attr("aria-label", "Agent status"),
                    .group(
                        results.agents.map { agent in
                            let tone = ReportSummary.tone(agent.status)
                            let tip = ReportSummary.statusReason(agent).map { agent.status.rawValue + ": " + $0 } ?? agent.status.rawValue
                            return .a(
                                .cls("chip " + tone.rawValue), .attr("href", "#agent-" + agent.agent), .attr("title", tip),
                                .span(.cls("dot")), .plain(RenderFormat.agentTitle(agent.agent)),
                                .span(.cls("state"), .plain(agent.status.rawValue)))
                        })))
    }

    // MARK: KPI tiles

    func tiles() -> BodyNode {
        var note: BodyNode = .empty
        var tiles: [(label: String, value: Figure, note: String?)] = []
        if let v = results.visualization, !v.tiles.isEmpty {
            tiles = v.tiles.map { (RenderFormat.oneLine($0.label), $0.value, $0.note.map(RenderFormat.oneLine)) }
        } else {
            tiles = summary.derivedFigures.map { ($0.name, $0.figure, nil) }
            if !tiles.isEmpty, let reason = summary.missingReason(ReportSummary.visualization) {
                note = .p(.cls("note"), .plain(reason + " The tiles show figures from the Intelligence and Discovery agents."))
            }
        }
        guard !tiles.isEmpty else {
            return .section(
                .cls("tiles-empty"),
                Self.empty(
                    "No key figures: " + (summary.missingReason(ReportSummary.visualization) ?? "")
                        + " " + (summary.missingReason(ReportSummary.intelligence) ?? ""), tone: .bad))
        }
        return .group(
            note,
            .section(
                .cls("tiles"),
                .group(
                    tiles.map { tile in
                        .div(
                            .cls("tile"), .attr("title", tile.label + ": " + tile.value.formatted),
                            .div(.cls("label"), .plain(tile.label)),
                            .div(.cls("value"), .plain(RenderFormat.short(tile.value))),
                            tile.note.map { .div(.cls("tnote"), .plain($0)) } ?? .empty)
                    })))
    }

    // MARK: Trend

    func trendPanel() -> BodyNode {
        guard let intel = results.intelligence else {
            return Self.panel(
                "Revenue and cost by month", cssClass: "wide", missing(ReportSummary.intelligence, what: "The revenue trend is"))
        }
        let level = intel.forecast.intervalLevel
        let percent = level <= 1 ? level * 100 : level
        let chart = SVGTrendChart(
            months: intel.trend.months.map { .init(day: $0.month, revenue: $0.revenue.doubleValue, cost: $0.cost.doubleValue) },
            forecast: intel.forecast.points.map {
                .init(day: $0.month, predicted: $0.predicted.doubleValue, lower: $0.lower.doubleValue, upper: $0.upper.doubleValue)
            },
            intervalLabel: RenderFormat.trimmed(percent, digits: 1) + "% interval")
        guard !chart.isEmpty else {
            return Self.panel(
                "Revenue and cost by month", cssClass: "wide",
                Self.empty("The Intelligence agent reported no monthly figures and no forecast."))
        }
        var sub =
            "Revenue " + RenderFormat.moneyShort(intel.trend.totalRevenue) + ", costs " + RenderFormat.moneyShort(intel.trend.totalCosts)
            + ", gross margin " + RenderFormat.moneyShort(intel.trend.grossMargin)
        if let rate = intel.trend.grossMarginRate { sub += " (" + RenderFormat.ratio(rate) + ")" }
        if !intel.forecast.points.isEmpty {
            sub +=
                ". Forecast by " + RenderFormat.oneLine(intel.forecast.method) + ": " + RenderFormat.moneyShort(intel.forecast.next3Months)
                + " over the next 3 months, "
                + RenderFormat.moneyShort(intel.forecast.next6Months) + " over 6"
            if let mape = intel.forecast.backtestMape { sub += "; backtest MAPE " + RenderFormat.ratio(mape) }
        }
        return Self.panel(
            "Revenue and cost by month", subtitle: sub + ".", cssClass: "wide", degradedNote(ReportSummary.intelligence), chart.svg())
    }

    // MARK: Industries

    static func efficiencyTone(_ ratio: Double?) -> ReportDocument.Tone {
        guard let ratio, ratio.isFinite else { return .neutral }
        if ratio <= 1.0 { return .good }
        if ratio <= 1.1 { return .warn }
        return .bad
    }

    var industriesAvailable: Bool { !(results.strategy?.industries.isEmpty ?? true) }

    func industryPanel(wide: Bool) -> BodyNode {
        let title = "Budget by industry"
        let css = wide ? "wide slim" : ""
        guard let strategy = results.strategy else {
            return Self.panel(title, cssClass: css, missing(ReportSummary.strategy, what: "The industry view is"))
        }
        guard !strategy.industries.isEmpty else {
            return Self.panel(title, cssClass: css, Self.empty("The Strategy agent found no industry with enough projects."))
        }
        let industries = strategy.industries.enumerated().sorted { a, b in
            a.element.totalBudget != b.element.totalBudget ? a.element.totalBudget > b.element.totalBudget : a.offset < b.offset
        }.map(\.element)
        let rows = industries.map { i -> SVGBarChart.Row in
            let tone = Self.efficiencyTone(i.costEfficiency)
            var tip =
                "\(RenderFormat.oneLine(i.industry)): \(RenderFormat.count(i.projectCount)) projects, budget \(RenderFormat.money(i.totalBudget))"
            if let e = i.costEfficiency { tip += ", actual cost ÷ budget " + RenderFormat.number(e) }
            if let v = i.revenueVolatility { tip += ", revenue volatility " + RenderFormat.number(v) }
            return SVGBarChart.Row(
                label: RenderFormat.oneLine(i.industry), value: i.totalBudget.doubleValue,
                valueLabel: RenderFormat.moneyShort(i.totalBudget),
                color: ChartPalette.tone(tone), extra: i.costEfficiency.map { RenderFormat.number($0) + "×" } ?? RenderFormat.notAvailable,
                extraColor: tone == .neutral ? ChartPalette.axisText : ChartPalette.tone(tone), tooltip: tip)
        }
        let chart = SVGBarChart(
            rows: rows, money: true, extraHeader: "Cost ÷ budget", width: wide ? 1240 : 600,
            label: "Total budget by industry, coloured by average actual cost over budget")
        let legend: BodyNode = .div(
            .cls("legend"),
            .span(.i(.cls("sw good")), .plain("at or under budget (≤ 1.00×)")),
            .span(.i(.cls("sw warn")), .plain("up to 10% over")),
            .span(.i(.cls("sw bad")), .plain("more than 10% over")),
            industries.contains { $0.costEfficiency == nil } ? .span(.i(.cls("sw")), .plain("no completed costs")) : .empty)
        let sub =
            "\(industries.count) industries, \(RenderFormat.count(industries.reduce(Int64(0)) { $0 + $1.projectCount })) projects. "
            + "Bars: total budget; colour and right column: average actual cost ÷ budget."
        return Self.panel(title, subtitle: sub, cssClass: wide ? "wide" : "", degradedNote(ReportSummary.strategy), chart.svg(), legend)
    }

    // MARK: Risk

    var riskAvailable: Bool {
        guard let anomalies = results.discovery?.anomalies else { return false }
        return !anomalies.levels.isEmpty || !anomalies.flagged.isEmpty
    }

    func riskPanel(wide: Bool) -> BodyNode {
        let title = "Risk distribution"
        let css = wide ? "wide slim" : ""
        guard let anomalies = results.discovery?.anomalies else {
            return Self.panel(title, cssClass: css, missing(ReportSummary.discovery, what: "The risk distribution is"))
        }
        let levels = ReportSummary.orderedLevels(anomalies.levels)
        let scores = anomalies.flagged.map(\.score).filter(\.isFinite)
        guard !levels.isEmpty || !scores.isEmpty else {
            return Self.panel(title, cssClass: css, Self.empty("No project was scored for anomalies."))
        }
        var parts: [BodyNode] = []
        if !levels.isEmpty {
            let total = levels.reduce(0) { $0 + $1.count }
            let rows = levels.map { l in
                SVGBarChart.Row(
                    label: RenderFormat.capitalized(l.level), value: Double(l.count),
                    valueLabel: RenderFormat.count(l.count)
                        + (total > 0 ? " (" + Self.share(l.count, of: total) + ")" : ""),
                    color: ChartPalette.tone(ReportSummary.levelTone(l.level)), tooltip: "\(l.count) projects at level \(l.level)")
            }
            parts.append(
                .div(
                    .h3(.plain("Projects by anomaly level")),
                    SVGBarChart(rows: rows, money: false, extraHeader: nil, rowHeight: 28, label: "Scored projects by anomaly level").svg())
            )
        }
        if !scores.isEmpty {
            parts.append(
                .div(
                    .h3(.plain("Scores of the \(scores.count) flagged projects")),
                    SVGHistogram(values: scores, axisLabel: "anomaly score", label: "Histogram of flagged projects' anomaly scores").svg()))
        }
        let content: BodyNode = .div(.cls("side"), .group(parts))
        let sub =
            RenderFormat.count(anomalies.scored) + " projects scored by " + RenderFormat.oneLine(anomalies.method) + "; "
            + RenderFormat.count(anomalies.flagged.count) + " flagged."
        return Self.panel(title, subtitle: sub, cssClass: wide ? "wide" : "", degradedNote(ReportSummary.discovery), content)
    }

    // MARK: Decisions

    func decisionPanel() -> BodyNode {
        let title = "Decisions"
        let decisions = summary.decisions
        guard !decisions.isEmpty else {
            return Self.panel(
                title, cssClass: "wide",
                summary.missingReason(ReportSummary.decision) != nil
                    ? missing(ReportSummary.decision, what: "Decisions are") : Self.empty("The Decision agent found nothing to act on."))
        }
        let total = decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
        let table: BodyNode = .table(
            .cls("data"),
            .thead(
                .tr(
                    .th(.cls("num"), .plain("#")), .th(.plain("Decision")), .th(.plain("Category")),
                    .th(.cls("num"), .plain("Expected impact")),
                    .th(.plain("Urgency")), .th(.plain("Risk")), .th(.plain("Confidence")))),
            .tbody(
                .group(
                    decisions.map { d in
                        .tr(
                            .td(.cls("num rank"), .plain(String(d.rank))),
                            .td(
                                .div(
                                    .cls("dtitle"),
                                    decisionLink.map { link -> BodyNode in .a(.attr("href", link(d)), .plain(RenderFormat.oneLine(d.title)))
                                    }
                                        ?? .plain(RenderFormat.oneLine(d.title))),
                                .div(.cls("why"), .plain(RenderFormat.clipped(d.rationale, limit: 220)))),
                            .td(.cls("cat"), .plain(RenderFormat.oneLine(d.category))),
                            .td(
                                .cls("num money"), .attr("title", RenderFormat.money(d.expectedImpact)),
                                .plain(RenderFormat.moneyShort(d.expectedImpact))),
                            .td(Self.badge(d.urgency.rawValue, ReportSummary.tone(d.urgency))),
                            .td(Self.badge(d.risk.rawValue, ReportSummary.tone(d.risk))),
                            .td(.cls("nowrap"), Self.meter(d.confidence)))
                    })))
        let sub =
            "\(decisions.count) decision\(decisions.count == 1 ? "" : "s") ranked by the Decision agent; total expected impact \(RenderFormat.moneyShort(total)) (\(RenderFormat.money(total)))."
        return Self.panel(title, subtitle: sub, cssClass: "wide", degradedNote(ReportSummary.decision), table)
    }

    /// `94%`, `5%`, `<1%`.
    static func share(_ part: Int, of total: Int) -> String {
        let ratio = Double(part) / Double(total)
        return part > 0 && ratio < 0.005 ? "<1%" : RenderFormat.ratio(ratio, digits: 0)
    }

    /// A 0–1 value as a small bar and a percentage.
    static func meter(_ value: Double) -> BodyNode {
        let clamped = value.isFinite ? min(1, max(0, value)) : 0
        return .group(bar("meter", percent: clamped * 100), .plain(" " + RenderFormat.ratio(value, digits: 0)))
    }

    /// A bar filled to `percent` (0–100) of its width: an SVG whose filled rectangle's width is an attribute, so the
    /// pages need no `style` attribute (the dashboard's Content-Security-Policy allows none); its size and colours
    /// come from the stylesheet (`svg.meter`, `svg.hbar`).
    static func bar(_ kind: String, percent: Double) -> BodyNode {
        SVG.element(
            "svg",
            [("class", kind), ("viewBox", "0 0 100 10"), ("preserveAspectRatio", "none"), ("aria-hidden", "true"), ("focusable", "false")],
            [SVG.element("rect", [("width", RenderFormat.trimmed(percent, digits: 1)), ("height", "10")])])
    }

    // MARK: Anomalies

    func anomalyPanel() -> BodyNode {
        let title = "Most anomalous projects"
        guard let anomalies = results.discovery?.anomalies else {
            return Self.panel(title, cssClass: "wide", missing(ReportSummary.discovery, what: "The anomaly table is"))
        }
        guard !anomalies.flagged.isEmpty else {
            return Self.panel(title, cssClass: "wide", Self.empty("No project was flagged.", tone: .good))
        }
        let sorted = anomalies.flagged.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        let shown = sorted.prefix(12)
        func money(_ amount: Money) -> Node<HTML.TableRowContext> {
            .td(.cls("num"), .attr("title", RenderFormat.money(amount)), .plain(RenderFormat.moneyShort(amount)))
        }
        let table: BodyNode = .table(
            .cls("data"),
            .thead(
                .tr(
                    .th(.plain("Project")), .th(.plain("Industry")), .th(.plain("Status")), .th(.cls("num"), .plain("Budget")),
                    .th(.cls("num"), .plain("Cost to date")),
                    .th(.cls("num"), .plain("Expected so far")), .th(.cls("num"), .plain("Cost ratio")),
                    .th(.cls("num"), .plain("Robust z")),
                    .th(.cls("num"), .plain("Score")), .th(.plain("Level")))),
            .tbody(
                .group(
                    shown.map { p in
                        .tr(
                            .td(.div(.cls("dtitle"), .plain(RenderFormat.oneLine(p.projectName))), .div(.cls("why"), .plain(p.projectId))),
                            .td(.plain(p.industry.map(RenderFormat.oneLine) ?? "–")), .td(.plain(RenderFormat.label(p.status))),
                            money(p.budget), money(p.costToDate ?? p.actualCost), money(p.expectedCostSoFar),
                            .td(.cls("num strong"), .plain(RenderFormat.number(p.costRatio) + "×")),
                            .td(.cls("num"), .plain(RenderFormat.number(p.robustZ, digits: 1))),
                            .td(.cls("num strong"), .plain(RenderFormat.number(p.score))),
                            .td(Self.badge(p.level, ReportSummary.levelTone(p.level))))
                    })))
        let more: BodyNode =
            sorted.count > shown.count
            ? .p(.cls("more"), .plain("\(sorted.count - shown.count) more flagged projects are listed in results.json.")) : .empty
        let sub = "Highest anomaly score first. Cost ratio: actual cost over the budget share of the months elapsed."
        return Self.panel(title, subtitle: sub, cssClass: "wide", degradedNote(ReportSummary.discovery), table, more)
    }

    // MARK: Alerts

    func alertPanel(wide: Bool) -> BodyNode {
        let title = "Alerts"
        let alerts = summary.alerts
        guard !alerts.isEmpty else {
            return Self.panel(
                title, cssClass: wide ? "wide slim" : "",
                summary.missingReason(ReportSummary.decision) != nil
                    ? missing(ReportSummary.decision, what: "Alerts are") : Self.empty("No alerts were raised.", tone: .good))
        }
        // Alerts of one rule that fire for many entities read as one row: the first, and the count.
        var groups: [(rule: String, alerts: [Alert])] = []
        for a in alerts {
            if let i = groups.firstIndex(where: { $0.rule == a.rule }) { groups[i].alerts.append(a) } else { groups.append((a.rule, [a])) }
        }
        let rows = groups.flatMap { g in g.alerts.count >= Self.groupAlertsFrom ? [g.alerts] : g.alerts.map { [$0] } }
        let shownRows = rows.prefix(Self.maxAlertRows)
        let list: BodyNode = .ul(
            .cls("alerts"),
            .group(
                shownRows.map { row -> Node<HTML.ListContext> in
                    let a = row[0]
                    var detail: [BodyNode] = [.code(.plain(a.rule))]
                    let entity = ReportBuilder.entity(a)
                    if !entity.isEmpty { detail.append(.plain(" · " + entity)) }
                    if let observed = a.observed {
                        detail += [.plain(" · observed "), .strong(.plain(RenderFormat.number(observed)))]
                        if let threshold = a.threshold { detail.append(.plain(" vs threshold " + RenderFormat.number(threshold))) }
                    }
                    if row.count > 1 {
                        let others = row.dropFirst().compactMap(\.entityId)
                        let listed = others.prefix(6).joined(separator: ", ")
                        detail.append(
                            .div(
                                .cls("agroup"),
                                .plain(
                                    "and \(row.count - 1) more alert\(row.count == 2 ? "" : "s") of this rule"
                                        + (listed.isEmpty ? "" : ": " + listed + (others.count > 6 ? ", …" : "")))))
                    }
                    return .li(
                        .cls(ReportSummary.tone(a.severity).rawValue), Self.badge(a.severity.rawValue, ReportSummary.tone(a.severity)),
                        .div(.div(.cls("amsg"), .plain(RenderFormat.oneLine(a.message))), .div(.cls("adetail"), .group(detail))))
                }))
        var more: BodyNode = .empty
        if rows.count > shownRows.count {
            let hidden = rows.dropFirst(shownRows.count).reduce(0) { $0 + $1.count }
            more = .p(.cls("more"), .plain(RenderFormat.plural(hidden, "more alert") + " in the report."))
        }
        let counts = Severity.allCases.reversed().compactMap { s -> String? in
            let n = alerts.filter { $0.severity == s }.count
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }.joined(separator: ", ")
        return Self.panel(
            title, subtitle: "\(alerts.count) alert\(alerts.count == 1 ? "" : "s"): \(counts).", cssClass: wide ? "wide" : "",
            degradedNote(ReportSummary.decision), list, more)
    }

    /// From this many alerts of one rule, the dashboard shows them as one row.
    static let groupAlertsFrom = 3
    static let maxAlertRows = 10

    // MARK: Health

    func healthPanel(wide: Bool) -> BodyNode {
        let title = "Business health"
        guard let intel = results.intelligence else {
            return Self.panel(title, cssClass: wide ? "wide slim" : "", missing(ReportSummary.intelligence, what: "Business health is"))
        }
        let health = intel.health
        let scale = max(100, health.components.map(\.score).filter(\.isFinite).max() ?? 0, health.score.isFinite ? health.score : 0)
        let tone: ReportDocument.Tone = health.score >= 70 ? .good : health.score >= 50 ? .warn : .bad
        let score: BodyNode = .div(
            .cls("health"),
            .div(
                .cls("score " + tone.rawValue), .plain(RenderFormat.score(health.score)),
                .span(.plain("/ " + RenderFormat.trimmed(scale, digits: 0)))),
            .div(.cls("formula"), .plain(RenderFormat.oneLine(health.formula))))
        var components: BodyNode = .empty
        if !health.components.isEmpty {
            components = .table(
                .cls("components"),
                .tbody(
                    .group(
                        health.components.map { component in
                            let width = component.score.isFinite ? min(100, max(0, component.score / scale * 100)) : 0
                            return .tr(
                                .attr("title", RenderFormat.oneLine(component.basis)),
                                .td(
                                    .cls("cname"), .plain(RenderFormat.sentence(component.name)),
                                    .div(.cls("why"), .plain(RenderFormat.clipped(component.basis, limit: 90)))),
                                .td(
                                    .cls("cbar"),
                                    Self.bar("hbar", percent: width)),
                                .td(.cls("num strong"), .plain(RenderFormat.score(component.score))),
                                .td(.cls("num weight"), .plain("× " + RenderFormat.ratio(component.weight, digits: 0))))
                        })))
        }
        let customers = intel.customers
        let concentration: BodyNode = .p(
            .cls("sub"), .plain("Top 10 customers hold "), .strong(.plain(RenderFormat.ratio(customers.top10Share))),
            .plain(" of 12-month revenue (" + RenderFormat.moneyShort(customers.revenue12Months) + "); high-risk customers "),
            .strong(.plain(RenderFormat.ratio(customers.highRiskRevenueShare))),
            .plain("; " + RenderFormat.count(customers.lateCustomers) + " customers pay late."))
        return Self.panel(
            title, subtitle: "Weighted score of the components below.", cssClass: wide ? "wide" : "",
            degradedNote(ReportSummary.intelligence), score, components, concentration)
    }

    // MARK: Agents

    func agentPanel() -> BodyNode {
        guard !results.agents.isEmpty else {
            return Self.panel("What each agent found", cssClass: "wide", Self.empty("No agent results were recorded."))
        }
        let cards: BodyNode = .div(
            .cls("cards"),
            .group(
                results.agents.map { agent in
                    let tone = ReportSummary.tone(agent.status)
                    var nodes: [BodyNode] = [
                        .div(.cls("chead"), .h3(.plain(RenderFormat.agentTitle(agent.agent))), Self.badge(agent.status.rawValue, tone))
                    ]
                    var meta: [String] = []
                    if agent.status == .succeeded || agent.status == .degraded {
                        meta.append("confidence " + RenderFormat.ratio(agent.confidence, digits: 0))
                    }
                    if agent.status != .skipped || agent.durationMs > 0 { meta.append(RenderFormat.duration(ms: agent.durationMs)) }
                    if agent.attempts > 1 { meta.append("\(agent.attempts) attempts") }
                    if !meta.isEmpty { nodes.append(.p(.cls("cmeta"), .plain(meta.joined(separator: " · ")))) }
                    if let reason = ReportSummary.statusReason(agent) {
                        let label = agent.status == .degraded ? "Fallback" : agent.status == .failed ? "Error" : "Reason"
                        nodes.append(.div(.cls("reason " + tone.rawValue), .strong(.plain(label + ":")), .plain(" " + reason)))
                    }
                    let insights = ReportSummary.insights(agent)
                    if !insights.isEmpty {
                        nodes.append(
                            .ul(
                                .cls("insights"),
                                .group(
                                    insights.prefix(4).map { insight in
                                        .li(
                                            .span(
                                                .cls("sev " + ReportSummary.tone(insight.severity).rawValue),
                                                .attr("title", insight.severity.rawValue)),
                                            .div(
                                                .strong(.plain(RenderFormat.oneLine(insight.title))),
                                                .div(.cls("why"), .plain(RenderFormat.clipped(insight.detail, limit: 170)))))
                                    })))
                        if insights.count > 4 {
                            nodes.append(.p(.cls("more"), .plain("\(insights.count - 4) more insights in results.json.")))
                        }
                    } else if agent.status == .succeeded || agent.status == .degraded {
                        // No insights: show the agent's main figures instead.
                        let facts = ReportAgentFacts.facts(agent).prefix(4)
                        if facts.isEmpty {
                            nodes.append(.p(.cls("more"), .plain("No insights reported.")))
                        } else {
                            nodes.append(.ul(.cls("facts"), .group(facts.map { .li(.group(ReportDocument.html($0))) })))
                        }
                    }
                    return .article(.cls("card " + tone.rawValue), .attr("id", "agent-" + agent.agent), .group(nodes))
                }))
        return Self.panel("What each agent found", cssClass: "wide", cards)
    }

    func footer() -> BodyNode {
        let run = results.run
        return .footer(
            .plain("Run "), .code(.plain(run.runId)),
            .plain(
                " · started " + run.startedAt.iso + " UTC · took " + RenderFormat.duration(ms: run.durationMs)
                    + " · seed \(run.seed) · configuration "),
            .code(.plain(String(run.configDigest.prefix(12)))),
            .plain(" · every figure comes from results.json of this run."))
    }
}

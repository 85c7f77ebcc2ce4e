import DecisioningCore

/// Builds `dashboard.html`: one self-contained page (inline CSS and SVG, no scripts, nothing
/// fetched) from a `RunResults`. Every panel falls back to a message naming the agent and its
/// error when its data is missing.
struct DashboardBuilder {
    let summary: ReportSummary
    var results: RunResults { summary.results }

    init(_ results: RunResults) { summary = ReportSummary(results) }

    func html() -> String {
        let run = results.run
        let title = "Dashboard: " + RenderFormat.label(run.analysis, capitalize: true)
        var body = ""
        body += header()
        body += tiles()
        body += trendPanel()
        body += row((industriesAvailable, industryPanel), (riskAvailable, riskPanel))
        body += decisionPanel()
        body += anomalyPanel()
        body += row((!summary.alerts.isEmpty, alertPanel), (results.intelligence != nil, healthPanel))
        body += agentPanel()
        body += footer()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }

    // MARK: Pieces

    static func badge(_ text: String, _ tone: ReportDocument.Tone) -> String {
        "<span class=\"badge \(tone.rawValue)\">\(HTMLText.escape(text))</span>"
    }

    static func empty(_ message: String, tone: ReportDocument.Tone = .neutral) -> String {
        "<div class=\"empty \(tone.rawValue)\">\(HTMLText.escape(message))</div>\n"
    }

    /// A panel's placeholder when an agent's data is missing: red when it failed, grey otherwise.
    func missing(_ agent: String, what: String) -> String {
        let reason = summary.missingReason(agent) ?? "No data."
        let failed = results.agent(agent)?.status == .failed
        return Self.empty(what + " unavailable. " + reason, tone: failed ? .bad : .neutral)
    }

    static func panel(_ title: String, subtitle: String? = nil, cssClass: String = "", _ content: String) -> String {
        "<section class=\"panel \(cssClass)\">\n<h2>\(HTMLText.escape(title))</h2>\n"
            + (subtitle.map { "<p class=\"sub\">\(HTMLText.escape($0))</p>\n" } ?? "") + content + "</section>\n"
    }

    /// Two panels side by side; when only one has content, the other's message comes first as a
    /// slim full-width panel and the one with content takes the full width (no half-empty row).
    func row(_ left: (available: Bool, render: (Bool) -> String), _ right: (available: Bool, render: (Bool) -> String)) -> String {
        if left.available == right.available {
            return "<div class=\"grid2\">\n" + left.render(false) + right.render(false) + "</div>\n"
        }
        let (missing, present) = left.available ? (right, left) : (left, right)
        return missing.render(true) + present.render(true)
    }

    /// A warning line for panels built from a degraded agent's data.
    func degradedNote(_ agent: String) -> String {
        guard let result = results.agent(agent), result.status == .degraded else { return "" }
        return "<p class=\"degraded\"><strong>\(HTMLText.escape(RenderFormat.agentTitle(agent))) agent degraded:</strong> "
            + HTMLText.escape(ReportSummary.statusReason(result) ?? "") + "</p>\n"
    }

    // MARK: Header

    func header() -> String {
        let run = results.run
        var out = "<header class=\"top\">\n<div>\n<h1>\(HTMLText.escape(RenderFormat.label(run.analysis, capitalize: true)))</h1>\n"
        out += "<p class=\"meta\">Analysis <code>\(HTMLText.escape(run.analysis))</code> · as of <strong>\(run.asOf.iso)</strong> · run <code>\(HTMLText.escape(run.runId))</code> · database <code>\(HTMLText.escape(run.database))</code></p>\n"
        out += "</div>\n" + "<div class=\"runstatus\">Run " + Self.badge(run.status, ReportSummary.tone(runStatus: run.status)) + "</div>\n</header>\n"
        out += "<p class=\"headline\">\(HTMLText.escape(summary.headline))</p>\n"
        if !results.agents.isEmpty {
            out += "<nav class=\"strip\" aria-label=\"Agent status\">\n"
            for agent in results.agents {
                let tone = ReportSummary.tone(agent.status)
                let tip = ReportSummary.statusReason(agent).map { agent.status.rawValue + ": " + $0 } ?? agent.status.rawValue
                out += "<a class=\"chip \(tone.rawValue)\" href=\"#agent-\(HTMLText.escape(agent.agent))\" title=\"\(HTMLText.escape(tip))\">"
                    + "<span class=\"dot\"></span>\(HTMLText.escape(RenderFormat.agentTitle(agent.agent)))<span class=\"state\">\(HTMLText.escape(agent.status.rawValue))</span></a>\n"
            }
            out += "</nav>\n"
        }
        return out
    }

    // MARK: KPI tiles

    func tiles() -> String {
        var out = ""
        var tiles: [(label: String, value: Figure, note: String?)] = []
        if let v = results.visualization, !v.tiles.isEmpty {
            tiles = v.tiles.map { (RenderFormat.oneLine($0.label), $0.value, $0.note.map(RenderFormat.oneLine)) }
        } else {
            tiles = summary.derivedFigures.map { ($0.name, $0.figure, nil) }
            if !tiles.isEmpty, let reason = summary.missingReason(ReportSummary.visualization) {
                out += "<p class=\"note\">\(HTMLText.escape(reason)) The tiles show figures from the Intelligence and Discovery agents.</p>\n"
            }
        }
        guard !tiles.isEmpty else {
            return "<section class=\"tiles-empty\">\n" + Self.empty("No key figures: " + (summary.missingReason(ReportSummary.visualization) ?? "")
                + " " + (summary.missingReason(ReportSummary.intelligence) ?? ""), tone: .bad) + "</section>\n"
        }
        out += "<section class=\"tiles\">\n"
        for tile in tiles {
            out += "<div class=\"tile\" title=\"\(HTMLText.escape(tile.label + ": " + tile.value.formatted))\">"
                + "<div class=\"label\">\(HTMLText.escape(tile.label))</div>"
                + "<div class=\"value\">\(HTMLText.escape(RenderFormat.short(tile.value)))</div>"
                + (tile.note.map { "<div class=\"tnote\">\(HTMLText.escape($0))</div>" } ?? "") + "</div>\n"
        }
        return out + "</section>\n"
    }

    // MARK: Trend

    func trendPanel() -> String {
        guard let intel = results.intelligence else {
            return Self.panel("Revenue and cost by month", cssClass: "wide", missing(ReportSummary.intelligence, what: "The revenue trend is"))
        }
        let level = intel.forecast.intervalLevel
        let percent = level <= 1 ? level * 100 : level
        let chart = SVGTrendChart(
            months: intel.trend.months.map { .init(day: $0.month, revenue: $0.revenue.doubleValue, cost: $0.cost.doubleValue) },
            forecast: intel.forecast.points.map { .init(day: $0.month, predicted: $0.predicted.doubleValue, lower: $0.lower.doubleValue, upper: $0.upper.doubleValue) },
            intervalLabel: RenderFormat.trimmed(percent, digits: 1) + "% interval")
        guard !chart.isEmpty else {
            return Self.panel("Revenue and cost by month", cssClass: "wide", Self.empty("The Intelligence agent reported no monthly figures and no forecast."))
        }
        var sub = "Revenue " + RenderFormat.moneyShort(intel.trend.totalRevenue) + ", costs " + RenderFormat.moneyShort(intel.trend.totalCosts)
            + ", gross margin " + RenderFormat.moneyShort(intel.trend.grossMargin)
        if let rate = intel.trend.grossMarginRate { sub += " (" + RenderFormat.ratio(rate) + ")" }
        if !intel.forecast.points.isEmpty {
            sub += ". Forecast by " + RenderFormat.oneLine(intel.forecast.method) + ": " + RenderFormat.moneyShort(intel.forecast.next3Months) + " over the next 3 months, "
                + RenderFormat.moneyShort(intel.forecast.next6Months) + " over 6"
            if let mape = intel.forecast.backtestMape { sub += "; backtest MAPE " + RenderFormat.ratio(mape) }
        }
        return Self.panel("Revenue and cost by month", subtitle: sub + ".", cssClass: "wide", degradedNote(ReportSummary.intelligence) + chart.svg() + "\n")
    }

    // MARK: Industries

    static func efficiencyTone(_ ratio: Double?) -> ReportDocument.Tone {
        guard let ratio, ratio.isFinite else { return .neutral }
        if ratio <= 1.0 { return .good }
        if ratio <= 1.1 { return .warn }
        return .bad
    }

    var industriesAvailable: Bool { !(results.strategy?.industries.isEmpty ?? true) }

    func industryPanel(wide: Bool) -> String {
        let title = "Budget by industry"
        let css = wide ? "wide slim" : ""
        guard let strategy = results.strategy else { return Self.panel(title, cssClass: css, missing(ReportSummary.strategy, what: "The industry view is")) }
        guard !strategy.industries.isEmpty else {
            return Self.panel(title, cssClass: css, Self.empty("The Strategy agent found no industry with enough projects."))
        }
        let industries = strategy.industries.enumerated().sorted { a, b in
            a.element.totalBudget != b.element.totalBudget ? a.element.totalBudget > b.element.totalBudget : a.offset < b.offset
        }.map(\.element)
        let rows = industries.map { i -> SVGBarChart.Row in
            let tone = Self.efficiencyTone(i.costEfficiency)
            var tip = "\(RenderFormat.oneLine(i.industry)): \(RenderFormat.count(i.projectCount)) projects, budget \(RenderFormat.money(i.totalBudget))"
            if let e = i.costEfficiency { tip += ", actual cost ÷ budget " + RenderFormat.number(e) }
            if let v = i.revenueVolatility { tip += ", revenue volatility " + RenderFormat.number(v) }
            return SVGBarChart.Row(label: RenderFormat.oneLine(i.industry), value: i.totalBudget.doubleValue, valueLabel: RenderFormat.moneyShort(i.totalBudget),
                                color: ChartPalette.tone(tone), extra: i.costEfficiency.map { RenderFormat.number($0) + "×" } ?? RenderFormat.notAvailable,
                                extraColor: tone == .neutral ? ChartPalette.axisText : ChartPalette.tone(tone), tooltip: tip)
        }
        let chart = SVGBarChart(rows: rows, money: true, extraHeader: "Cost ÷ budget", width: wide ? 1240 : 600,
                             label: "Total budget by industry, coloured by average actual cost over budget")
        let legend = "<div class=\"legend\">"
            + "<span><i class=\"sw good\"></i>at or under budget (≤ 1.00×)</span>"
            + "<span><i class=\"sw warn\"></i>up to 10% over</span>"
            + "<span><i class=\"sw bad\"></i>more than 10% over</span>"
            + (industries.contains { $0.costEfficiency == nil } ? "<span><i class=\"sw\"></i>no completed costs</span>" : "") + "</div>\n"
        let sub = "\(industries.count) industries, \(RenderFormat.count(industries.reduce(Int64(0)) { $0 + $1.projectCount })) projects. "
            + "Bars: total budget; colour and right column: average actual cost ÷ budget."
        return Self.panel(title, subtitle: sub, cssClass: wide ? "wide" : "", degradedNote(ReportSummary.strategy) + chart.svg() + "\n" + legend)
    }

    // MARK: Risk

    var riskAvailable: Bool {
        guard let anomalies = results.discovery?.anomalies else { return false }
        return !anomalies.levels.isEmpty || !anomalies.flagged.isEmpty
    }

    func riskPanel(wide: Bool) -> String {
        let title = "Risk distribution"
        let css = wide ? "wide slim" : ""
        guard let anomalies = results.discovery?.anomalies else { return Self.panel(title, cssClass: css, missing(ReportSummary.discovery, what: "The risk distribution is")) }
        let levels = ReportSummary.orderedLevels(anomalies.levels)
        let scores = anomalies.flagged.map(\.score).filter(\.isFinite)
        guard !levels.isEmpty || !scores.isEmpty else {
            return Self.panel(title, cssClass: css, Self.empty("No project was scored for anomalies."))
        }
        var content = "<div class=\"side\">\n"
        if !levels.isEmpty {
            let total = levels.reduce(0) { $0 + $1.count }
            let rows = levels.map { l in
                SVGBarChart.Row(label: RenderFormat.capitalized(l.level), value: Double(l.count), valueLabel: RenderFormat.count(l.count)
                             + (total > 0 ? " (" + Self.share(l.count, of: total) + ")" : ""),
                             color: ChartPalette.tone(ReportSummary.levelTone(l.level)), tooltip: "\(l.count) projects at level \(l.level)")
            }
            content += "<div>\n<h3>Projects by anomaly level</h3>\n" + SVGBarChart(rows: rows, money: false, extraHeader: nil, rowHeight: 28,
                                                                         label: "Scored projects by anomaly level").svg() + "\n</div>\n"
        }
        if !scores.isEmpty {
            content += "<div>\n<h3>Scores of the \(scores.count) flagged projects</h3>\n"
                + SVGHistogram(values: scores, axisLabel: "anomaly score", label: "Histogram of flagged projects' anomaly scores").svg() + "\n</div>\n"
        }
        content += "</div>\n"
        let sub = RenderFormat.count(anomalies.scored) + " projects scored by " + RenderFormat.oneLine(anomalies.method) + "; " + RenderFormat.count(anomalies.flagged.count) + " flagged."
        return Self.panel(title, subtitle: sub, cssClass: wide ? "wide" : "", degradedNote(ReportSummary.discovery) + content)
    }

    // MARK: Decisions

    func decisionPanel() -> String {
        let title = "Decisions"
        let decisions = summary.decisions
        guard !decisions.isEmpty else {
            return Self.panel(title, cssClass: "wide", summary.missingReason(ReportSummary.decision) != nil
                ? missing(ReportSummary.decision, what: "Decisions are") : Self.empty("The Decision agent found nothing to act on."))
        }
        let total = decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
        var out = "<table class=\"data\">\n<thead><tr><th class=\"num\">#</th><th>Decision</th><th>Category</th><th class=\"num\">Expected impact</th>"
            + "<th>Urgency</th><th>Risk</th><th>Confidence</th></tr></thead>\n<tbody>\n"
        for d in decisions {
            out += "<tr><td class=\"num rank\">\(d.rank)</td>"
                + "<td><div class=\"dtitle\">\(HTMLText.escape(RenderFormat.oneLine(d.title)))</div><div class=\"why\">\(HTMLText.escape(RenderFormat.clipped(d.rationale, limit: 220)))</div></td>"
                + "<td class=\"cat\">\(HTMLText.escape(RenderFormat.oneLine(d.category)))</td>"
                + "<td class=\"num money\" title=\"\(HTMLText.escape(RenderFormat.money(d.expectedImpact)))\">\(HTMLText.escape(RenderFormat.moneyShort(d.expectedImpact)))</td>"
                + "<td>\(Self.badge(d.urgency.rawValue, ReportSummary.tone(d.urgency)))</td>"
                + "<td>\(Self.badge(d.risk.rawValue, ReportSummary.tone(d.risk)))</td>"
                + "<td class=\"nowrap\">\(Self.meter(d.confidence))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        let sub = "\(decisions.count) decision\(decisions.count == 1 ? "" : "s") ranked by the Decision agent; total expected impact \(RenderFormat.moneyShort(total)) (\(RenderFormat.money(total)))."
        return Self.panel(title, subtitle: sub, cssClass: "wide", degradedNote(ReportSummary.decision) + out)
    }

    /// `94%`, `5%`, `<1%`.
    static func share(_ part: Int, of total: Int) -> String {
        let ratio = Double(part) / Double(total)
        return part > 0 && ratio < 0.005 ? "<1%" : RenderFormat.ratio(ratio, digits: 0)
    }

    /// A 0–1 value as a small bar and a percentage.
    static func meter(_ value: Double) -> String {
        let clamped = value.isFinite ? min(1, max(0, value)) : 0
        return "<span class=\"meter\"><span style=\"width:\(RenderFormat.trimmed(clamped * 100, digits: 1))%\"></span></span> " + HTMLText.escape(RenderFormat.ratio(value, digits: 0))
    }

    // MARK: Anomalies

    func anomalyPanel() -> String {
        let title = "Most anomalous projects"
        guard let anomalies = results.discovery?.anomalies else { return Self.panel(title, cssClass: "wide", missing(ReportSummary.discovery, what: "The anomaly table is")) }
        guard !anomalies.flagged.isEmpty else { return Self.panel(title, cssClass: "wide", Self.empty("No project was flagged.", tone: .good)) }
        let sorted = anomalies.flagged.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        let shown = sorted.prefix(12)
        var out = "<table class=\"data\">\n<thead><tr><th>Project</th><th>Industry</th><th>Status</th><th class=\"num\">Budget</th><th class=\"num\">Actual cost</th>"
            + "<th class=\"num\">Expected so far</th><th class=\"num\">Cost ratio</th><th class=\"num\">Robust z</th><th class=\"num\">Score</th><th>Level</th></tr></thead>\n<tbody>\n"
        for p in shown {
            out += "<tr><td><div class=\"dtitle\">\(HTMLText.escape(RenderFormat.oneLine(p.projectName)))</div><div class=\"why\">\(HTMLText.escape(p.projectId))</div></td>"
                + "<td>\(HTMLText.escape(p.industry.map(RenderFormat.oneLine) ?? "–"))</td><td>\(HTMLText.escape(RenderFormat.label(p.status)))</td>"
                + "<td class=\"num\" title=\"\(HTMLText.escape(RenderFormat.money(p.budget)))\">\(RenderFormat.moneyShort(p.budget))</td>"
                + "<td class=\"num\" title=\"\(HTMLText.escape(RenderFormat.money(p.actualCost)))\">\(RenderFormat.moneyShort(p.actualCost))</td>"
                + "<td class=\"num\" title=\"\(HTMLText.escape(RenderFormat.money(p.expectedCostSoFar)))\">\(RenderFormat.moneyShort(p.expectedCostSoFar))</td>"
                + "<td class=\"num strong\">\(HTMLText.escape(RenderFormat.number(p.costRatio)))×</td>"
                + "<td class=\"num\">\(HTMLText.escape(RenderFormat.number(p.robustZ, digits: 1)))</td>"
                + "<td class=\"num strong\">\(HTMLText.escape(RenderFormat.number(p.score)))</td>"
                + "<td>\(Self.badge(p.level, ReportSummary.levelTone(p.level)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if sorted.count > shown.count {
            out += "<p class=\"more\">\(sorted.count - shown.count) more flagged projects are listed in results.json.</p>\n"
        }
        let sub = "Highest anomaly score first. Cost ratio: actual cost over the budget share of the months elapsed."
        return Self.panel(title, subtitle: sub, cssClass: "wide", degradedNote(ReportSummary.discovery) + out)
    }

    // MARK: Alerts

    func alertPanel(wide: Bool) -> String {
        let title = "Alerts"
        let alerts = summary.alerts
        guard !alerts.isEmpty else {
            return Self.panel(title, cssClass: wide ? "wide slim" : "", summary.missingReason(ReportSummary.decision) != nil
                ? missing(ReportSummary.decision, what: "Alerts are") : Self.empty("No alerts were raised.", tone: .good))
        }
        // Alerts of one rule that fire for many entities read as one row: the first, and the count.
        var groups: [(rule: String, alerts: [Alert])] = []
        for a in alerts {
            if let i = groups.firstIndex(where: { $0.rule == a.rule }) { groups[i].alerts.append(a) } else { groups.append((a.rule, [a])) }
        }
        let rows = groups.flatMap { g in g.alerts.count >= Self.groupAlertsFrom ? [g.alerts] : g.alerts.map { [$0] } }
        let shownRows = rows.prefix(Self.maxAlertRows)
        var out = "<ul class=\"alerts\">\n"
        for row in shownRows {
            let a = row[0]
            var detail = "<code>\(HTMLText.escape(a.rule))</code>"
            let entity = ReportBuilder.entity(a)
            if !entity.isEmpty { detail += " · " + HTMLText.escape(entity) }
            if let observed = a.observed {
                detail += " · observed <strong>\(HTMLText.escape(RenderFormat.number(observed)))</strong>"
                if let threshold = a.threshold { detail += " vs threshold \(HTMLText.escape(RenderFormat.number(threshold)))" }
            }
            if row.count > 1 {
                let others = row.dropFirst().compactMap(\.entityId)
                let listed = others.prefix(6).joined(separator: ", ")
                detail += "<div class=\"agroup\">and \(row.count - 1) more alert\(row.count == 2 ? "" : "s") of this rule"
                    + (listed.isEmpty ? "" : ": " + HTMLText.escape(listed) + (others.count > 6 ? ", …" : "")) + "</div>"
            }
            out += "<li class=\"\(ReportSummary.tone(a.severity).rawValue)\">\(Self.badge(a.severity.rawValue, ReportSummary.tone(a.severity)))"
                + "<div><div class=\"amsg\">\(HTMLText.escape(RenderFormat.oneLine(a.message)))</div><div class=\"adetail\">\(detail)</div></div></li>\n"
        }
        out += "</ul>\n"
        if rows.count > shownRows.count {
            let hidden = rows.dropFirst(shownRows.count).reduce(0) { $0 + $1.count }
            out += "<p class=\"more\">\(RenderFormat.plural(hidden, "more alert")) in the report.</p>\n"
        }
        let counts = Severity.allCases.reversed().compactMap { s -> String? in
            let n = alerts.filter { $0.severity == s }.count
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }.joined(separator: ", ")
        return Self.panel(title, subtitle: "\(alerts.count) alert\(alerts.count == 1 ? "" : "s"): \(counts).", cssClass: wide ? "wide" : "",
                          degradedNote(ReportSummary.decision) + out)
    }

    /// From this many alerts of one rule, the dashboard shows them as one row.
    static let groupAlertsFrom = 3
    static let maxAlertRows = 10

    // MARK: Health

    func healthPanel(wide: Bool) -> String {
        let title = "Business health"
        guard let intel = results.intelligence else {
            return Self.panel(title, cssClass: wide ? "wide slim" : "", missing(ReportSummary.intelligence, what: "Business health is"))
        }
        let health = intel.health
        let scale = max(100, health.components.map(\.score).filter(\.isFinite).max() ?? 0, health.score.isFinite ? health.score : 0)
        let tone: ReportDocument.Tone = health.score >= 70 ? .good : health.score >= 50 ? .warn : .bad
        var out = "<div class=\"health\"><div class=\"score \(tone.rawValue)\">\(HTMLText.escape(RenderFormat.score(health.score)))<span>/ \(RenderFormat.trimmed(scale, digits: 0))</span></div>"
            + "<div class=\"formula\">\(HTMLText.escape(RenderFormat.oneLine(health.formula)))</div></div>\n"
        if !health.components.isEmpty {
            out += "<table class=\"components\">\n<tbody>\n"
            for component in health.components {
                let width = component.score.isFinite ? min(100, max(0, component.score / scale * 100)) : 0
                out += "<tr title=\"\(HTMLText.escape(RenderFormat.oneLine(component.basis)))\"><td class=\"cname\">\(HTMLText.escape(RenderFormat.sentence(component.name)))"
                    + "<div class=\"why\">\(HTMLText.escape(RenderFormat.clipped(component.basis, limit: 90)))</div></td>"
                    + "<td class=\"cbar\"><span class=\"hbar\"><span style=\"width:\(RenderFormat.trimmed(width, digits: 1))%\"></span></span></td>"
                    + "<td class=\"num strong\">\(HTMLText.escape(RenderFormat.score(component.score)))</td>"
                    + "<td class=\"num weight\">× \(HTMLText.escape(RenderFormat.ratio(component.weight, digits: 0)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        let customers = intel.customers
        out += "<p class=\"sub\">Top 10 customers hold <strong>\(RenderFormat.ratio(customers.top10Share))</strong> of 12-month revenue ("
            + "\(HTMLText.escape(RenderFormat.moneyShort(customers.revenue12Months)))); high-risk customers <strong>\(RenderFormat.ratio(customers.highRiskRevenueShare))</strong>; "
            + "\(RenderFormat.count(customers.lateCustomers)) customers pay late.</p>\n"
        return Self.panel(title, subtitle: "Weighted score of the components below.", cssClass: wide ? "wide" : "", degradedNote(ReportSummary.intelligence) + out)
    }

    // MARK: Agents

    func agentPanel() -> String {
        guard !results.agents.isEmpty else { return Self.panel("What each agent found", cssClass: "wide", Self.empty("No agent results were recorded.")) }
        var out = "<div class=\"cards\">\n"
        for agent in results.agents {
            let tone = ReportSummary.tone(agent.status)
            out += "<article class=\"card \(tone.rawValue)\" id=\"agent-\(HTMLText.escape(agent.agent))\">\n<div class=\"chead\"><h3>\(HTMLText.escape(RenderFormat.agentTitle(agent.agent)))</h3>"
                + Self.badge(agent.status.rawValue, tone) + "</div>\n"
            var meta: [String] = []
            if agent.status == .succeeded || agent.status == .degraded { meta.append("confidence " + RenderFormat.ratio(agent.confidence, digits: 0)) }
            if agent.status != .skipped || agent.durationMs > 0 { meta.append(RenderFormat.duration(ms: agent.durationMs)) }
            if agent.attempts > 1 { meta.append("\(agent.attempts) attempts") }
            if !meta.isEmpty { out += "<p class=\"cmeta\">\(HTMLText.escape(meta.joined(separator: " · ")))</p>\n" }
            if let reason = ReportSummary.statusReason(agent) {
                let label = agent.status == .degraded ? "Fallback" : agent.status == .failed ? "Error" : "Reason"
                out += "<div class=\"reason \(tone.rawValue)\"><strong>\(label):</strong> \(HTMLText.escape(reason))</div>\n"
            }
            let insights = ReportSummary.insights(agent)
            if !insights.isEmpty {
                out += "<ul class=\"insights\">\n"
                for insight in insights.prefix(4) {
                    out += "<li><span class=\"sev \(ReportSummary.tone(insight.severity).rawValue)\" title=\"\(insight.severity.rawValue)\"></span>"
                        + "<div><strong>\(HTMLText.escape(RenderFormat.oneLine(insight.title)))</strong>"
                        + "<div class=\"why\">\(HTMLText.escape(RenderFormat.clipped(insight.detail, limit: 170)))</div></div></li>\n"
                }
                out += "</ul>\n"
                if insights.count > 4 { out += "<p class=\"more\">\(insights.count - 4) more insights in results.json.</p>\n" }
            } else if agent.status == .succeeded || agent.status == .degraded {
                // No insights: show the agent's main figures instead.
                let facts = ReportAgentFacts.facts(agent.data).prefix(4)
                if facts.isEmpty {
                    out += "<p class=\"more\">No insights reported.</p>\n"
                } else {
                    out += "<ul class=\"facts\">\n" + facts.map { "<li>" + ReportDocument.html($0) + "</li>\n" }.joined() + "</ul>\n"
                }
            }
            out += "</article>\n"
        }
        out += "</div>\n"
        return Self.panel("What each agent found", cssClass: "wide", out)
    }

    func footer() -> String {
        let run = results.run
        return "<footer>Run <code>\(HTMLText.escape(run.runId))</code> · started \(HTMLText.escape(run.startedAt.iso)) UTC · took \(HTMLText.escape(RenderFormat.duration(ms: run.durationMs)))"
            + " · seed \(run.seed) · configuration <code>\(HTMLText.escape(String(run.configDigest.prefix(12))))</code>"
            + " · every figure comes from results.json of this run.</footer>\n"
    }

    // MARK: CSS

    static let css = """
        :root { --ink: #1f2933; --muted: #5f6b7a; --line: #e3e7ed; --bg: #f1f4f8; --panel: #ffffff;
                --good: #16a34a; --warn: #d97706; --bad: #dc2626; --info: #2563eb; --neutral: #8391a5; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink);
               font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1360px; margin: 0 auto; padding: 24px 20px 32px; }
        code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; background: #eef1f5; padding: 1px 4px; border-radius: 3px; }
        header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; }
        header.top h1 { margin: 0; font-size: 26px; line-height: 1.2; }
        .meta { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
        .runstatus { font-size: 13px; color: var(--muted); white-space: nowrap; padding-top: 4px; }
        .headline { margin: 14px 0 12px; font-size: 18px; font-weight: 600; line-height: 1.4; max-width: 1100px; }
        .strip { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 16px; }
        .chip { display: inline-flex; align-items: center; gap: 7px; padding: 4px 12px; background: var(--panel); border: 1px solid var(--line);
                border-radius: 999px; font-size: 13px; font-weight: 600; color: var(--ink); text-decoration: none; }
        .chip .dot { width: 9px; height: 9px; border-radius: 50%; background: var(--neutral); }
        .chip .state { font-weight: 400; color: var(--muted); }
        .chip.good .dot { background: var(--good); } .chip.warn .dot { background: var(--warn); } .chip.bad .dot { background: var(--bad); }
        .chip.warn { border-color: #f5c98b; background: #fff8ec; } .chip.bad { border-color: #f3a8a8; background: #fff1f1; }
        .note { margin: 0 0 10px; padding: 8px 12px; border-radius: 6px; background: #fff8ec; border: 1px solid #f5c98b; font-size: 13px; }
        .tiles-empty { margin-bottom: 16px; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
        .tile { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; border-top: 4px solid var(--info); }
        .tile .label { color: var(--muted); font-size: 12.5px; font-weight: 600; }
        .tile .value { font-size: 26px; font-weight: 700; line-height: 1.25; margin-top: 2px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .tile .tnote { color: var(--muted); font-size: 12px; margin-top: 2px; }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 16px; min-width: 0; }
        .panel h2 { margin: 0 0 2px; font-size: 17px; }
        .panel h3 { margin: 12px 0 4px; font-size: 13.5px; color: var(--muted); font-weight: 600; }
        .panel .sub { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
        .grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: stretch; }
        .side { display: flex; flex-wrap: wrap; gap: 4px 28px; }
        .side > div { flex: 1 1 480px; min-width: 0; }
        .panel.slim .empty { padding: 10px 14px; }
        .degraded { margin: 0 0 10px; padding: 7px 10px; border-radius: 6px; background: #fff8ec; border: 1px solid #f5c98b; color: #7a4300; font-size: 13px; }
        .grid2 > .panel { margin-bottom: 16px; }
        svg.chart { display: block; height: auto; max-width: 100%; overflow: visible; }
        .legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 12.5px; color: var(--muted); margin-top: 6px; }
        .legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; background: var(--neutral); }
        .sw.good { background: var(--good); } .sw.warn { background: var(--warn); } .sw.bad { background: var(--bad); }
        table.data { width: 100%; border-collapse: collapse; font-size: 13px; }
        table.data th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); padding: 6px 8px; white-space: nowrap; }
        table.data td { padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        table.data tbody tr:hover td { background: #f8fafc; }
        .num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .strong { font-weight: 700; }
        .nowrap { white-space: nowrap; }
        td.cat { white-space: nowrap; }
        .rank { font-weight: 700; font-size: 15px; color: var(--muted); }
        .money { font-weight: 700; font-size: 14px; }
        .dtitle { font-weight: 600; }
        .why { color: var(--muted); font-size: 12.5px; line-height: 1.4; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11px; font-weight: 700; letter-spacing: .03em;
                 text-transform: uppercase; color: #fff; background: var(--neutral); white-space: nowrap; }
        .badge.good { background: var(--good); } .badge.warn { background: var(--warn); } .badge.bad { background: var(--bad); } .badge.info { background: var(--info); }
        .meter { display: inline-block; width: 56px; height: 7px; background: #e5e7eb; border-radius: 4px; vertical-align: middle; overflow: hidden; }
        .meter span { display: block; height: 100%; background: var(--info); }
        .empty { padding: 18px; border-radius: 8px; border: 1px dashed #c5ccd6; color: var(--muted); background: #f8fafc; font-size: 13.5px; }
        .empty.bad { border: 1px solid #f3a8a8; background: #fff1f1; color: #8f1d1d; }
        .empty.good { border: 1px solid #b7e4c7; background: #f0fbf4; color: #14532d; }
        .more { margin: 8px 0 0; color: var(--muted); font-size: 12.5px; }
        ul.alerts { list-style: none; margin: 0; padding: 0; }
        ul.alerts li { display: flex; gap: 10px; align-items: flex-start; padding: 8px 0; border-bottom: 1px solid var(--line); }
        ul.alerts li:last-child { border-bottom: 0; }
        ul.alerts .badge { flex: none; width: 78px; text-align: center; margin-top: 2px; }
        .amsg { font-weight: 600; } .adetail { color: var(--muted); font-size: 12.5px; }
        .health { margin-bottom: 8px; }
        .health .score { white-space: nowrap; }
        .health .score { font-size: 40px; font-weight: 800; line-height: 1; }
        .health .score span { font-size: 15px; font-weight: 600; color: var(--muted); margin-left: 4px; }
        .health .score.good { color: var(--good); } .health .score.warn { color: var(--warn); } .health .score.bad { color: var(--bad); }
        .health .formula { color: var(--muted); font-size: 12px; line-height: 1.4; margin-top: 4px; }
        .agroup { margin-top: 2px; }
        table.components { width: 100%; border-collapse: collapse; font-size: 13px; margin-bottom: 8px; }
        table.components td { padding: 6px 6px; border-bottom: 1px solid var(--line); vertical-align: middle; }
        td.cname { font-weight: 600; width: 42%; } td.cname .why { font-weight: 400; } td.cbar { width: 38%; } td.weight { color: var(--muted); }
        .hbar { display: block; height: 9px; background: #e5e7eb; border-radius: 5px; overflow: hidden; }
        .hbar span { display: block; height: 100%; background: var(--info); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px; }
        .card { border: 1px solid var(--line); border-left: 5px solid var(--neutral); border-radius: 8px; padding: 12px 14px; background: #fcfdfe; min-width: 0; }
        .card.good { border-left-color: var(--good); } .card.warn { border-left-color: var(--warn); } .card.bad { border-left-color: var(--bad); }
        .chead { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
        .chead h3 { margin: 0; font-size: 15px; color: var(--ink); }
        .chead + .reason, .chead + ul, .chead + p.more { margin-top: 8px; }
        .cmeta { margin: 2px 0 8px; color: var(--muted); font-size: 12.5px; }
        .reason { padding: 8px 10px; border-radius: 6px; font-size: 13px; margin-bottom: 8px; overflow-wrap: anywhere; }
        .reason.bad { background: #fff1f1; color: #8f1d1d; border: 1px solid #f3a8a8; }
        .reason.warn { background: #fff8ec; color: #7a4300; border: 1px solid #f5c98b; }
        .reason.neutral { background: #f3f5f8; color: var(--muted); border: 1px solid var(--line); }
        ul.insights { list-style: none; margin: 0; padding: 0; }
        ul.insights li { display: flex; gap: 9px; padding: 5px 0; font-size: 13px; }
        .sev { flex: none; width: 9px; height: 9px; border-radius: 50%; margin-top: 6px; background: var(--neutral); }
        .sev.good { background: var(--good); } .sev.warn { background: var(--warn); } .sev.bad { background: var(--bad); } .sev.info { background: var(--info); }
        ul.facts { margin: 0; padding-left: 18px; font-size: 13px; color: var(--muted); }
        ul.facts li { margin: 3px 0; } ul.facts strong { color: var(--ink); }
        footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
        @media (max-width: 900px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
        @media print {
          body { background: #fff; }
          main { max-width: none; padding: 0; }
          .panel, .tile, .card { break-inside: avoid; page-break-inside: avoid; }
          .badge, .chip, .tile, .sw, .meter span, .hbar span, .sev, .empty, .reason { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}

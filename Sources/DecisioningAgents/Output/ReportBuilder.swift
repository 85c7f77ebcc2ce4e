import DecisioningCore

/// Builds the executive report's document from a `RunResults`.
struct ReportBuilder {
    typealias Inline = ReportDocument.Inline
    typealias Block = ReportDocument.Block

    let summary: ReportSummary
    var results: RunResults { summary.results }

    init(_ results: RunResults) { summary = ReportSummary(results) }

    func document() -> ReportDocument {
        var blocks: [Block] = []
        blocks += headline()
        blocks += keyNumbers()
        blocks += topDecisions()
        blocks += risksAndNextSteps()
        blocks += agents()
        blocks += alerts()
        blocks += appendix()
        return ReportDocument(title: summary.title, subtitle: summary.subtitle, blocks: blocks)
    }

    // MARK: Headline

    func headline() -> [Block] {
        var blocks: [Block] = [.sectionStart(cssClass: "headline"), .paragraph([.strong(summary.headline)])]
        let troubled = results.agents.filter { $0.status != .succeeded }
        if !troubled.isEmpty || results.run.status != .succeeded {
            var inlines: [Inline] = [
                .badge("Run " + results.run.status.rawValue, ReportSummary.tone(runStatus: results.run.status)), .text(" "),
            ]
            if troubled.isEmpty {
                inlines.append(.text("The run did not finish cleanly."))
            } else {
                inlines.append(.text("Not every agent finished cleanly: "))
                for (i, agent) in troubled.enumerated() {
                    if i > 0 { inlines.append(.text("; ")) }
                    inlines.append(.strong(RenderFormat.agentTitle(agent.agent) + " " + agent.status.rawValue))
                    if let reason = ReportSummary.statusReason(agent) {
                        inlines.append(.text(" (" + RenderFormat.clipped(reason, limit: 160) + ")"))
                    }
                }
                inlines.append(.text(". Figures from these agents are missing or approximate."))
            }
            let tone: ReportDocument.Tone = troubled.contains { $0.status == .failed } ? .bad : .warn
            blocks.append(.callout(tone, inlines))
        }
        blocks.append(.sectionEnd)
        return blocks
    }

    // MARK: Key numbers

    func keyNumbers() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Key numbers", anchor: "key-numbers")]
        let figures = summary.keyNumbers
        if figures.isEmpty {
            blocks.append(
                .paragraph([
                    .emphasis("No key numbers: " + (summary.missingReason(ReportSummary.intelligence) ?? "the agents produced none."))
                ]))
        } else {
            blocks.append(
                .keyFigures(
                    figures.map { figure in
                        // Money reads compact in the HTML tiles, with the exact amount under it.
                        var short: String?
                        if case .money(let m) = figure.figure, RenderFormat.moneyShort(m) != figure.figure.formatted {
                            short = RenderFormat.moneyShort(m)
                        }
                        return ReportDocument.KeyFigure(
                            label: RenderFormat.oneLine(figure.name), value: figure.figure.formatted, note: nil, short: short)
                    }))
        }
        return blocks
    }

    // MARK: Decisions

    func topDecisions() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Top decisions", anchor: "decisions")]
        let decisions = summary.decisions
        guard !decisions.isEmpty else {
            blocks.append(
                .paragraph([.emphasis(summary.missingReason(ReportSummary.decision) ?? "The Decision agent found nothing to act on.")]))
            return blocks
        }
        let shown = decisions.prefix(10)
        let table = ReportDocument.Table(
            cssClass: "decisions",
            columns: [
                .init(title: "Rank", numeric: true), .init(title: "Decision"), .init(title: "Expected impact", numeric: true),
                .init(title: "Urgency"), .init(title: "Confidence", numeric: true), .init(title: "Why"),
            ],
            rows: shown.map { d in
                [
                    [.text(String(d.rank))], [.strong(RenderFormat.oneLine(d.title))], [.text(RenderFormat.money(d.expectedImpact))],
                    [.badge(d.urgency.rawValue, ReportSummary.tone(d.urgency))], [.text(RenderFormat.ratio(d.confidence, digits: 0))],
                    [.text(RenderFormat.clipped(d.rationale, limit: 180))],
                ]
            })
        blocks.append(.table(table))
        if decisions.count > shown.count {
            blocks.append(.paragraph([.emphasis("\(decisions.count - shown.count) more decisions are listed in the appendix.")]))
        }
        let total = decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
        blocks.append(
            .paragraph([
                .text("Total expected impact of all \(decisions.count) decisions: "), .strong(RenderFormat.money(total)), .text("."),
            ]))
        return blocks
    }

    func risksAndNextSteps() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Main risks", anchor: "risks")]
        let risks = summary.risks
        if risks.isEmpty {
            blocks.append(
                .paragraph([
                    .emphasis("No risks were identified" + (summary.missingReason(ReportSummary.strategy).map { ": " + $0 } ?? "."))
                ]))
        } else {
            blocks.append(.list(items: risks.map { [.text($0)] }, ordered: false))
        }
        blocks.append(.heading(level: 2, text: "Next steps", anchor: "next-steps"))
        let steps = summary.nextSteps
        if steps.isEmpty {
            blocks.append(.paragraph([.emphasis("No next steps were proposed.")]))
        } else {
            blocks.append(.list(items: steps.map { [.text($0)] }, ordered: true))
        }
        return blocks
    }

    // MARK: Agents

    func agents() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "What each agent found", anchor: "agents")]
        if results.agents.isEmpty {
            blocks.append(.paragraph([.emphasis("No agent results were recorded.")]))
        }
        for agent in results.agents {
            blocks.append(.sectionStart(cssClass: "agent"))
            blocks.append(.heading(level: 3, text: RenderFormat.agentTitle(agent.agent), anchor: "agent-" + agent.agent))
            var meta: [Inline] = [.badge(agent.status.rawValue, ReportSummary.tone(agent.status))]
            if agent.status == .succeeded || agent.status == .degraded {
                meta.append(.text(" confidence " + RenderFormat.ratio(agent.confidence, digits: 0)))
            }
            if agent.status != .skipped || agent.durationMs > 0 { meta.append(.text(" · " + RenderFormat.duration(ms: agent.durationMs))) }
            if agent.attempts > 1 { meta.append(.text(" · \(agent.attempts) attempts")) }
            blocks.append(.paragraph(meta))
            if let reason = ReportSummary.statusReason(agent) {
                let label: String
                switch agent.status {
                case .degraded: label = "Degraded"
                case .failed: label = "Failed"
                case .skipped: label = "Skipped"
                case .succeeded: label = ""
                }
                blocks.append(.callout(ReportSummary.tone(agent.status), [.strong(label + ": "), .text(reason)]))
            }
            let facts = ReportAgentFacts.facts(agent)
            if !facts.isEmpty { blocks.append(.list(items: facts, ordered: false)) }
            let insights = ReportSummary.insights(agent)
            if !insights.isEmpty {
                let shown = insights.prefix(5)
                var items: [[Inline]] = shown.map { insight in
                    var item: [Inline] = [
                        .badge(insight.severity.rawValue, ReportSummary.tone(insight.severity)), .text(" "),
                        .strong(RenderFormat.oneLine(insight.title)),
                    ]
                    let detail = RenderFormat.clipped(insight.detail, limit: 240)
                    if !detail.isEmpty { item.append(.text(": " + detail)) }
                    return item
                }
                if insights.count > shown.count {
                    items.append([.emphasis("and \(insights.count - shown.count) more insights in results.json")])
                }
                blocks.append(.heading(level: 4, text: "Insights", anchor: nil))
                blocks.append(.list(items: items, ordered: false))
            } else if facts.isEmpty && (agent.status == .succeeded || agent.status == .degraded) {
                blocks.append(.paragraph([.emphasis("No insights reported.")]))
            }
            blocks.append(.sectionEnd)
        }
        return blocks
    }

    // MARK: Alerts

    func alerts() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Alerts", anchor: "alerts")]
        let alerts = summary.alerts
        if alerts.isEmpty {
            let reason = summary.missingReason(ReportSummary.decision)
            blocks.append(.paragraph([.emphasis(reason.map { "No alerts: " + $0 } ?? "No alerts were raised.")]))
            return blocks
        }
        let table = ReportDocument.Table(
            cssClass: "alerts",
            columns: [
                .init(title: "Severity"), .init(title: "Rule"), .init(title: "Message"), .init(title: "Entity"),
                .init(title: "Observed", numeric: true), .init(title: "Threshold", numeric: true),
            ],
            rows: alerts.map { a in
                [
                    [.badge(a.severity.rawValue, ReportSummary.tone(a.severity))], [.code(a.rule)],
                    [.text(RenderFormat.oneLine(a.message))],
                    [.text(Self.entity(a))], [.text(a.observed.map { RenderFormat.number($0) } ?? "")],
                    [.text(a.threshold.map { RenderFormat.number($0) } ?? "")],
                ]
            })
        blocks.append(.table(table))
        return blocks
    }

    static func entity(_ alert: Alert) -> String {
        switch (alert.entityType, alert.entityId) {
        case (let type?, let id?): return type + " " + id
        case (nil, let id?): return id
        case (let type?, nil): return type
        case (nil, nil): return ""
        }
    }

    // MARK: Appendix

    func appendix() -> [Block] {
        var blocks: [Block] = [
            .sectionStart(cssClass: "appendix"),
            .heading(level: 2, text: "Appendix: how these numbers were made", anchor: "appendix"),
            .paragraph([
                .text(
                    "Each decision rests on the evidence below: the figures, the named analysis that computed them, and the SQL "
                        + "as rendered for HeatWave, which runs as is in a MySQL client with the bindings given in order.")
            ]),
        ]
        let decisions = summary.decisions
        if decisions.isEmpty {
            blocks.append(.paragraph([.emphasis("There are no decisions to document.")]))
        }
        for d in decisions {
            blocks.append(.sectionStart(cssClass: "evidence"))
            blocks.append(.heading(level: 3, text: "\(d.rank). " + RenderFormat.oneLine(d.title), anchor: "decision-" + d.id))
            blocks.append(
                .paragraph([
                    .text("Expected impact "), .strong(RenderFormat.money(d.expectedImpact)),
                    .text(
                        " · urgency " + d.urgency.rawValue + " · risk " + d.risk.rawValue + " · confidence "
                            + RenderFormat.ratio(d.confidence, digits: 0)
                            + " · score " + RenderFormat.number(d.score) + " · " + RenderFormat.oneLine(d.category) + " · id "),
                    .code(d.id),
                ]))
            let rationale = RenderFormat.oneLine(d.rationale)
            if !rationale.isEmpty { blocks.append(.paragraph([.text(rationale)])) }
            if d.evidence.isEmpty {
                blocks.append(.paragraph([.emphasis("No evidence was recorded for this decision.")]))
            }
            for (i, evidence) in d.evidence.enumerated() {
                blocks += Self.evidence(evidence, number: i + 1)
            }
            blocks.append(.sectionEnd)
        }
        blocks.append(.sectionEnd)
        return blocks
    }

    static func evidence(_ evidence: Evidence, number: Int) -> [Block] {
        var blocks: [Block] = [.sectionStart(cssClass: "ev"), .paragraph([.strong("Evidence \(number): "), .code(evidence.analysis)])]
        if let method = evidence.method, !RenderFormat.oneLine(method).isEmpty {
            blocks.append(.paragraph([.text("Method: " + RenderFormat.oneLine(method))]))
        }
        if !evidence.figures.isEmpty {
            blocks.append(
                .list(
                    items: evidence.figures.map { [.text(RenderFormat.oneLine($0.name) + ": "), .strong($0.figure.formatted)] },
                    ordered: false))
        }
        if let sql = evidence.sql, !sql.isEmpty {
            blocks.append(.code(language: "sql", text: sql))
            if evidence.bindings.isEmpty {
                blocks.append(.paragraph([.text("No bindings.")]))
            } else {
                var inlines: [Inline] = [.text("Bindings, in order: ")]
                for (i, binding) in evidence.bindings.enumerated() {
                    if i > 0 { inlines.append(.text(", ")) }
                    inlines.append(.code(binding))
                }
                blocks.append(.paragraph(inlines))
            }
        } else {
            blocks.append(.paragraph([.emphasis("Computed without SQL" + (evidence.method == nil ? "." : " (see the method above)."))]))
        }
        blocks.append(.sectionEnd)
        return blocks
    }
}

/// A few facts per agent, from its typed data.
enum ReportAgentFacts {
    typealias Inline = ReportDocument.Inline

    /// The facts of a standard agent's output; none for other agents.
    static func facts(_ result: AgentResult) -> [[Inline]] {
        if let d = result.output(DiscoveryAgent.key) { return discovery(d) }
        if let d = result.output(IntelligenceAgent.key) { return intelligence(d) }
        if let d = result.output(StrategyAgent.key) { return strategy(d) }
        if let d = result.output(DecisionAgent.key) { return decision(d) }
        if let d = result.output(VisualizationAgent.key) { return visualization(d) }
        if let d = result.output(ExecutiveAgent.key) { return executive(d) }
        return []
    }

    static func fact(_ label: String, _ value: String, _ note: String? = nil) -> [Inline] {
        var inlines: [Inline] = [.text(label + ": "), .strong(value)]
        if let note, !note.isEmpty { inlines.append(.text(" (" + note + ")")) }
        return inlines
    }

    static func discovery(_ d: DiscoveryData) -> [[Inline]] {
        let rows = d.catalog.reduce(Int64(0)) { $0 + $1.rows }
        var facts: [[Inline]] = [
            fact("Tables profiled", RenderFormat.count(d.catalog.count), RenderFormat.count(rows) + " rows"),
            fact(
                "Data quality score", RenderFormat.score(d.dataQuality.score),
                "\(d.dataQuality.findings.count) finding\(d.dataQuality.findings.count == 1 ? "" : "s")"),
            fact(
                "Portfolio",
                RenderFormat.count(d.landscape.totalProjects) + " projects, " + RenderFormat.count(d.landscape.totalCustomers)
                    + " customers",
                "budget " + RenderFormat.moneyShort(d.landscape.totalBudget) + ", costs " + RenderFormat.moneyShort(d.landscape.totalCosts)),
        ]
        let levels = ReportSummary.orderedLevels(d.anomalies.levels).map { RenderFormat.count($0.count) + " " + $0.level }.joined(
            separator: ", ")
        facts.append(
            fact(
                "Projects flagged", RenderFormat.count(d.anomalies.flagged.count),
                "of " + RenderFormat.count(d.anomalies.scored) + " scored by " + RenderFormat.oneLine(d.anomalies.method)
                    + (levels.isEmpty ? "" : "; " + levels)))
        if let worst = d.dataQuality.findings.max(by: { $0.severity < $1.severity }) {
            facts.append(
                fact(
                    "Most serious data issue", RenderFormat.oneLine(worst.description),
                    worst.severity.rawValue + ", " + RenderFormat.count(worst.affectedRows) + " rows in " + worst.table))
        }
        return facts
    }

    static func intelligence(_ d: IntelligenceData) -> [[Inline]] {
        var facts: [[Inline]] = []
        let months = d.trend.months
        let period = months.isEmpty ? "" : RenderFormat.monthYear(months.first!.month) + " – " + RenderFormat.monthYear(months.last!.month)
        facts.append(fact("Revenue", RenderFormat.money(d.trend.totalRevenue), period))
        facts.append(
            fact(
                "Gross margin", RenderFormat.money(d.trend.grossMargin),
                d.trend.grossMarginRate.map { RenderFormat.ratio($0) + " of revenue" }))
        if let growth = d.trend.revenueGrowthRate {
            // The growth rates are averages of the monthly growth percentages.
            facts.append(
                fact(
                    "Average monthly revenue growth", RenderFormat.signedPercent(growth, digits: 2),
                    d.trend.costGrowthRate.map { "costs " + RenderFormat.signedPercent($0, digits: 2) }))
        }
        facts.append(
            fact(
                "Forecast, next 3 months", RenderFormat.money(d.forecast.next3Months),
                RenderFormat.oneLine(d.forecast.method)
                    + (d.forecast.backtestMape.map { ", backtest MAPE " + RenderFormat.ratio($0) } ?? "")))
        facts.append(fact("Business health", RenderFormat.score(d.health.score) + " / 100"))
        facts.append(
            fact(
                "Top-10 customer share", RenderFormat.ratio(d.customers.top10Share),
                "high-risk customers hold " + RenderFormat.ratio(d.customers.highRiskRevenueShare) + " of revenue"))
        if let onTime = d.efficiency.onTimeRate {
            facts.append(
                fact(
                    "On-time delivery", RenderFormat.ratio(onTime),
                    RenderFormat.count(d.efficiency.overdueRunning) + " running projects overdue"))
        }
        return facts
    }

    static func strategy(_ d: StrategyData) -> [[Inline]] {
        var facts: [[Inline]] = []
        if let top = d.industries.max(by: { $0.totalBudget < $1.totalBudget }) {
            facts.append(
                fact(
                    "Largest industry by budget", RenderFormat.oneLine(top.industry),
                    RenderFormat.moneyShort(top.totalBudget) + " across " + RenderFormat.count(top.projectCount) + " projects"))
        }
        if let worst = d.industries.filter({ $0.costEfficiency != nil }).max(by: { $0.costEfficiency! < $1.costEfficiency! }) {
            facts.append(
                fact(
                    "Highest cost to budget", RenderFormat.oneLine(worst.industry),
                    RenderFormat.number(worst.costEfficiency) + "× budget on average"))
        }
        if let change = d.drivers.change {
            facts.append(
                fact(
                    "Margin rate change", RenderFormat.signedPoints(change),
                    RenderFormat.oneLine(d.drivers.periodBefore) + " → " + RenderFormat.oneLine(d.drivers.periodAfter)
                        + (d.drivers.topDriver.map { "; main driver " + RenderFormat.oneLine($0) } ?? "")))
        }
        facts.append(
            fact(
                "Risks and opportunities",
                RenderFormat.plural(d.risks.count, "risk") + ", "
                    + RenderFormat.plural(d.opportunities.count, "opportunity", "opportunities")))
        if !d.correlations.isEmpty {
            facts.append(
                fact(
                    "Strong correlations", RenderFormat.count(d.correlations.count), "|r| ≥ " + RenderFormat.number(d.correlationThreshold))
            )
        }
        return facts
    }

    static func decision(_ d: DecisionData) -> [[Inline]] {
        let total = d.decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
        return [
            fact("Decisions", RenderFormat.count(d.decisions.count), "expected impact " + RenderFormat.moneyShort(total)),
            fact("Alerts", RenderFormat.count(d.alerts.count), "\(d.alerts.filter { $0.severity >= .high }.count) high or critical"),
            fact("Predictions stored", RenderFormat.count(d.predictionsStored)),
        ]
    }

    static func visualization(_ d: VisualizationData) -> [[Inline]] {
        [
            fact(
                "Dashboard", RenderFormat.plural(d.tiles.count, "tile") + ", " + RenderFormat.plural(d.charts.count, "chart"),
                d.charts.isEmpty ? nil : d.charts.map(RenderFormat.oneLine).joined(separator: ", "))
        ]
    }

    static func executive(_ d: ExecutiveData) -> [[Inline]] {
        [
            fact(
                "Summary",
                RenderFormat.plural(d.keyNumbers.count, "key number") + ", " + RenderFormat.plural(d.topDecisions.count, "decision") + ", "
                    + RenderFormat.plural(d.risks.count, "risk") + ", " + RenderFormat.plural(d.nextSteps.count, "next step"))
        ]
    }
}

import DecisioningCore

/// What the report and the dashboard both derive from a `RunResults`: the headline, the key
/// figures, the risks and next steps (from the Executive agent, or rebuilt from the other agents'
/// data when it did not run), decisions and alerts in reading order, and why a part is missing.
struct ReportSummary {
    static let discovery = DiscoveryAgent.key.name
    static let intelligence = IntelligenceAgent.key.name
    static let strategy = StrategyAgent.key.name
    static let decision = DecisionAgent.key.name
    static let visualization = VisualizationAgent.key.name
    static let executive = ExecutiveAgent.key.name

    let results: RunResults

    init(_ results: RunResults) { self.results = results }

    var title: String { "Decision report: " + RenderFormat.label(results.run.analysis, capitalize: true) }

    var subtitle: String {
        let run = results.run
        return
            "Analysis \(run.analysis) · as of \(run.asOf.iso) · run \(run.runId) · status \(run.status) · seed \(run.seed) · database \(run.database)"
    }

    /// The Executive agent's headline, or one built from the decisions and alerts.
    var headline: String {
        if let text = results.executive?.headline, !RenderFormat.oneLine(text).isEmpty { return RenderFormat.oneLine(text) }
        let decisions = self.decisions
        let urgent = results.alerts.filter { $0.severity >= .high }.count
        var parts: [String] = []
        if decisions.isEmpty {
            parts.append("No decisions were produced")
        } else {
            let total = decisions.reduce(Money.zero) { $0 + $1.expectedImpact }
            parts.append(
                "\(decisions.count) decision\(decisions.count == 1 ? "" : "s") worth \(RenderFormat.moneyShort(total)) in expected impact")
        }
        parts.append(
            results.alerts.isEmpty
                ? "no alerts" : RenderFormat.plural(results.alerts.count, "alert") + (urgent > 0 ? " (\(urgent) high or critical)" : ""))
        return parts.joined(separator: "; ") + "."
    }

    /// Whether the headline and lists come from the Executive agent.
    var hasExecutive: Bool { results.executive != nil }

    /// The key numbers: the Executive agent's, or the main figures of Intelligence and Discovery.
    var keyNumbers: [NamedFigure] {
        if let numbers = results.executive?.keyNumbers, !numbers.isEmpty { return numbers }
        return derivedFigures
    }

    /// Headline figures rebuilt from the Intelligence and Discovery data (empty when both are missing).
    var derivedFigures: [NamedFigure] {
        var figures: [NamedFigure] = []
        if let intel = results.intelligence {
            figures.append(NamedFigure("Revenue", .money(intel.trend.totalRevenue)))
            figures.append(NamedFigure("Gross margin", .money(intel.trend.grossMargin)))
            if let rate = intel.trend.grossMarginRate { figures.append(NamedFigure("Gross margin rate", .ratio(rate))) }
            figures.append(NamedFigure("Revenue forecast, next 3 months", .money(intel.forecast.next3Months)))
            figures.append(NamedFigure("Business health score", .number(intel.health.score)))
        }
        if let disc = results.discovery {
            figures.append(NamedFigure("Projects", .count(disc.landscape.totalProjects)))
            figures.append(NamedFigure("Flagged projects", .count(Int64(disc.anomalies.flagged.count))))
            figures.append(NamedFigure("Data quality score", .number(disc.dataQuality.score)))
        }
        if results.intelligence == nil, let disc = results.discovery {
            figures.append(NamedFigure("Total budget", .money(disc.landscape.totalBudget)))
        }
        return figures
    }

    /// Decisions by rank.
    var decisions: [Decision] {
        results.decisions.enumerated().sorted { a, b in
            a.element.rank != b.element.rank ? a.element.rank < b.element.rank : a.offset < b.offset
        }.map(\.element)
    }

    /// Alerts, most severe first, otherwise in the run's order.
    var alerts: [Alert] {
        results.alerts.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// Main risks: the Executive agent's, else Strategy's, else the high and critical alerts.
    var risks: [String] {
        if let risks = results.executive?.risks, !risks.isEmpty { return risks.map(RenderFormat.oneLine) }
        if let items = results.strategy?.risks, !items.isEmpty {
            return items.map { item in
                var text = RenderFormat.oneLine(item.title)
                let detail = RenderFormat.oneLine(item.detail)
                if !detail.isEmpty { text += ": " + detail }
                if let impact = item.impact { text += " (" + RenderFormat.moneyShort(impact) + ")" }
                return text
            }
        }
        return alerts.filter { $0.severity >= .high }.prefix(5).map { RenderFormat.oneLine($0.message) }
    }

    /// Next steps: the Executive agent's, else the top decisions.
    var nextSteps: [String] {
        if let steps = results.executive?.nextSteps, !steps.isEmpty { return steps.map(RenderFormat.oneLine) }
        return decisions.prefix(3).map { RenderFormat.oneLine($0.title) }
    }

    // MARK: Agents

    /// Why an agent's part is missing, or nil when its data is there.
    func missingReason(_ agent: String) -> String? {
        let title = RenderFormat.agentTitle(agent) + " agent"
        guard let result = results.agent(agent) else { return "The \(title) did not run in this analysis." }
        switch result.status {
        case .failed:
            return "The \(title) failed: " + (result.error.map(RenderFormat.oneLine) ?? "no error was recorded") + "."
        case .skipped:
            return "The \(title) was skipped: " + (result.error.map(RenderFormat.oneLine) ?? "no reason was recorded") + "."
        case .succeeded, .degraded:
            return result.data == nil ? "The \(title) returned no data." : nil
        }
    }

    /// The reason shown next to a non-succeeded status, or nil.
    static func statusReason(_ result: AgentResult) -> String? {
        switch result.status {
        case .succeeded: return nil
        case .degraded:
            return result.fallback.map(RenderFormat.oneLine) ?? result.error.map(RenderFormat.oneLine) ?? "no fallback was recorded"
        case .failed, .skipped:
            return result.error.map(RenderFormat.oneLine) ?? result.fallback.map(RenderFormat.oneLine) ?? "no reason was recorded"
        }
    }

    static func tone(_ status: AgentStatus) -> ReportDocument.Tone {
        switch status {
        case .succeeded: return .good
        case .degraded: return .warn
        case .failed: return .bad
        case .skipped: return .neutral
        }
    }

    static func tone(runStatus: RunStatus) -> ReportDocument.Tone {
        switch runStatus {
        case .succeeded: return .good
        case .degraded: return .warn
        case .failed, .cancelled: return .bad
        case .queued, .running: return .neutral
        }
    }

    static func tone(_ severity: Severity) -> ReportDocument.Tone {
        switch severity {
        case .critical, .high: return .bad
        case .medium: return .warn
        case .low: return .info
        case .info: return .neutral
        }
    }

    /// Insights, most severe first, otherwise in the agent's order.
    static func insights(_ result: AgentResult) -> [Insight] {
        result.insights.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// Anomaly levels in reading order: the most severe first, unknown names alphabetically after.
    static func orderedLevels(_ levels: [String: Int]) -> [(level: String, count: Int)] {
        levels.map { (level: $0.key, count: $0.value) }.sorted { a, b in
            let ra = levelRank(a.level)
            let rb = levelRank(b.level)
            return ra != rb ? ra < rb : a.level < b.level
        }
    }

    static func levelRank(_ level: String) -> Int {
        switch level.lowercased() {
        case "critical": return 0
        case "high": return 1
        case "medium", "moderate": return 2
        case "low": return 3
        case "normal", "none", "ok": return 4
        default: return 5
        }
    }

    static func levelTone(_ level: String) -> ReportDocument.Tone {
        switch levelRank(level) {
        case 0, 1: return .bad
        case 2: return .warn
        case 3: return .info
        case 4: return .good
        default: return .neutral
        }
    }

    static func severityText(_ severity: Severity) -> String { severity.rawValue }
}

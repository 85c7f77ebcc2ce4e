import DecisioningCore
import Foundation
import Testing

@testable import DecisioningAgents

@Suite struct ReportRendererTests {
    let complete = RenderFixture.complete()
    let troubled = RenderFixture.troubled()
    let nothing = RenderFixture.nothing()

    // MARK: Helpers

    /// Checks that every opened element is closed in order (void elements and `<… />` aside).
    static func unbalancedTags(_ html: String) -> [String] {
        let voids: Set<String> = ["meta", "br", "hr", "img", "input", "link", "wbr"]
        var stack: [String] = []
        var problems: [String] = []
        let pattern = try! NSRegularExpression(pattern: "<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*?(/?)>")
        let ns = html as NSString
        for match in pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let closing = ns.substring(with: match.range(at: 1)) == "/"
            let name = ns.substring(with: match.range(at: 2)).lowercased()
            let selfClosing = ns.substring(with: match.range(at: 3)) == "/"
            if voids.contains(name) || selfClosing { continue }
            if closing {
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>") }
            } else {
                stack.append(name)
            }
        }
        return problems + stack.map { "<\($0)> never closed" }
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    static func assertSelfContained(_ html: String) {
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("http://"))
        #expect(!lower.contains("https://"))
        #expect(!lower.contains("url("))
        #expect(!lower.contains("@import"))
        #expect(!lower.contains("<link"))
        #expect(!lower.contains("<img"))
        #expect(!lower.contains(" src="))
        #expect(!lower.contains("javascript:"))
        #expect(html.range(of: "<[^>]*\\son[a-z]+\\s*=", options: .regularExpression) == nil)  // no event handlers
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(unbalancedTags(html).isEmpty, "\(unbalancedTags(html).prefix(5))")
        #expect(count("<svg", in: html) == count("</svg>", in: html))
    }

    // MARK: Dashboard

    @Test func dashboardShowsTheRunsFigures() {
        let html = ReportRenderer.dashboard(complete)
        // Tiles: the total revenue, compact, with the exact amount in the tooltip.
        #expect(html.contains(">$14.2M<"))
        #expect(html.contains("$14,232,500.50"))
        #expect(html.contains("Revenue, 12 months"))
        // Trend: all 12 months plus 6 forecast months are labelled, with the years.
        for month in ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"] {
            #expect(html.contains(">\(month)</text>"))
        }
        #expect(html.contains(">2025</text>") && html.contains(">2026</text>"))
        #expect(html.contains("80% interval"))
        #expect(html.contains("Sep 2026 forecast $1.48M ($1.31M – $1.65M)"))
        // Money axis labels.
        #expect(html.contains(">$1.5M</text>") || html.contains(">$1.6M</text>"))
        // Industries, with their cost efficiency.
        for industry in RenderFixture.industryNames where !industry.contains("&") {
            #expect(html.contains(industry))
        }
        #expect(html.contains("Media &amp; Entertainment"))
        #expect(html.contains(">$58.2M</text>"))
        #expect(html.contains(">1.31×</text>"))
        // Risk distribution: levels and histogram.
        #expect(html.contains(">1,239 (94%)</text>"))
        #expect(html.contains("Scores of the 20 flagged projects"))
        // Decisions: each title and its impact.
        for (title, impact) in zip(RenderFixture.decisionTitles, RenderFixture.decisionImpacts) {
            #expect(html.contains(title))
            #expect(html.contains(Figure.money(Money(approximately: impact)).formatted))
        }
        #expect(html.contains(">$1.35M<"))
        // Alerts and agent insights.
        #expect(html.contains("Manufacturing margin fell 9 points"))
        #expect(html.contains("20 projects spend far ahead of plan"))
        #expect(html.contains("Holt linear trend"))
        ReportRendererTests.assertSelfContained(html)
    }

    @Test func dashboardDrawsEveryChart() {
        let html = ReportRenderer.dashboard(complete)
        // Trend, industries, anomaly levels, score histogram.
        #expect(ReportRendererTests.count("<svg class=\"chart\"", in: html) == 4)
        #expect(html.contains("stroke-dasharray=\"7 5\""))  // the forecast line
        #expect(html.contains("fill-opacity=\"0.16\""))  // the interval band
        // No NaN or infinity leaked into coordinates.
        #expect(!html.contains("\"nan\"") && !html.contains("\"-nan\"") && !html.contains("\"inf\""))
    }

    @Test func dashboardAnomalyTableListsTheTopProjects() {
        let html = ReportRenderer.dashboard(complete)
        #expect(html.contains("Most anomalous projects"))
        #expect(html.contains("P01000"))
        #expect(html.contains("8 more flagged projects"))
        #expect(html.contains(">2.40×<"))
    }

    @Test func dashboardNamesFailedAndDegradedAgents() {
        let html = ReportRenderer.dashboard(troubled)
        // The failed agent's error, escaped, in its panels and in its card.
        let escapedError = "query failed: no such column &quot;industry_code&quot; in &lt;industry-performance&gt;"
        #expect(html.contains(escapedError))
        #expect(html.contains("The industry view is unavailable. The Strategy agent failed"))
        #expect(html.contains("<div class=\"empty bad\">"))
        #expect(html.contains(RenderFixture.intelligenceFallback))
        #expect(html.contains("<span class=\"badge bad\">failed</span>"))
        #expect(html.contains("<span class=\"badge warn\">degraded</span>"))
        // The Visualization agent was skipped: tiles come from Intelligence and Discovery.
        #expect(html.contains("The Visualization agent was skipped: disabled in the configuration."))
        #expect(html.contains(">$14.2M<"))
        // No industry chart, the others still drawn.
        #expect(!html.contains("Total budget by industry"))
        #expect(ReportRendererTests.count("<svg class=\"chart\"", in: html) == 3)
        ReportRendererTests.assertSelfContained(html)
    }

    @Test func dashboardWithNothingDrawsNoEmptyCharts() {
        let html = ReportRenderer.dashboard(nothing)
        #expect(!html.contains("<svg"))
        #expect(html.contains("The Discovery agent failed: database is locked."))
        #expect(html.contains("The Intelligence agent was skipped: requires discovery_agent, which failed."))
        #expect(html.contains("No decisions were produced"))
        ReportRendererTests.assertSelfContained(html)
    }

    @Test func dashboardWithoutAgentsAtAll() {
        var results = nothing
        results.agents = []
        let html = ReportRenderer.dashboard(results)
        #expect(html.contains("The Intelligence agent did not run in this analysis."))
        ReportRendererTests.assertSelfContained(html)
        ReportRendererTests.assertSelfContained(ReportRenderer.html(results))
        #expect(ReportRenderer.markdown(results).contains("No agent results were recorded."))
    }

    // MARK: Escaping

    @Test func htmlSpecialCharactersAreEscaped() {
        let escaped = "Tower &lt;b&gt;&amp;&quot;Co&quot;"
        for html in [ReportRenderer.dashboard(complete), ReportRenderer.html(complete)] {
            #expect(html.contains(escaped))
            #expect(!html.contains(RenderFixture.trickyName))
            #expect(!html.contains("<b>"))
        }
        // In Markdown the tag cannot become raw HTML.
        let md = ReportRenderer.markdown(complete)
        #expect(md.contains("Tower \\<b>&\"Co\""))
        #expect(!md.contains("Tower <b>"))
    }

    @Test func markdownTableCellsKeepTheirColumns() {
        var results = complete
        results.decisions[0].title = "Cut | split costs"
        let md = ReportRenderer.markdown(results)
        #expect(md.contains("Cut \\| split costs"))
    }

    // MARK: Reports

    @Test func markdownReportHasTheExecutiveSections() {
        let md = ReportRenderer.markdown(complete)
        #expect(md.hasPrefix("# Decision report: Comprehensive business analysis\n"))
        #expect(md.contains("Revenue is up 27.9% but Manufacturing is eroding the margin"))
        for heading in [
            "## Key numbers", "## Top decisions", "## Main risks", "## Next steps", "## What each agent found", "## Alerts",
            "## Appendix: how these numbers were made",
        ] {
            #expect(md.contains("\n" + heading + "\n"), "missing \(heading)")
        }
        // Key numbers, exact.
        #expect(md.contains("$14,232,500.50"))
        // Every decision with rank, title, exact impact, urgency and confidence.
        #expect(md.contains("| 1 | **Re-baseline the 6 HIGH-risk projects** | $1,184,250.00 | **CRITICAL** | 86% |"))
        for (title, impact) in zip(RenderFixture.decisionTitles, RenderFixture.decisionImpacts) {
            #expect(md.contains(title))
            #expect(md.contains(Figure.money(Money(approximately: impact)).formatted))
        }
        #expect(md.contains("- Review the six HIGH projects this week") == false)  // next steps are numbered
        #expect(md.contains("1. Review the six HIGH projects this week"))
        #expect(md.contains("- Manufacturing margin erosion (-9 points)"))
        // Agent sections and the alerts table.
        for agent in ["### Discovery", "### Intelligence", "### Strategy", "### Decision", "### Visualization", "### Executive"] {
            #expect(md.contains(agent))
        }
        #expect(md.contains("| **CRITICAL** | `project.cost_ratio` |"))
        #expect(md.contains("Largest industry by budget: **Technology**"))
    }

    @Test func appendixShowsEvidenceWithSQLAndBindings() {
        let md = ReportRenderer.markdown(complete)
        let appendix = md.components(separatedBy: "## Appendix: how these numbers were made").last ?? ""
        #expect(appendix.contains("### 1. Re-baseline the 6 HIGH-risk projects"))
        #expect(appendix.contains("**Evidence 1:** `discovery.project-costs`\n"))
        #expect(appendix.contains("Method: robust z-score (median/MAD) of cost ratios"))
        #expect(appendix.contains("- Flagged projects: **20**"))
        #expect(appendix.contains("```sql\n" + RenderFixture.anomalySQL + "\n```"))
        #expect(appendix.contains("```sql\n" + RenderFixture.industrySQL + "\n```"))
        #expect(appendix.contains("Bindings, in order: `active`, `on_hold`, `0`"))
        #expect(appendix.contains("No evidence was recorded for this decision."))
        // Balanced fences.
        #expect(ReportRendererTests.count("```", in: md) % 2 == 0)
    }

    @Test func markdownReportShowsFailuresProminently() {
        let md = ReportRenderer.markdown(troubled)
        #expect(md.contains("> **Failed:** query failed: no such column \"industry_code\" in \\<industry-performance>\n"))
        #expect(md.contains("> **Degraded:** forecast: the backtest could not run on 12 months; used a 3-month moving average\n"))
        #expect(md.contains("**RUN DEGRADED**"))
        #expect(md.contains("**Strategy failed**"))
        // Without the Executive agent the headline, risks and next steps are rebuilt from the data.
        #expect(md.contains("**5 decisions worth $4.1M in expected impact; 4 alerts (2 high or critical).**"))
        #expect(md.contains("- Project Tower"))  // risks from the high alerts (Strategy failed)
        #expect(md.contains("1. Re-baseline the 6 HIGH-risk projects"))
        #expect(md.contains("Revenue forecast, next 3 months"))
    }

    @Test func htmlReportIsSelfContainedAndComplete() {
        let html = ReportRenderer.html(complete)
        ReportRendererTests.assertSelfContained(html)
        #expect(html.contains("<title>Decision report: Comprehensive business analysis</title>"))
        #expect(html.contains("@media print"))
        #expect(html.contains("$14,232,500.50"))
        for title in RenderFixture.decisionTitles { #expect(html.contains(title)) }
        // SQL is escaped inside <pre>.
        #expect(html.contains("WHERE `p`.`start_date` &gt;= DATE_SUB(?, INTERVAL ? MONTH)"))
        #expect(html.contains("<code>2026-03-31</code>"))
        let troubledHTML = ReportRenderer.html(troubled)
        ReportRendererTests.assertSelfContained(troubledHTML)
        #expect(
            troubledHTML.contains(
                "<div class=\"callout bad\"><strong>Failed: </strong>query failed: no such column &quot;industry_code&quot;"))
        ReportRendererTests.assertSelfContained(ReportRenderer.html(nothing))
    }

    // MARK: Determinism

    /// Two inputs built independently (each fixture built afresh; the second with its dictionaries rebuilt in
    /// reverse insertion order, and a copy decoded from JSON) render to the same bytes; an input that differs by
    /// one cent does not, so the comparison can fail.
    @Test func renderingIsDeterministic() throws {
        func leaveOutMape(_ r: RunResults) -> RunResults {
            // `backtestMape` does not survive the snake-case JSON round trip (it decodes as `backtestMape`), so leave it out here.
            var results = r
            if let i = results.agents.firstIndex(where: { $0.agent == IntelligenceAgent.key.name }),
                var intelligence = results.agents[i].output(IntelligenceAgent.key)
            {
                intelligence.forecast.backtestMape = nil
                results.agents[i].data = AgentPayload(IntelligenceAgent.key, intelligence)
            }
            return results
        }
        func reversedDictionaries(_ r: RunResults) -> RunResults {
            var results = r
            if let i = results.agents.firstIndex(where: { $0.agent == DiscoveryAgent.key.name }),
                var discovery = results.agents[i].output(DiscoveryAgent.key)
            {
                var rebuilt: [String: Int] = [:]
                for key in discovery.anomalies.levels.keys.sorted().reversed() { rebuilt[key] = discovery.anomalies.levels[key] }
                discovery.anomalies.levels = rebuilt
                results.agents[i].data = AgentPayload(DiscoveryAgent.key, discovery)
            }
            return results
        }
        let builders: [(String, () -> RunResults)] = [
            ("complete", RenderFixture.complete), ("troubled", RenderFixture.troubled), ("nothing", RenderFixture.nothing),
        ]
        for (name, build) in builders {
            let a = leaveOutMape(build())
            let b = reversedDictionaries(leaveOutMape(build()))
            let copy = try RunResults.decoder().decode(RunResults.self, from: b.encoded())
            let rendered = [ReportRenderer.markdown(a), ReportRenderer.html(a), ReportRenderer.dashboard(a)]
            for other in [b, copy] {
                #expect(ReportRenderer.markdown(other) == rendered[0], "\(name): markdown")
                #expect(ReportRenderer.html(other) == rendered[1], "\(name): html")
                #expect(ReportRenderer.dashboard(other) == rendered[2], "\(name): dashboard")
            }
            // The comparison sees a one-cent change in the first decision (when there is one).
            guard !a.decisions.isEmpty else { continue }
            var changed = a
            changed.decisions[0].expectedImpact = Money(minorUnits: a.decisions[0].expectedImpact.minorUnits + 1)
            #expect(ReportRenderer.markdown(changed) != rendered[0], "\(name): markdown ignores a decision's impact")
            #expect(ReportRenderer.html(changed) != rendered[1], "\(name): html ignores a decision's impact")
        }
    }

    /// `$1,234,567.89`, always with cents, computed here from the minor units.
    static func dollars(_ m: Money) -> String {
        let units = m.minorUnits
        let cents = abs(units) % 100
        return (units < 0 ? "-$" : "$") + grouped(abs(units) / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// `2,150`: a non-negative whole number with thousands separators.
    static func grouped(_ value: Int64) -> String {
        var digits = Array(String(value))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }

    /// The report's tables carry the run's figures in their stated format, recomputed in the test from the
    /// RunResults: each decision's row, the total expected impact, and the key numbers (the executive's, and
    /// the ones rebuilt from the agents' data when the Executive agent failed).
    @Test func markdownTablesShowTheRunsFiguresInTheirFormat() throws {
        #expect(
            Self.dollars(Money(minorUnits: 1_423_250_050)) == "$14,232,500.50" && Self.dollars(Money(minorUnits: 100)) == "$1.00"
                && Self.dollars(Money(minorUnits: -123_456_789)) == "-$1,234,567.89" && Self.dollars(Money(minorUnits: 5)) == "$0.05")
        for results in [complete, troubled] {
            let md = ReportRenderer.markdown(results)
            let html = ReportRenderer.html(results)
            for d in results.decisions {
                let row =
                    "| \(d.rank) | **\(d.title)** | \(Self.dollars(d.expectedImpact)) | **\(d.urgency.rawValue.uppercased())** | \(Int((d.confidence * 100).rounded()))% | "
                #expect(md.contains(row), "missing row \(row)")
                #expect(html.contains(HTMLText.escape(d.title)) && html.contains(Self.dollars(d.expectedImpact)))
            }
            let total = Money(minorUnits: results.decisions.reduce(0) { $0 + $1.expectedImpact.minorUnits })
            #expect(
                md.contains("Total expected impact of all \(results.decisions.count) decisions: **\(Self.dollars(total))**."),
                "total \(Self.dollars(total))")
        }
        // The executive's key numbers.
        let md = ReportRenderer.markdown(complete)
        let executive = try #require(complete.executive)
        for figure in executive.keyNumbers {
            let value: String
            switch figure.figure {
            case .money(let m): value = Self.dollars(m)
            case .ratio(let r): value = String(format: "%.1f%%", r * 100)
            case .count(let c): value = String(c)
            case .number(let n): value = String(format: "%.2f", n)
            default:
                Issue.record("unexpected figure \(figure)")
                continue
            }
            #expect(md.contains("| \(figure.name) | **\(value)** |"), "\(figure.name): \(value)")
        }
        #expect(md.contains("| Revenue, 12 months | **$14,232,500.50** |"))
        // Without the Executive agent, rebuilt from Intelligence and Discovery: gross margin = revenue − costs.
        let rebuilt = ReportRenderer.markdown(troubled)
        let intelligence = try #require(troubled.intelligence)
        let discovery = try #require(troubled.discovery)
        let margin = Money(minorUnits: intelligence.trend.totalRevenue.minorUnits - intelligence.trend.totalCosts.minorUnits)
        for (label, value) in [
            ("Revenue", Self.dollars(intelligence.trend.totalRevenue)), ("Gross margin", Self.dollars(margin)),
            ("Revenue forecast, next 3 months", Self.dollars(intelligence.forecast.next3Months)),
            ("Projects", Self.grouped(discovery.landscape.totalProjects)), ("Flagged projects", String(discovery.anomalies.flagged.count)),
            ("Business health score", String(format: "%.2f", intelligence.health.score)),
            ("Data quality score", String(format: "%.2f", discovery.dataQuality.score)),
        ] {
            #expect(rebuilt.contains("| \(label) | **\(value)** |"), "\(label): \(value)")
        }
        #expect(rebuilt.contains("| Gross margin | **$3,603,100.25** |"))
    }

    @Test func outputsNameTheirFormats() {
        let outputs = ReportRenderer.outputs(complete)
        #expect(outputs.map(\.format) == ["markdown", "html", "dashboard"])
        #expect(outputs.map(\.name) == ["report.md", "report.html", "dashboard.html"])
        #expect(outputs[2].content == ReportRenderer.dashboard(complete))
    }
}

@Suite struct OutputFormattingTests {
    @Test func compactMoney() {
        #expect(RenderFormat.moneyShort(1_234_567) == "$1.23M")
        #expect(RenderFormat.moneyShort(1_350_000) == "$1.35M")
        #expect(RenderFormat.moneyShort(99_960) == "$100K")
        #expect(RenderFormat.moneyShort(14_232_500.5) == "$14.2M")
        #expect(RenderFormat.moneyShort(850_000) == "$850K")
        #expect(RenderFormat.moneyShort(999_960) == "$1M")
        #expect(RenderFormat.moneyShort(125_000_000) == "$125M")
        #expect(RenderFormat.moneyShort(2_500_000_000) == "$2.5B")
        #expect(RenderFormat.moneyShort(-3_140) == "-$3.14K")
        #expect(RenderFormat.moneyShort(0) == "$0")
        #expect(RenderFormat.moneyShort(42.5) == "$42.5")
        #expect(RenderFormat.moneyShort(.nan) == "n/a")
    }

    @Test func niceTicks() {
        #expect(AxisTicks.nice(0, 1_342_500) == [0, 500_000, 1_000_000, 1_500_000])
        #expect(AxisTicks.moneyLabels([0, 500_000, 1_000_000, 1_500_000]) == ["$0", "$0.5M", "$1M", "$1.5M"])
        #expect(AxisTicks.moneyLabels([0, 250_000, 500_000]) == ["$0", "$250K", "$500K"])
        #expect(AxisTicks.nice(0, 7, target: 4, integer: true) == [0, 2, 4, 6, 8])
        #expect(AxisTicks.nice(3.2, 9.6, target: 8) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(AxisTicks.nice(5, 5).count >= 2)
        #expect(AxisTicks.nice(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    }

    @Test func escaping() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(MarkdownText.escape("a*b* <i> [x](y) cost_ratio _x_") == "a\\*b\\* \\<i> \\[x\\](y) cost_ratio \\_x\\_")
        #expect(MarkdownText.escape("# not a heading") == "\\# not a heading")
        #expect(MarkdownText.fenced("a ``` b", language: "sql") == "````sql\na ``` b\n````")
        #expect(MarkdownText.code("x`y") == "``x`y``")
    }

    @Test func agentTitles() {
        #expect(RenderFormat.agentTitle("discovery_agent") == "Discovery")
        #expect(RenderFormat.agentTitle("data_quality_agent") == "Data Quality")
        #expect(RenderFormat.clipped("one two three four five", limit: 12) == "one two…")
    }
}

import DecisioningCore

@testable import DecisioningAgents

/// Realistic `RunResults` for the renderer tests: a complete run, a run where one agent failed and
/// one degraded, and a run where nothing finished.
enum RenderFixture {
    static let asOf = Day(year: 2026, month: 3, day: 31)!

    static func money(_ dollars: Double) -> Money { Money(approximately: dollars) }

    static let monthRevenue: [Double] = [
        1_050_000, 1_080_000, 1_120_000, 1_095_000, 1_150_000, 1_190_000,
        1_210_000, 1_180_000, 1_240_000, 1_275_000, 1_300_000, 1_342_500.50,
    ]
    static let monthCost: [Double] = [
        790_000, 805_000, 830_000, 842_000, 861_000, 880_000,
        905_000, 900_000, 921_000, 948_000, 960_000, 987_400.25,
    ]
    /// The sum of `monthRevenue`: $14,232,500.50.
    static let totalRevenue = Money(minorUnits: 1_423_250_050)
    static let totalCosts = Money(minorUnits: 1_062_940_025)

    /// A project name full of HTML special characters.
    static let trickyName = "Tower <b>&\"Co\""

    static let industryNames = [
        "Technology", "Healthcare", "Financial Services", "Retail", "Manufacturing", "Energy",
        "Education", "Logistics", "Telecommunications", "Media & Entertainment", "Construction", "Public Sector",
    ]

    static let strategyError = "query failed: no such column \"industry_code\" in <industry-performance>"
    static let intelligenceFallback = "forecast: the backtest could not run on 12 months; used a 3-month moving average"

    // MARK: Runs

    static func complete() -> RunResults {
        let decisionData = decisions()
        let agents = [
            agent(DiscoveryAgent.key, data: discovery(), insights: discoveryInsights(), confidence: 0.93, ms: 1_234),
            agent(IntelligenceAgent.key, data: intelligence(), insights: intelligenceInsights(), confidence: 0.88, ms: 2_310),
            agent(StrategyAgent.key, data: strategy(), insights: strategyInsights(), confidence: 0.81, ms: 1_870),
            agent(DecisionAgent.key, data: decisionData, insights: [], confidence: 0.86, ms: 640),
            agent(VisualizationAgent.key, data: visualization(), insights: [], confidence: 1, ms: 35),
            agent(ExecutiveAgent.key, data: executive(), insights: [], confidence: 0.9, ms: 12),
        ]
        return RunResults(
            run: run(status: .succeeded), agents: agents, decisions: decisionData.decisions, alerts: decisionData.alerts,
            executive: executive())
    }

    /// Strategy failed, Intelligence degraded; Visualization and Executive still ran.
    static func troubled() -> RunResults {
        var results = complete()
        results.run.status = .degraded
        results.agents[1].status = .degraded
        results.agents[1].fallback = intelligenceFallback
        results.agents[1].confidence = 0.6
        results.agents[2] = AgentResult(agent: "strategy_agent", status: .failed, error: strategyError, attempts: 3, durationMs: 30_000)
        // The Visualization agent did not produce tiles: the dashboard falls back to the other agents' figures.
        results.agents[4] = AgentResult(agent: "visualization_agent", status: .skipped, error: "disabled in the configuration")
        // No executive summary either: the report rebuilds headline, risks and next steps.
        results.agents[5] = AgentResult(agent: "executive_agent", status: .failed, error: "timed out after 60 s", durationMs: 60_000)
        results.executive = nil
        return results
    }

    /// Nothing finished: every panel must say why instead of drawing an empty chart.
    static func nothing() -> RunResults {
        let agents = [
            AgentResult(agent: "discovery_agent", status: .failed, error: "database is locked", attempts: 3, durationMs: 9_000),
            AgentResult(agent: "intelligence_agent", status: .skipped, error: "requires discovery_agent, which failed"),
            AgentResult(agent: "strategy_agent", status: .skipped, error: "requires discovery_agent, which failed"),
            AgentResult(agent: "decision_agent", status: .skipped, error: "requires intelligence_agent, which was skipped"),
            AgentResult(agent: "visualization_agent", status: .skipped, error: "requires decision_agent, which was skipped"),
            AgentResult(agent: "executive_agent", status: .skipped, error: "requires decision_agent, which was skipped"),
        ]
        return RunResults(run: run(status: .failed), agents: agents, decisions: [], alerts: [], executive: nil)
    }

    static func run(status: RunStatus) -> RunResults.RunInfo {
        RunResults.RunInfo(
            runId: "run-2026-03-31-7f3a", analysis: "comprehensive_business_analysis", asOf: asOf, status: status, seed: 42,
            configDigest: "9c1f0e2d4b7a6c58e3f1a2b4c6d8e0f1", database: "sqlite:demo.sqlite",
            startedAt: Timestamp(day: asOf, hour: 6, minute: 30), finishedAt: Timestamp(day: asOf, hour: 6, minute: 30, second: 9),
            durationMs: 8_421.5)
    }

    static func agent<Output>(_ key: AgentKey<Output>, data: Output, insights: [Insight], confidence: Double, ms: Double) -> AgentResult {
        AgentResult(
            agent: key.name, status: .succeeded, data: AgentPayload(key, data), insights: insights, confidence: confidence, attempts: 1,
            durationMs: ms)
    }

    // MARK: Evidence

    static let industrySQL = """
        SELECT `c`.`industry` AS `industry`, COUNT(*) AS `project_count`, SUM(`p`.`budget_amount`) AS `total_budget`,
               AVG(CAST(`p`.`actual_cost` AS DOUBLE) / `p`.`budget_amount`) AS `cost_efficiency`
        FROM `projects` AS `p` INNER JOIN `customers` AS `c` ON `p`.`customer_id` = `c`.`customer_id`
        WHERE `p`.`start_date` >= DATE_SUB(?, INTERVAL ? MONTH)
        GROUP BY `c`.`industry` HAVING COUNT(*) > ?
        """

    static let anomalySQL = """
        SELECT `project_id`, `budget_amount`, `actual_cost`, `start_date`, `end_date`
        FROM `projects` WHERE `status` IN (?, ?) AND `budget_amount` > ?
        """

    static let trendSQL = """
        SELECT DATE_FORMAT(`metric_date`, '%Y-%m-01') AS `month`, SUM(`metric_value`) AS `revenue`
        FROM `financial_metrics` WHERE `metric_type` = ? AND `metric_date` >= DATE_SUB(?, INTERVAL 12 MONTH)
        GROUP BY `month` ORDER BY `month`
        """

    static func evidenceIndustry() -> Evidence {
        Evidence(
            figures: [
                NamedFigure("Industry", .text("Manufacturing")), NamedFigure("Average cost ÷ budget", .number(1.21)),
                NamedFigure("Projects", .count(48)),
            ],
            analysis: "industry-performance", sql: industrySQL, bindings: ["2026-03-31", "24", "5"])
    }

    static func evidenceAnomaly() -> Evidence {
        Evidence(
            figures: [NamedFigure("Flagged projects", .count(20)), NamedFigure("Cost over plan", .money(money(1_184_250)))],
            analysis: "discovery.project-costs", sql: anomalySQL, bindings: ["active", "on_hold", "0"],
            method: "robust z-score (median/MAD) of cost ratios")
    }

    static func evidenceTrend() -> Evidence {
        Evidence(
            figures: [NamedFigure("Revenue, 12 months", .money(totalRevenue)), NamedFigure("Revenue growth", .ratio(0.2786))],
            analysis: "financial-trend", sql: trendSQL, bindings: ["revenue", "2026-03-31"])
    }

    // MARK: Discovery

    static func discovery() -> DiscoveryData {
        let catalog = [
            TableProfile(
                table: "customers", rows: 480, latest: "2026-03-28", daysSinceLatest: 3,
                columns: [ColumnProfile(name: "customer_id", type: "VARCHAR(20)", nullShare: 0, distinct: 480, min: "C0001", max: "C0480")]),
            TableProfile(
                table: "projects", rows: 2_150, latest: "2026-03-30", daysSinceLatest: 1,
                columns: [
                    ColumnProfile(
                        name: "budget_amount", type: "DECIMAL(15,2)", nullShare: 0.002, distinct: 2_101, min: "12000.00", max: "2450000.00")
                ]),
            TableProfile(table: "financial_metrics", rows: 96_400, latest: "2026-03-31", daysSinceLatest: 0, columns: []),
        ]
        let findings = [
            DataQualityFinding(
                check: "orphan-projects", description: "Projects whose customer does not exist", table: "projects",
                severity: .high, affectedRows: 7, ids: ["P01877", "P01902"],
                evidence: Evidence(figures: [NamedFigure("Rows", .count(7))], analysis: "discovery.orphan-projects")),
            DataQualityFinding(
                check: "negative-costs", description: "Negative actual costs", table: "projects",
                severity: .medium, affectedRows: 3, ids: ["P00412"],
                evidence: Evidence(figures: [NamedFigure("Rows", .count(3))], analysis: "discovery.negative-costs")),
        ]
        var flagged: [ProjectAnomaly] = []
        for i in 0..<20 {
            let score = 0.97 - Double(i) * 0.0235
            let budget = 180_000.0 + Double((i * 7_919) % 23) * 41_000
            let ratio = 2.4 - Double(i) * 0.055
            let expected = budget * (0.35 + Double(i % 5) * 0.1)
            flagged.append(
                ProjectAnomaly(
                    projectId: String(format: "P%05d", 1_000 + i * 37),
                    projectName: i == 0 ? trickyName : "Project \(["Atlas", "Beacon", "Cobalt", "Delta", "Ember"][i % 5]) \(i + 1)",
                    status: i % 3 == 0 ? "on_hold" : "active", industry: i == 3 ? nil : industryNames[i % industryNames.count],
                    budget: money(budget), actualCost: money(expected * ratio), expectedCostSoFar: money(expected),
                    costRatio: ratio, robustZ: 1.2 + score * 4.1, score: score, level: i < 6 ? "HIGH" : "MEDIUM",
                    customerRisk: i % 4 == 0 ? nil : 0.42))
        }
        return DiscoveryData(
            catalog: catalog, dataQuality: DataQualityReport(score: 96.4, findings: findings),
            landscape: Landscape(
                totalProjects: 2_150, totalCustomers: 480, totalBudget: money(412_500_000), totalCosts: money(371_820_400.75),
                avgRiskScore: 0.37, metricTypes: 6),
            anomalies: AnomalyReport(
                method: "robust z-score (median/MAD)", scored: 1_320,
                levels: ["HIGH": 6, "MEDIUM": 14, "LOW": 61, "NORMAL": 1_239], flagged: flagged))
    }

    static func discoveryInsights() -> [Insight] {
        [
            Insight(
                title: "20 projects spend far ahead of plan",
                detail: "Six are HIGH: their costs run at more than twice the budget share of the months elapsed.",
                severity: .high, evidence: [evidenceAnomaly()]),
            Insight(
                title: "7 projects reference missing customers", detail: "Orphan rows in projects; excluded from customer figures.",
                severity: .medium, evidence: []),
            Insight(title: "Data is fresh", detail: "financial_metrics is up to date as of the run's date.", severity: .info, evidence: []),
        ]
    }

    // MARK: Intelligence

    static func intelligence() -> IntelligenceData {
        var months: [MonthFigures] = []
        for i in 0..<12 {
            let day = Day(year: 2025, month: 4, day: 1)!.adding(months: i)
            let growth = i == 0 ? nil : (monthRevenue[i] / monthRevenue[i - 1] - 1) * 100
            months.append(
                MonthFigures(
                    month: day, revenue: money(monthRevenue[i]), cost: money(monthCost[i]),
                    avgMargin: 1 - monthCost[i] / monthRevenue[i], revenueGrowthPct: growth, costGrowthPct: nil))
        }
        var points: [ForecastPoint] = []
        for i in 0..<6 {
            let predicted = 1_360_000.0 + Double(i) * 24_000
            let spread = 60_000.0 + Double(i) * 22_000
            points.append(
                ForecastPoint(
                    month: Day(year: 2026, month: 4, day: 1)!.adding(months: i), predicted: money(predicted),
                    lower: money(predicted - spread), upper: money(predicted + spread)))
        }
        return IntelligenceData(
            trend: FinancialTrend(
                months: months, totalRevenue: totalRevenue, totalCosts: totalCosts, grossMargin: totalRevenue - totalCosts,
                grossMarginRate: 0.2532, avgMargin: 0.251, revenueGrowthRate: 2.22, costGrowthRate: 2.05),
            efficiency: OperationalEfficiency(
                completedProjects: 1_410, budget: money(268_000_000), actualCost: money(281_400_000),
                budgetVariance: money(13_400_000), budgetVarianceRate: 0.05,
                byType: [
                    TypeEfficiency(
                        projectType: "implementation", completed: 610, avgCostRatio: 1.08, overrunRate: 0.31,
                        overrunAmount: money(9_100_000))
                ],
                projectsDue: 220, overdueRunning: 34, onTimeRate: 0.84),
            customers: CustomerAnalytics(
                revenue12Months: totalRevenue, top10Share: 0.412, herfindahl: 0.031,
                topCustomers: [CustomerShare(customerId: "C0042", name: "Northwind Traders", revenue: money(1_020_000), share: 0.0717)],
                avgDaysLate: 6.5, lateCustomers: 37, lateRevenueShare: 0.12,
                creditRatings: [RatingBand(rating: "A", customers: 210, revenue: money(7_400_000), revenueShare: 0.52)],
                highRiskRevenueShare: 0.087),
            forecast: RevenueForecast(
                method: "Holt linear trend", intervalLevel: 0.8, backtestMape: 0.046, points: points,
                next3Months: money(4_152_000), next6Months: money(8_520_000)),
            health: BusinessHealth(
                score: 72.5, formula: "0.3 × growth + 0.3 × margin + 0.2 × delivery + 0.2 × concentration",
                components: [
                    HealthComponent(name: "Revenue growth", score: 81, weight: 0.3, basis: "12-month revenue growth of 27.9%"),
                    HealthComponent(name: "Margin", score: 63, weight: 0.3, basis: "gross margin rate 25.3% against a 30% target"),
                    HealthComponent(name: "Delivery", score: 84, weight: 0.2, basis: "84% of due projects finished on time"),
                    HealthComponent(name: "Concentration", score: 59, weight: 0.2, basis: "top 10 customers hold 41.2% of revenue"),
                ]))
    }

    static func intelligenceInsights() -> [Insight] {
        [
            Insight(
                title: "Revenue grew 27.9% over 12 months", detail: "Costs grew 25.0%, so the gross margin widened slightly.",
                severity: .info, evidence: [evidenceTrend()]),
            Insight(
                title: "Top 10 customers hold 41% of revenue", detail: "Concentration is moderate; Northwind Traders alone holds 7.2%.",
                severity: .medium, evidence: []),
        ]
    }

    // MARK: Strategy

    static func strategy() -> StrategyData {
        let budgets: [Double] = [
            58_200_000, 44_900_000, 41_300_000, 36_750_000, 33_100_000, 29_800_000,
            24_400_000, 21_900_000, 18_600_000, 15_250_000, 12_800_000, 9_450_000,
        ]
        let efficiency: [Double?] = [0.97, 1.04, 0.99, 1.12, 1.21, 1.06, 0.94, 1.15, 1.02, nil, 1.31, 0.91]
        let industries = industryNames.indices.map { i in
            IndustryFigures(
                industry: industryNames[i], projectCount: Int64(40 + (i * 13) % 170), totalBudget: money(budgets[i]),
                costEfficiency: efficiency[i], revenueVolatility: 12_000 + Double(i) * 1_500)
        }
        return StrategyData(
            industries: industries,
            drivers: DriverAnalysis(
                metric: "gross margin rate", periodBefore: "2024-04 – 2025-03", periodAfter: "2025-04 – 2026-03",
                marginRateBefore: 0.271, marginRateAfter: 0.2532, change: -0.0178,
                dimensions: [
                    DriverDimension(
                        dimension: "industry",
                        segments: [
                            DriverSegment(
                                segment: "Manufacturing", revenueBefore: money(2_100_000), revenueAfter: money(2_600_000),
                                marginRateBefore: 0.24, marginRateAfter: 0.15, contribution: -0.014,
                                rateEffect: -0.0117, mixEffect: -0.0023)
                        ])
                ],
                topDriver: "Manufacturing"),
            correlationThreshold: 0.5,
            correlations: [Correlation(a: "budget_amount", b: "actual_cost", r: 0.93, n: 2_150)],
            risks: [
                StrategyItem(
                    title: "Manufacturing margin erosion", detail: "Margin fell from 24% to 15% while revenue grew.",
                    impact: money(1_350_000))
            ],
            opportunities: [
                StrategyItem(title: "Expand Healthcare", detail: "Lowest cost overruns with steady demand.", impact: money(900_000))
            ])
    }

    static func strategyInsights() -> [Insight] {
        [
            Insight(
                title: "Manufacturing drives the margin drop", detail: "It accounts for -1.4 of the -1.8 points of margin-rate change.",
                severity: .high,
                evidence: [evidenceIndustry()])
        ]
    }

    // MARK: Decision

    static let decisionTitles = [
        "Re-baseline the 6 HIGH-risk projects",
        "Renegotiate Manufacturing contracts",
        "Chase late payers in the top 50 accounts",
        "Grow the Healthcare practice",
        "Fix orphan project records",
    ]
    static let decisionImpacts: [Double] = [1_184_250, 1_350_000, 640_000, 900_000, 25_000]

    static func decisions() -> DecisionData {
        let categories = ["cost control", "margin", "cash", "growth", "data quality"]
        let evidence: [[Evidence]] = [
            [evidenceAnomaly()], [evidenceIndustry(), evidenceTrend()], [evidenceTrend()], [evidenceIndustry()], [],
        ]
        let urgency: [Severity] = [.critical, .high, .medium, .medium, .low]
        var decisions: [Decision] = []
        for i in 0..<5 {
            decisions.append(
                Decision(
                    id: "D\(i + 1)", rank: i + 1, title: decisionTitles[i], category: categories[i],
                    rationale: "Ranked by expected impact × confidence; "
                        + [
                            "20 projects run at up to 2.4× their budget share.",
                            "Margin fell 9 points in Manufacturing.",
                            "12% of revenue comes from customers paying late.",
                            "Healthcare has the lowest overruns.",
                            "Seven rows reference missing customers.",
                        ][i],
                    expectedImpact: money(decisionImpacts[i]), urgency: urgency[i], risk: [.low, .medium, .low, .medium, .info][i],
                    confidence: [0.86, 0.78, 0.7, 0.62, 0.95][i], score: 9.1 - Double(i) * 1.4, evidence: evidence[i]))
        }
        let alerts = [
            Alert(
                id: "A1", severity: .critical, rule: "project.cost_ratio", message: "Project \(trickyName) runs at 2.4× its budget share",
                entityType: "project", entityId: "P01000", observed: 2.4, threshold: 1.5),
            Alert(
                id: "A2", severity: .high, rule: "industry.margin_drop", message: "Manufacturing margin fell 9 points",
                entityType: "industry",
                entityId: "Manufacturing", observed: -0.09, threshold: -0.05),
            Alert(
                id: "A3", severity: .medium, rule: "customers.concentration", message: "Top 10 customers hold 41% of revenue",
                entityType: nil, entityId: nil, observed: 0.412, threshold: 0.4),
            Alert(
                id: "A4", severity: .low, rule: "data.orphans", message: "7 projects reference missing customers", entityType: "table",
                entityId: "projects", observed: 7, threshold: 0),
        ]
        return DecisionData(decisions: decisions, alerts: alerts, predictionsStored: 6)
    }

    // MARK: Visualization and Executive

    static func visualization() -> VisualizationData {
        VisualizationData(
            tiles: [
                Tile(label: "Revenue, 12 months", value: .money(totalRevenue), note: "+27.9% year on year"),
                Tile(label: "Gross margin", value: .ratio(0.2532), note: "-1.8 pp"),
                Tile(label: "Forecast, next 3 months", value: .money(money(4_152_000)), note: "80% interval"),
                Tile(label: "Business health", value: .number(72.5), note: "out of 100"),
                Tile(label: "Flagged projects", value: .count(20), note: "6 HIGH"),
                Tile(label: "Data quality", value: .number(96.4), note: nil),
            ], charts: ["revenue-trend", "industry-budget", "risk-distribution"])
    }

    static func executive() -> ExecutiveData {
        ExecutiveData(
            headline: "Revenue is up 27.9% but Manufacturing is eroding the margin; act on 5 decisions worth $4.1M.",
            keyNumbers: [
                NamedFigure("Revenue, 12 months", .money(totalRevenue)), NamedFigure("Gross margin rate", .ratio(0.2532)),
                NamedFigure("Projects flagged", .count(20)), NamedFigure("Business health", .number(72.5)),
            ],
            topDecisions: decisionTitles,
            risks: ["Manufacturing margin erosion (-9 points)", "Six projects at more than twice their budget share"],
            nextSteps: ["Review the six HIGH projects this week", "Open renegotiation with the top Manufacturing accounts"])
    }
}

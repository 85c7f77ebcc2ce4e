public import DecisioningCore

/// The typed output of one agent: exactly one member is set, named after the agent.
public struct AgentData: Sendable, Codable {
    public var discovery: DiscoveryData?
    public var intelligence: IntelligenceData?
    public var strategy: StrategyData?
    public var decision: DecisionData?
    public var visualization: VisualizationData?
    public var executive: ExecutiveData?

    public init(
        discovery: DiscoveryData? = nil, intelligence: IntelligenceData? = nil, strategy: StrategyData? = nil,
        decision: DecisionData? = nil, visualization: VisualizationData? = nil, executive: ExecutiveData? = nil
    ) {
        self.discovery = discovery
        self.intelligence = intelligence
        self.strategy = strategy
        self.decision = decision
        self.visualization = visualization
        self.executive = executive
    }
}

// MARK: - Discovery

public struct DiscoveryData: Sendable, Codable {
    public var catalog: [TableProfile]
    public var dataQuality: DataQualityReport
    public var landscape: Landscape
    public var anomalies: AnomalyReport

    public init(catalog: [TableProfile], dataQuality: DataQualityReport, landscape: Landscape, anomalies: AnomalyReport) {
        self.catalog = catalog
        self.dataQuality = dataQuality
        self.landscape = landscape
        self.anomalies = anomalies
    }
}

public struct TableProfile: Sendable, Codable {
    public var table: String
    public var rows: Int64
    /// The latest date or timestamp in the table, and how many days before as-of it is.
    public var latest: String?
    public var daysSinceLatest: Int?
    public var columns: [ColumnProfile]

    public init(table: String, rows: Int64, latest: String? = nil, daysSinceLatest: Int? = nil, columns: [ColumnProfile]) {
        self.table = table
        self.rows = rows
        self.latest = latest
        self.daysSinceLatest = daysSinceLatest
        self.columns = columns
    }
}

public struct ColumnProfile: Sendable, Codable {
    public var name: String
    public var type: String
    public var nullShare: Double
    public var distinct: Int64?
    public var min: String?
    public var max: String?

    public init(name: String, type: String, nullShare: Double, distinct: Int64? = nil, min: String? = nil, max: String? = nil) {
        self.name = name
        self.type = type
        self.nullShare = nullShare
        self.distinct = distinct
        self.min = min
        self.max = max
    }
}

public struct DataQualityReport: Sendable, Codable {
    /// 100 × (1 − weighted share of rows with a finding); the weights are in docs/agents.md.
    public var score: Double
    public var findings: [DataQualityFinding]

    public init(score: Double, findings: [DataQualityFinding]) {
        self.score = score
        self.findings = findings
    }
}

public struct DataQualityFinding: Sendable, Codable {
    public var check: String
    public var description: String
    public var table: String
    public var severity: Severity
    public var affectedRows: Int64
    /// Every affected id, up to 200.
    public var ids: [String]
    public var evidence: Evidence

    public init(
        check: String, description: String, table: String, severity: Severity, affectedRows: Int64, ids: [String], evidence: Evidence
    ) {
        self.check = check
        self.description = description
        self.table = table
        self.severity = severity
        self.affectedRows = affectedRows
        self.ids = ids
        self.evidence = evidence
    }
}

public struct Landscape: Sendable, Codable {
    public var totalProjects: Int64
    public var totalCustomers: Int64
    public var totalBudget: Money
    public var totalCosts: Money
    public var avgRiskScore: Double?
    public var metricTypes: Int64

    public init(
        totalProjects: Int64, totalCustomers: Int64, totalBudget: Money, totalCosts: Money, avgRiskScore: Double? = nil, metricTypes: Int64
    ) {
        self.totalProjects = totalProjects
        self.totalCustomers = totalCustomers
        self.totalBudget = totalBudget
        self.totalCosts = totalCosts
        self.avgRiskScore = avgRiskScore
        self.metricTypes = metricTypes
    }
}

public struct AnomalyReport: Sendable, Codable {
    public var method: String
    public var scored: Int
    public var levels: [String: Int]
    /// HIGH and MEDIUM projects, highest score first.
    public var flagged: [ProjectAnomaly]

    public init(method: String, scored: Int, levels: [String: Int], flagged: [ProjectAnomaly]) {
        self.method = method
        self.scored = scored
        self.levels = levels
        self.flagged = flagged
    }
}

public struct ProjectAnomaly: Sendable, Codable {
    public var projectId: String
    public var projectName: String
    public var status: String
    public var industry: String?
    public var budget: Money
    public var actualCost: Money
    /// The budget share of the months elapsed.
    public var expectedCostSoFar: Money
    /// Actual cost over the budget share so far.
    public var costRatio: Double
    public var robustZ: Double
    public var score: Double
    public var level: String
    public var customerRisk: Double?

    public init(
        projectId: String, projectName: String, status: String, industry: String? = nil, budget: Money, actualCost: Money,
        expectedCostSoFar: Money, costRatio: Double, robustZ: Double, score: Double, level: String, customerRisk: Double? = nil
    ) {
        self.projectId = projectId
        self.projectName = projectName
        self.status = status
        self.industry = industry
        self.budget = budget
        self.actualCost = actualCost
        self.expectedCostSoFar = expectedCostSoFar
        self.costRatio = costRatio
        self.robustZ = robustZ
        self.score = score
        self.level = level
        self.customerRisk = customerRisk
    }
}

// MARK: - Intelligence

public struct IntelligenceData: Sendable, Codable {
    public var trend: FinancialTrend
    public var efficiency: OperationalEfficiency
    public var customers: CustomerAnalytics
    public var forecast: RevenueForecast
    public var health: BusinessHealth

    public init(
        trend: FinancialTrend, efficiency: OperationalEfficiency, customers: CustomerAnalytics, forecast: RevenueForecast,
        health: BusinessHealth
    ) {
        self.trend = trend
        self.efficiency = efficiency
        self.customers = customers
        self.forecast = forecast
        self.health = health
    }
}

public struct MonthFigures: Sendable, Codable {
    public var month: Day
    public var revenue: Money
    public var cost: Money
    public var avgMargin: Double?
    public var revenueGrowthPct: Double?
    public var costGrowthPct: Double?

    public init(
        month: Day, revenue: Money, cost: Money, avgMargin: Double? = nil, revenueGrowthPct: Double? = nil, costGrowthPct: Double? = nil
    ) {
        self.month = month
        self.revenue = revenue
        self.cost = cost
        self.avgMargin = avgMargin
        self.revenueGrowthPct = revenueGrowthPct
        self.costGrowthPct = costGrowthPct
    }
}

public struct FinancialTrend: Sendable, Codable {
    public var months: [MonthFigures]
    public var totalRevenue: Money
    public var totalCosts: Money
    public var grossMargin: Money
    public var grossMarginRate: Double?
    public var avgMargin: Double?
    public var revenueGrowthRate: Double?
    public var costGrowthRate: Double?

    public init(
        months: [MonthFigures], totalRevenue: Money, totalCosts: Money, grossMargin: Money, grossMarginRate: Double? = nil,
        avgMargin: Double? = nil, revenueGrowthRate: Double? = nil, costGrowthRate: Double? = nil
    ) {
        self.months = months
        self.totalRevenue = totalRevenue
        self.totalCosts = totalCosts
        self.grossMargin = grossMargin
        self.grossMarginRate = grossMarginRate
        self.avgMargin = avgMargin
        self.revenueGrowthRate = revenueGrowthRate
        self.costGrowthRate = costGrowthRate
    }
}

public struct TypeEfficiency: Sendable, Codable {
    public var projectType: String
    public var completed: Int64
    public var avgCostRatio: Double?
    public var overrunRate: Double
    public var overrunAmount: Money

    public init(projectType: String, completed: Int64, avgCostRatio: Double? = nil, overrunRate: Double, overrunAmount: Money) {
        self.projectType = projectType
        self.completed = completed
        self.avgCostRatio = avgCostRatio
        self.overrunRate = overrunRate
        self.overrunAmount = overrunAmount
    }
}

public struct OperationalEfficiency: Sendable, Codable {
    public var completedProjects: Int64
    public var budget: Money
    public var actualCost: Money
    public var budgetVariance: Money
    public var budgetVarianceRate: Double?
    public var byType: [TypeEfficiency]
    public var projectsDue: Int64
    public var overdueRunning: Int64
    public var onTimeRate: Double?

    public init(
        completedProjects: Int64, budget: Money, actualCost: Money, budgetVariance: Money, budgetVarianceRate: Double? = nil,
        byType: [TypeEfficiency], projectsDue: Int64, overdueRunning: Int64, onTimeRate: Double? = nil
    ) {
        self.completedProjects = completedProjects
        self.budget = budget
        self.actualCost = actualCost
        self.budgetVariance = budgetVariance
        self.budgetVarianceRate = budgetVarianceRate
        self.byType = byType
        self.projectsDue = projectsDue
        self.overdueRunning = overdueRunning
        self.onTimeRate = onTimeRate
    }
}

public struct CustomerShare: Sendable, Codable {
    public var customerId: String
    public var name: String
    public var revenue: Money
    public var share: Double

    public init(customerId: String, name: String, revenue: Money, share: Double) {
        self.customerId = customerId
        self.name = name
        self.revenue = revenue
        self.share = share
    }
}

public struct RatingBand: Sendable, Codable {
    public var rating: String
    public var customers: Int64
    public var revenue: Money
    public var revenueShare: Double

    public init(rating: String, customers: Int64, revenue: Money, revenueShare: Double) {
        self.rating = rating
        self.customers = customers
        self.revenue = revenue
        self.revenueShare = revenueShare
    }
}

public struct CustomerAnalytics: Sendable, Codable {
    public var revenue12Months: Money
    public var top10Share: Double
    public var herfindahl: Double
    public var topCustomers: [CustomerShare]
    public var avgDaysLate: Double?
    public var lateCustomers: Int64
    public var lateRevenueShare: Double
    public var creditRatings: [RatingBand]
    public var highRiskRevenueShare: Double

    public init(
        revenue12Months: Money, top10Share: Double, herfindahl: Double, topCustomers: [CustomerShare], avgDaysLate: Double? = nil,
        lateCustomers: Int64, lateRevenueShare: Double, creditRatings: [RatingBand], highRiskRevenueShare: Double
    ) {
        self.revenue12Months = revenue12Months
        self.top10Share = top10Share
        self.herfindahl = herfindahl
        self.topCustomers = topCustomers
        self.avgDaysLate = avgDaysLate
        self.lateCustomers = lateCustomers
        self.lateRevenueShare = lateRevenueShare
        self.creditRatings = creditRatings
        self.highRiskRevenueShare = highRiskRevenueShare
    }
}

public struct ForecastPoint: Sendable, Codable {
    public var month: Day
    public var predicted: Money
    public var lower: Money
    public var upper: Money

    public init(month: Day, predicted: Money, lower: Money, upper: Money) {
        self.month = month
        self.predicted = predicted
        self.lower = lower
        self.upper = upper
    }
}

public struct RevenueForecast: Sendable, Codable {
    public var method: String
    public var intervalLevel: Double
    public var backtestMape: Double?
    public var points: [ForecastPoint]
    public var next3Months: Money
    public var next6Months: Money

    public init(
        method: String, intervalLevel: Double, backtestMape: Double? = nil, points: [ForecastPoint], next3Months: Money, next6Months: Money
    ) {
        self.method = method
        self.intervalLevel = intervalLevel
        self.backtestMape = backtestMape
        self.points = points
        self.next3Months = next3Months
        self.next6Months = next6Months
    }
}

public struct HealthComponent: Sendable, Codable {
    public var name: String
    public var score: Double
    public var weight: Double
    public var basis: String

    public init(name: String, score: Double, weight: Double, basis: String) {
        self.name = name
        self.score = score
        self.weight = weight
        self.basis = basis
    }
}

public struct BusinessHealth: Sendable, Codable {
    public var score: Double
    public var formula: String
    public var components: [HealthComponent]

    public init(score: Double, formula: String, components: [HealthComponent]) {
        self.score = score
        self.formula = formula
        self.components = components
    }
}

// MARK: - Strategy

public struct IndustryFigures: Sendable, Codable {
    public var industry: String
    public var projectCount: Int64
    public var totalBudget: Money
    public var costEfficiency: Double?
    public var revenueVolatility: Double?

    public init(industry: String, projectCount: Int64, totalBudget: Money, costEfficiency: Double? = nil, revenueVolatility: Double? = nil)
    {
        self.industry = industry
        self.projectCount = projectCount
        self.totalBudget = totalBudget
        self.costEfficiency = costEfficiency
        self.revenueVolatility = revenueVolatility
    }
}

public struct DriverSegment: Sendable, Codable {
    public var segment: String
    public var revenueBefore: Money
    public var revenueAfter: Money
    public var marginRateBefore: Double?
    public var marginRateAfter: Double?
    /// This segment's part of the change in the overall margin rate (the parts add up to it):
    /// `rateEffect + mixEffect`.
    public var contribution: Double
    /// Revenue share after × change of the segment's own margin rate: what changed inside the segment.
    public var rateEffect: Double
    /// Change of the revenue share × the segment's rate before: what changed in the mix.
    public var mixEffect: Double

    public init(
        segment: String, revenueBefore: Money, revenueAfter: Money, marginRateBefore: Double? = nil, marginRateAfter: Double? = nil,
        contribution: Double, rateEffect: Double, mixEffect: Double
    ) {
        self.segment = segment
        self.revenueBefore = revenueBefore
        self.revenueAfter = revenueAfter
        self.marginRateBefore = marginRateBefore
        self.marginRateAfter = marginRateAfter
        self.contribution = contribution
        self.rateEffect = rateEffect
        self.mixEffect = mixEffect
    }
}

public struct DriverDimension: Sendable, Codable {
    public var dimension: String
    public var segments: [DriverSegment]

    public init(dimension: String, segments: [DriverSegment]) {
        self.dimension = dimension
        self.segments = segments
    }
}

public struct DriverAnalysis: Sendable, Codable {
    public var metric: String
    public var periodBefore: String
    public var periodAfter: String
    public var marginRateBefore: Double?
    public var marginRateAfter: Double?
    public var change: Double?
    public var dimensions: [DriverDimension]
    public var topDriver: String?

    public init(
        metric: String, periodBefore: String, periodAfter: String, marginRateBefore: Double? = nil, marginRateAfter: Double? = nil,
        change: Double? = nil, dimensions: [DriverDimension], topDriver: String? = nil
    ) {
        self.metric = metric
        self.periodBefore = periodBefore
        self.periodAfter = periodAfter
        self.marginRateBefore = marginRateBefore
        self.marginRateAfter = marginRateAfter
        self.change = change
        self.dimensions = dimensions
        self.topDriver = topDriver
    }
}

public struct Correlation: Sendable, Codable {
    public var a: String
    public var b: String
    public var r: Double
    public var n: Int

    public init(a: String, b: String, r: Double, n: Int) {
        self.a = a
        self.b = b
        self.r = r
        self.n = n
    }
}

public struct StrategyItem: Sendable, Codable {
    public var title: String
    public var detail: String
    public var impact: Money?

    public init(title: String, detail: String, impact: Money? = nil) {
        self.title = title
        self.detail = detail
        self.impact = impact
    }
}

public struct ProjectRisk: Sendable, Codable {
    public var projectId: String
    public var projectName: String
    public var projectType: String
    /// Probability of finishing more than 10% over budget.
    public var probability: Double
    public var budget: Money
    public var expectedOverrun: Money
    /// The features that pushed this project's risk up most.
    public var topFactors: [String]

    public init(
        projectId: String, projectName: String, projectType: String, probability: Double, budget: Money, expectedOverrun: Money,
        topFactors: [String]
    ) {
        self.projectId = projectId
        self.projectName = projectName
        self.projectType = projectType
        self.probability = probability
        self.budget = budget
        self.expectedOverrun = expectedOverrun
        self.topFactors = topFactors
    }
}

public struct OverrunRisk: Sendable, Codable {
    public var modelId: String
    public var model: String
    public var metric: String
    public var crossValidatedScore: Double
    public var reason: String
    public var trials: [String]
    public var averageOverrunRate: Double
    public var scoredProjects: Int
    public var probabilityThreshold: Double
    public var atRiskProjects: Int
    public var atRiskExpectedOverrun: Money
    public var totalExpectedOverrun: Money
    public var importance: [NamedFigure]
    /// The running projects with the largest expected overrun, at most 50.
    public var top: [ProjectRisk]

    public init(
        modelId: String, model: String, metric: String, crossValidatedScore: Double, reason: String, trials: [String],
        averageOverrunRate: Double,
        scoredProjects: Int, probabilityThreshold: Double, atRiskProjects: Int, atRiskExpectedOverrun: Money, totalExpectedOverrun: Money,
        importance: [NamedFigure], top: [ProjectRisk]
    ) {
        self.modelId = modelId
        self.model = model
        self.metric = metric
        self.crossValidatedScore = crossValidatedScore
        self.reason = reason
        self.trials = trials
        self.averageOverrunRate = averageOverrunRate
        self.scoredProjects = scoredProjects
        self.probabilityThreshold = probabilityThreshold
        self.atRiskProjects = atRiskProjects
        self.atRiskExpectedOverrun = atRiskExpectedOverrun
        self.totalExpectedOverrun = totalExpectedOverrun
        self.importance = importance
        self.top = top
    }
}

public struct StrategyData: Sendable, Codable {
    public var industries: [IndustryFigures]
    /// The overrun-risk model's view of the running projects (nil when it could not be trained).
    public var overrunRisk: OverrunRisk? = nil
    public var drivers: DriverAnalysis
    public var correlationThreshold: Double
    public var correlations: [Correlation]
    public var risks: [StrategyItem]
    public var opportunities: [StrategyItem]

    public init(
        industries: [IndustryFigures], drivers: DriverAnalysis, correlationThreshold: Double, correlations: [Correlation],
        risks: [StrategyItem], opportunities: [StrategyItem]
    ) {
        self.industries = industries
        self.drivers = drivers
        self.correlationThreshold = correlationThreshold
        self.correlations = correlations
        self.risks = risks
        self.opportunities = opportunities
    }
}

// MARK: - Decision

public struct Decision: Sendable, Codable {
    public var id: String
    public var rank: Int
    public var title: String
    public var category: String
    public var rationale: String
    public var expectedImpact: Money
    public var urgency: Severity
    public var risk: Severity
    public var confidence: Double
    public var score: Double
    public var evidence: [Evidence]

    public init(
        id: String, rank: Int, title: String, category: String, rationale: String, expectedImpact: Money, urgency: Severity, risk: Severity,
        confidence: Double, score: Double, evidence: [Evidence]
    ) {
        self.id = id
        self.rank = rank
        self.title = title
        self.category = category
        self.rationale = rationale
        self.expectedImpact = expectedImpact
        self.urgency = urgency
        self.risk = risk
        self.confidence = confidence
        self.score = score
        self.evidence = evidence
    }
}

public struct Alert: Sendable, Codable {
    public var id: String
    public var severity: Severity
    public var rule: String
    public var message: String
    public var entityType: String?
    public var entityId: String?
    public var observed: Double?
    public var threshold: Double?

    public init(
        id: String, severity: Severity, rule: String, message: String, entityType: String? = nil, entityId: String? = nil,
        observed: Double? = nil, threshold: Double? = nil
    ) {
        self.id = id
        self.severity = severity
        self.rule = rule
        self.message = message
        self.entityType = entityType
        self.entityId = entityId
        self.observed = observed
        self.threshold = threshold
    }
}

public struct DecisionData: Sendable, Codable {
    public var decisions: [Decision]
    public var alerts: [Alert]
    public var predictionsStored: Int

    public init(decisions: [Decision], alerts: [Alert], predictionsStored: Int) {
        self.decisions = decisions
        self.alerts = alerts
        self.predictionsStored = predictionsStored
    }
}

// MARK: - Visualization and Executive

public struct Tile: Sendable, Codable {
    public var label: String
    public var value: Figure
    public var note: String?

    public init(label: String, value: Figure, note: String? = nil) {
        self.label = label
        self.value = value
        self.note = note
    }
}

public struct VisualizationData: Sendable, Codable {
    public var tiles: [Tile]
    public var charts: [String]

    public init(tiles: [Tile], charts: [String]) {
        self.tiles = tiles
        self.charts = charts
    }
}

public struct ExecutiveData: Sendable, Codable {
    public var headline: String
    public var keyNumbers: [NamedFigure]
    public var topDecisions: [String]
    public var risks: [String]
    public var nextSteps: [String]

    public init(headline: String, keyNumbers: [NamedFigure], topDecisions: [String], risks: [String], nextSteps: [String]) {
        self.headline = headline
        self.keyNumbers = keyNumbers
        self.topDecisions = topDecisions
        self.risks = risks
        self.nextSteps = nextSteps
    }
}

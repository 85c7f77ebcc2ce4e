public import DecisioningCore

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
    /// The most similar completed projects and how they ended, beside the model's probability.
    public var precedent: Precedent?

    public init(
        projectId: String, projectName: String, projectType: String, probability: Double, budget: Money, expectedOverrun: Money,
        topFactors: [String], precedent: Precedent? = nil
    ) {
        self.projectId = projectId
        self.projectName = projectName
        self.projectType = projectType
        self.probability = probability
        self.budget = budget
        self.expectedOverrun = expectedOverrun
        self.topFactors = topFactors
        self.precedent = precedent
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

public import DecisioningCore

/// Intelligence's output: the financial trend, operational efficiency, customer analytics, the
/// revenue forecast and the business health score.
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

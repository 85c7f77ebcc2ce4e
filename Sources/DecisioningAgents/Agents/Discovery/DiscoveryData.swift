public import DecisioningCore

/// Discovery's output: the catalog of the operational tables, the data-quality findings and score,
/// the data landscape, what the money fields mean against the ledger, and the running projects with
/// anomalous cost.
public struct DiscoveryData: Sendable, Codable {
    public var catalog: [TableProfile]
    public var dataQuality: DataQualityReport
    public var landscape: Landscape
    public var anomalies: AnomalyReport
    /// How `projects.actual_cost` and `customer_analytics.total_revenue` read against the ledger
    /// (nil in results written before the reconciliation existed).
    public var ledgerReconciliation: LedgerReconciliation?

    public init(
        catalog: [TableProfile], dataQuality: DataQualityReport, landscape: Landscape, anomalies: AnomalyReport,
        ledgerReconciliation: LedgerReconciliation? = nil
    ) {
        self.catalog = catalog
        self.dataQuality = dataQuality
        self.landscape = landscape
        self.anomalies = anomalies
        self.ledgerReconciliation = ledgerReconciliation
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
    /// How many of the first flagged projects get a precedent.
    public static let precedentCount = 20

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
    /// `projects.actual_cost` as stored (the cost to date or the estimate at completion: see `costBasis`).
    public var actualCost: Money
    /// The budget share of the months elapsed.
    public var expectedCostSoFar: Money
    /// Cost to date over the budget share so far (under `estimate_at_completion`: the estimate over the budget).
    public var costRatio: Double
    public var robustZ: Double
    public var score: Double
    public var level: String
    public var customerRisk: Double?
    /// The cost to date the ratio is computed from.
    public var costToDate: Money?
    /// Where `costToDate` comes from: `actual_cost`, `ledger` (COST rows booked by as-of),
    /// `ledger_extrapolated` (a partial ledger scaled to the months elapsed) or `estimate_at_completion`
    /// (actual_cost is the estimate at completion and no complete ledger exists: estimate × budget share).
    public var costBasis: String?
    /// The estimate at completion, when actual_cost holds one.
    public var estimateAtCompletion: Money?
    /// The most similar completed projects and how they ended (for the first `AnomalyReport.precedentCount` flagged).
    public var precedent: Precedent?

    public init(
        projectId: String, projectName: String, status: String, industry: String? = nil, budget: Money, actualCost: Money,
        expectedCostSoFar: Money, costRatio: Double, robustZ: Double, score: Double, level: String, customerRisk: Double? = nil,
        costToDate: Money? = nil, costBasis: String? = nil, estimateAtCompletion: Money? = nil
    ) {
        self.costToDate = costToDate
        self.costBasis = costBasis
        self.estimateAtCompletion = estimateAtCompletion
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

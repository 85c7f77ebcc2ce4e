public import DecisioningCore
public import Foundation

/// What the generator planted, written beside the database and never into its tables.
///
/// Later stages are tested against it: Discovery must find `anomalousProjects`, the overrun model
/// must rank `overrun.overrunProjects` high, the driver analysis must name `marginDrop.industry`,
/// and the data-quality checks must report every id in `dataQuality`.
public struct GroundTruth: Codable, Sendable, Equatable {
    public struct Overrun: Codable, Sendable, Equatable {
        public var definition = "status = COMPLETED and actual_cost > 1.10 * budget_amount"
        public var drivers = [
            "customer risk_score (log-odds +4.2 per unit)",
            "average_payment_days - payment_terms (+0.045 per day)",
            "project_type (MIGRATION, IMPLEMENTATION, INTEGRATION, RESEARCH raise it; CONSULTING, MAINTENANCE lower it)",
            "log budget relative to the type's median (+0.55)",
        ]
        public var completedProjects = 0
        public var overrunProjects: [String] = []
    }

    public struct MarginDrop: Codable, Sendable, Equatable {
        public var industry: String
        /// First day of the first and of the last month of the quarter with the drop.
        public var firstMonth: String
        public var lastMonth: String
        public var revenueFactor: Double
        public var costFactor: Double
    }

    public struct DataQuality: Codable, Sendable, Equatable {
        public var orphanCustomerProjects: [String] = []
        public var duplicateCustomers: [[String]] = []
        public var negativeBudgetProjects: [String] = []
        public var endBeforeStartProjects: [String] = []
        public var riskScoreOutOfRangeCustomers: [String] = []
        public var negativePaymentDaysCustomers: [String] = []
    }

    public var generatorVersion = 1
    public var seed: UInt64
    public var scale: Double
    public var asOf: Day
    public var counts: [String: Int] = [:]
    /// What running projects' `actual_cost` holds (`to-date` or `at-completion`); nil in truth files
    /// written before the option existed, which were all `to-date`.
    public var actualCostConvention: ActualCostConvention?
    /// ACTIVE / IN_PROGRESS projects whose cost booked so far (the COST ledger) is 1.6-3x their budget share so far.
    public var anomalousProjects: [String] = []
    public var overrun = Overrun()
    public var marginDrop = MarginDrop(industry: "", firstMonth: "", lastMonth: "", revenueFactor: 1, costFactor: 1)
    public var dataQuality = DataQuality()

    init(spec: GeneratorSpec) {
        seed = spec.seed
        scale = spec.scale
        asOf = spec.asOf
        actualCostConvention = spec.actualCost
    }

    /// Stable JSON: sorted keys, so the same seed gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    public static func load(path: String) throws -> GroundTruth {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(GroundTruth.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Where the truth file of a database lives: `decisioning.sqlite` → `decisioning.truth.json`.
    public static func path(besideDatabase path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().path + ".truth.json"
    }
}

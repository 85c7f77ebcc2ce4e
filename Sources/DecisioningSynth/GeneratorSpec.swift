public import DecisioningCore

/// What to generate: a scale (1 = 10,000 customers, 100,000 projects, ~5,000,000 metrics, 1,000,000 events), a seed and the as-of date.
public struct GeneratorSpec: Sendable, Hashable {
    public var scale: Double
    public var seed: UInt64
    public var asOf: Day
    /// The first day any project may start.
    public var historyStart = Day(year: 2023, month: 1, day: 1)!
    /// What running projects' `actual_cost` holds: the cost booked to date (default) or the estimate at completion.
    public var actualCost: ActualCostConvention

    public init(scale: Double, seed: UInt64, asOf: Day, actualCost: ActualCostConvention = .toDate) {
        self.scale = scale
        self.seed = seed
        self.asOf = asOf
        self.actualCost = actualCost
    }

    public var customerCount: Int { max(12, Int((10_000 * scale).rounded())) }
    public var projectCount: Int { max(40, Int((100_000 * scale).rounded())) }
    public var eventCount: Int { max(100, Int((1_000_000 * scale).rounded())) }

    /// How many of each data-quality fault to plant: a handful, growing slowly with scale.
    var faultCount: Int { max(2, Int((4 * scale).rounded())) }

    /// The last as-of date the generator accepts: 50 years of history, beyond which compounded
    /// growth would take amounts past DECIMAL(15,2).
    public var latestAsOf: Day { Day(year: historyStart.year + 50, month: 12, day: 31) ?? historyStart }

    /// Checks the spec before any work starts.
    public func validate() throws(GeneratorError) {
        guard scale > 0, scale <= 100 else {
            throw .invalidSpec("--scale must be greater than 0 and at most 100, found \(scale.isNaN ? "nan" : String(scale))")
        }
        guard asOf.days(until: historyStart) < -120, asOf <= latestAsOf else {
            throw .invalidSpec(
                "--as-of must be from \(historyStart.adding(days: 121).iso) (4 months of history after \(historyStart.iso)) to \(latestAsOf.iso) (at most 50 years of history), found \(asOf.iso)"
            )
        }
    }
}

public enum GeneratorError: Error, Sendable, CustomStringConvertible {
    case invalidSpec(String)
    case databaseNotEmpty(table: String, rows: Int)
    case output(String)

    public var description: String {
        switch self {
        case .invalidSpec(let message): return message
        case .databaseNotEmpty(let table, let rows):
            return
                "table \(table) already holds \(rows) rows; generate into a new --database, or pass --replace to delete the business tables' rows first"
        case .output(let message): return message
        }
    }
}

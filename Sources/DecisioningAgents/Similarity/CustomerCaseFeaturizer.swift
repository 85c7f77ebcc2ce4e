import Foundation

/// Turns a customer into its case vector: standardized log annual revenue, credit rank, days paid
/// late, risk score and log(1 + projects), and the industry one-hot (`CaseScaling`), so that customers
/// can be compared as projects are.
public struct CustomerCaseFeaturizer: Sendable, Equatable {
    /// The name stored in `business_embeddings.embedding_model`, with the version and the fit's digest.
    public static let name = "customer-case"
    /// Bumped whenever the features change meaning.
    public static let version = 1
    /// The numeric features, in vector order; the one-hot industries follow.
    public static let numericFeatures = ["log_annual_revenue", "credit_rank", "days_late", "risk_score", "log_projects"]

    /// What a fit learned from the customers.
    public struct Fit: Sendable, Equatable, Codable {
        public var scaling: CaseScaling
        public var industries: [String]
    }

    public let fit: Fit

    public init(fit: Fit) { self.fit = fit }

    /// Fits on `cases`: numbers' means and deviations, the industries seen (sorted).
    public init(fitting cases: [CustomerCase]) {
        fit = Fit(
            scaling: CaseScaling(fitting: cases.map(Self.numbers), width: Self.numericFeatures.count),
            industries: Set(cases.compactMap(\.industry)).sorted())
    }

    /// The number of entries of every vector.
    public var dimension: Int { Self.numericFeatures.count + fit.industries.count }

    /// `customer-case@1#` and the first 12 hex digits of the fit's digest.
    public func modelName(digest: String) -> String { "\(Self.name)@\(Self.version)#\(digest.prefix(12))" }

    /// The case vector of `customer`.
    public func vector(_ customer: CustomerCase) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        fit.scaling.standardize(Self.numbers(customer), into: &v)
        if let industry = customer.industry, let i = fit.industries.firstIndex(of: industry) {
            v[Self.numericFeatures.count + i] = CaseScaling.oneHot
        }
        return v
    }

    /// The raw numbers of `numericFeatures`; NaN where missing.
    static func numbers(_ c: CustomerCase) -> [Double] {
        let revenue = c.annualRevenue.map { Double($0.minorUnits) / 100 } ?? .nan
        return [
            revenue > 0 ? log(revenue) : .nan,
            CaseScaling.creditRank(c.creditRating) ?? .nan,
            c.daysLate ?? .nan,
            c.riskScore ?? .nan,
            c.totalProjects.map { log(1 + Double(max(0, $0))) } ?? .nan,
        ]
    }
}

import Foundation

/// Turns a project into its case vector: standardized features known at its start, so that a running
/// project can be compared with projects that have finished.
///
/// Numbers (log budget, log planned months, customer risk, days late, credit rating as a rank) are
/// standardized with the mean and standard deviation of the projects it was fitted on; categories
/// (project type, industry) are one-hot, scaled so that a different category counts as much as one
/// standard deviation. A missing number counts as the mean. The fit is frozen (`Fit`, stored beside
/// the vectors): vectors made on different days compare as long as the fit is the same, and a
/// vector changes only when its project or customer does.
public struct ProjectCaseFeaturizer: Sendable, Equatable {
    /// The name stored in `business_embeddings.embedding_model`, with the version and the fit's digest.
    public static let name = "project-case"
    /// Bumped whenever the features change meaning; vectors of another version are recomputed.
    public static let version = 1
    /// The numeric features, in vector order; one-hot types and industries follow.
    public static let numericFeatures = ["log_budget", "log_planned_months", "customer_risk", "days_late", "credit_rank"]
    /// What a fit learned from the projects: centring and scale of each number, the categories.
    public struct Fit: Sendable, Equatable, Codable {
        public var means: [Double]
        public var deviations: [Double]
        public var types: [String]
        public var industries: [String]
    }

    public let fit: Fit

    public init(fit: Fit) { self.fit = fit }

    /// Fits on `cases`: numbers' means and deviations, types and industries seen (sorted).
    public init(fitting cases: [ProjectCase]) {
        let scaling = CaseScaling(fitting: cases.map(Self.numbers), width: Self.numericFeatures.count)
        fit = Fit(
            means: scaling.means, deviations: scaling.deviations, types: Set(cases.map(\.projectType)).sorted(),
            industries: Set(cases.compactMap(\.industry)).sorted())
    }

    /// The number of entries of every vector.
    public var dimension: Int { Self.numericFeatures.count + fit.types.count + fit.industries.count }

    /// `project-case@1#` and the first 12 hex digits of the fit's digest: vectors compare only under one name.
    public func modelName(digest: String) -> String { "\(Self.name)@\(Self.version)#\(digest.prefix(12))" }

    /// The case vector of `project`.
    public func vector(_ project: ProjectCase) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        CaseScaling(means: fit.means, deviations: fit.deviations).standardize(Self.numbers(project), into: &v)
        if let t = fit.types.firstIndex(of: project.projectType) { v[Self.numericFeatures.count + t] = CaseScaling.oneHot }
        if let industry = project.industry, let i = fit.industries.firstIndex(of: industry) {
            v[Self.numericFeatures.count + fit.types.count + i] = CaseScaling.oneHot
        }
        return v
    }

    /// The raw numbers of `numericFeatures`; NaN where missing.
    static func numbers(_ p: ProjectCase) -> [Double] {
        let budget = Double(p.budget.minorUnits) / 100
        return [
            budget > 0 ? log(budget) : .nan,
            p.plannedMonths.map { log($0) } ?? .nan,
            p.customerRisk ?? .nan,
            p.daysLate ?? .nan,
            CaseScaling.creditRank(p.creditRating) ?? .nan,
        ]
    }
}

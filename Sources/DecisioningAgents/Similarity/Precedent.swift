public import DecisioningCore

/// The completed projects most like one project, and how they ended: "the 20 completed projects most
/// like this one overran in 14 cases, by 23% on average".
public struct Precedent: Sendable, Codable, Equatable {
    /// The featurizer and its version (`project-case@1`; `project-case@1+burn` when compared at a point of
    /// the schedule with the burn rate).
    public var featurizer: String
    /// How many neighbours were asked for; `cases` has fewer when fewer completed projects qualify.
    public var k: Int
    /// Share of `cases` that overran (actual cost above 1.10 × budget); nil without cases.
    public var outcomeRate: Double?
    /// Mean overrun of the cases that overran (0.23: 23% over budget); nil when none did.
    public var averageOverrun: Double?
    /// Nearest first.
    public var cases: [SimilarCase]
    /// The point of the schedule the project was compared at, with its burn rate and the cases' then;
    /// nil when compared by case vector alone.
    public var progress: PrecedentProgress?

    public init(featurizer: String, k: Int, cases: [SimilarCase], progress: PrecedentProgress? = nil) {
        self.featurizer = featurizer
        self.k = k
        self.cases = cases
        self.progress = progress
        let overran = cases.filter(\.overran)
        outcomeRate = cases.isEmpty ? nil : Double(overran.count) / Double(cases.count)
        let overruns = overran.compactMap(\.overrun)
        averageOverrun = overruns.isEmpty ? nil : overruns.reduce(0, +) / Double(overruns.count)
    }
}

/// One completed project found similar, with its outcome.
public struct SimilarCase: Sendable, Codable, Equatable {
    public var projectId: String
    public var projectName: String
    public var projectType: String
    public var industry: String?
    /// Euclidean distance between the case vectors (0: the same features).
    public var distance: Double
    public var budget: Money
    public var actualCost: Money
    /// Actual cost over budget minus one.
    public var overrun: Double?
    /// Actual cost above 1.10 × budget.
    public var overran: Bool
    /// Its burn rate at the same share of its schedule as the project it is compared with; nil when
    /// compared by case vector alone or without ledger rows.
    public var burnRate: Double?

    public init(_ project: ProjectCase, distance: Double) {
        projectId = project.projectId
        projectName = project.projectName
        projectType = project.projectType
        industry = project.industry
        self.distance = distance
        budget = project.budget
        actualCost = project.actualCost
        overrun = project.overrun
        overran = project.overran
    }
}

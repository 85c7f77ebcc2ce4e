public import DecisioningAgents
public import DecisioningCore

/// One project, the completed projects most like it with their outcomes, and what the overrun model
/// said of it in the latest run that scored projects.
public struct SimilarProjects: Sendable {
    public var asOf: Day
    public var project: ProjectCase
    /// all, same-industry or same-type.
    public var scope: PrecedentFinder.Scope
    public var precedent: Precedent
    /// The overrun model's probability for this project in the latest run as of the date that scored
    /// projects; nil when that run did not score this one (it was not running then) or there is none.
    public var modelProbability: Double?
    /// That run's id.
    public var modelRunId: String?
}

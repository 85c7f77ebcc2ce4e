public import DecisioningCore
import DecisioningVectors
import Foundation

/// Finds, for running projects, the most similar completed projects (exact search over the case
/// vectors of the completed projects, Euclidean distance, filters applied during the search).
///
/// With the COST ledger, a running project is compared at the point of its schedule it has reached:
/// each completed project's burn rate at the same share of its own schedule (cost booked by then ÷ the
/// budget's share) joins its case vector as one more standardized entry, weighted ``burnWeight``, and
/// the running project's burn rate on the as-of date joins its own. "Like this one" then also means
/// "spending like this one at this stage", which the features known at the start cannot say.
public struct PrecedentFinder: Sendable {
    /// The weight of the burn-rate entry, in standard deviations: the one entry that says how a project
    /// is going counts as much as two of the others.
    public static let burnWeight = 2.0
    /// Below this share of the schedule elapsed, a burn rate says too little: the search uses the case
    /// vector alone.
    public static let minimumShare = 0.1
    /// Burn rates are compared on a log scale, clamped to this range (a project that booked nothing
    /// yet, or a hundredfold overspend, stay comparable).
    static let burnRange = 0.01...100.0

    public let featurizer: ProjectCaseFeaturizer
    public let completed: [ProjectCase]
    /// The COST ledger booked by the as-of date; nil: precedents by case vector only.
    public let ledger: CostLedger?
    /// The completed projects' case vectors, row after row.
    let vectors: [Float]
    /// The completed projects' ledger rows, in their order (empty without a ledger).
    let series: FlatLedger
    /// The completed projects' schedules, in their order (nil: no schedule or no budget, no burn rate).
    let schedules: [CaseSchedule?]
    /// The completed projects' vectors; nil when there are none.
    let search: ExactSearch?

    /// Fits the featurizer on `completed` and `running` together (what was known of every project
    /// on the as-of date) and indexes the completed ones.
    public init(completed: [ProjectCase], running: [ProjectCase], ledger: CostLedger? = nil) {
        self.init(completed: completed, featurizer: ProjectCaseFeaturizer(fitting: completed + running), ledger: ledger)
    }

    public init(completed: [ProjectCase], featurizer: ProjectCaseFeaturizer, ledger: CostLedger? = nil) {
        self.featurizer = featurizer
        self.completed = completed
        self.ledger = ledger
        series = FlatLedger(ledger.map { ledger in completed.map { ledger.series($0.projectId) } } ?? [])
        schedules = completed.map(CaseSchedule.init)
        vectors = completed.flatMap(featurizer.vector)
        let base = try? VectorMatrix(rows: completed.count, dimensions: featurizer.dimension, values: vectors)
        search = completed.isEmpty ? nil : base.map { ExactSearch(base: $0, metric: .l2) }
    }

    /// How neighbours may be restricted.
    public enum Scope: String, Sendable, CaseIterable {
        /// Any completed project.
        case all
        /// Completed projects of the same customer industry.
        case sameIndustry = "same-industry"
        /// Completed projects of the same project type.
        case sameType = "same-type"
    }

    /// The `k` completed projects nearest to `project` (never the project itself), nearest first. With
    /// `asOf` and the ledger, a project that has run at least ``minimumShare`` of its schedule and has
    /// ledger rows is compared at that point of the schedule (see the type's description).
    public func precedent(for project: ProjectCase, k: Int, scope: Scope = .all, asOf: Day? = nil) -> Precedent {
        if let asOf, let ledger, let now = project.progress(on: asOf, ledger: ledger), now.scheduleShare >= Self.minimumShare,
            now.burnRate != nil
        {
            return precedents(atShare: now.scheduleShare, for: [(project, now)], k: k, scope: scope)[0]
        }
        let hits = nearest(featurizer.vector(project), k: k, filter: allowed(for: project, scope: scope))
        return Precedent(
            featurizer: "\(ProjectCaseFeaturizer.name)@\(ProjectCaseFeaturizer.version)", k: k,
            cases: hits.map { SimilarCase(completed[$0.index], distance: Double($0.distance).squareRoot()) })
    }

    /// The precedents of `projects`, each with its burn rate at `share` of its schedule, compared with
    /// the completed projects at that same share (one base for them all). A project without a burn rate
    /// gets the completed projects' mean.
    public func precedents(
        atShare share: Double, for projects: [(project: ProjectCase, progress: CaseProgress)], k: Int, scope: Scope = .all
    ) -> [Precedent] {
        let base = ProgressBase(self, share: share)
        let name = "\(ProjectCaseFeaturizer.name)@\(ProjectCaseFeaturizer.version)+burn"
        return projects.map { project, progress in
            let hits = base.nearest(
                featurizer.vector(project), burn: base.entry(progress.burnRate), k: k, filter: allowed(for: project, scope: scope))
            let cases = hits.map { hit in
                var found = SimilarCase(completed[hit.index], distance: Double(hit.distance).squareRoot())
                found.burnRate = base.burns[hit.index]
                return found
            }
            return Precedent(
                featurizer: name, k: k, cases: cases,
                progress: PrecedentProgress(scheduleShare: share, burnRate: progress.burnRate, cases: cases.compactMap(\.burnRate)))
        }
    }

    /// Which completed rows may be returned for `project` under `scope`: never the project itself.
    func allowed(for project: ProjectCase, scope: Scope) -> @Sendable (Int) -> Bool {
        let completed = completed
        return { i in
            let other = completed[i]
            guard other.projectId != project.projectId else { return false }
            switch scope {
            case .all: return true
            case .sameIndustry: return other.industry == project.industry
            case .sameType: return other.projectType == project.projectType
            }
        }
    }
}

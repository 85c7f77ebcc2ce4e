import DecisioningCore
import DecisioningVectors
import Foundation

/// Finds, for running projects, the most similar completed projects (exact search over the case
/// vectors of the completed projects, Euclidean distance, filters applied during the search).
public struct PrecedentFinder: Sendable {
    public let featurizer: ProjectCaseFeaturizer
    public let completed: [ProjectCase]
    /// The completed projects' vectors; nil when there are none.
    let search: ExactSearch?

    /// Fits the featurizer on `completed` and `running` together (what was known of every project
    /// on the as-of date) and indexes the completed ones.
    public init(completed: [ProjectCase], running: [ProjectCase]) {
        self.init(completed: completed, featurizer: ProjectCaseFeaturizer(fitting: completed + running))
    }

    public init(completed: [ProjectCase], featurizer: ProjectCaseFeaturizer) {
        self.featurizer = featurizer
        self.completed = completed
        let base = try? VectorMatrix(rows: completed.count, dimensions: featurizer.dimension, values: completed.flatMap(featurizer.vector))
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

    /// The `k` completed projects nearest to `project` (never the project itself), nearest first.
    public func precedent(for project: ProjectCase, k: Int, scope: Scope = .all) -> Precedent {
        let completed = completed
        let hits = nearest(featurizer.vector(project), k: k) { i in
            let other = completed[i]
            guard other.projectId != project.projectId else { return false }
            switch scope {
            case .all: return true
            case .sameIndustry: return other.industry == project.industry
            case .sameType: return other.projectType == project.projectType
            }
        }
        return Precedent(
            featurizer: "\(ProjectCaseFeaturizer.name)@\(ProjectCaseFeaturizer.version)", k: k,
            cases: hits.map { SimilarCase(completed[$0.index], distance: Double($0.distance).squareRoot()) })
    }
}

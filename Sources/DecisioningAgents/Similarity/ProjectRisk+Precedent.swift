import Foundation

extension ProjectRisk {
    /// " Of the 20 completed projects most like P-1, 14 overran, by 23% on average." (nil without cases).
    var precedentSentence: String? {
        guard let precedent, !precedent.cases.isEmpty else { return nil }
        let overran = precedent.cases.filter(\.overran).count
        let by = precedent.averageOverrun.map { String(format: ", by %.0f%% on average", $0 * 100) } ?? ""
        return " Of the \(precedent.cases.count) completed projects most like \(projectId), \(overran) overran\(by)."
    }
}

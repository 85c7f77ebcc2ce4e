import DecisioningAgents
import DecisioningCore
public import Foundation

extension SimilarProjects {
    /// The JSON document `similar --format json` and the API print: snake_case keys, money as decimal strings.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Document(self))
    }

    private struct Document: Encodable {
        var asOf: String
        var project: Project
        var scope: String
        var precedent: Precedent
        var modelProbability: Double?
        var modelRunId: String?

        struct Project: Encodable {
            var projectId: String
            var projectName: String
            var projectType: String
            var status: String
            var industry: String?
            var budget: Money
            var actualCost: Money
            var startDate: String
            var endDate: String?
        }

        init(_ s: SimilarProjects) {
            asOf = s.asOf.iso
            let p = s.project
            project = Project(
                projectId: p.projectId, projectName: p.projectName, projectType: p.projectType, status: p.status, industry: p.industry,
                budget: p.budget, actualCost: p.actualCost, startDate: p.start.iso, endDate: p.end?.iso)
            scope = s.scope.rawValue
            precedent = s.precedent
            modelProbability = s.modelProbability
            modelRunId = s.modelRunId
        }
    }

    /// What `similar` prints: the project, the model's probability, the outcome rate, and a table of the cases.
    public var text: String {
        let p = project
        var out =
            "\(p.projectId) \(p.projectName) (\(p.projectType), \(p.industry ?? "no industry")): \(p.status.lowercased()), budget \(Figure.money(p.budget).formatted), started \(p.start.iso); as of \(asOf.iso)\n"
        if let modelProbability {
            out += String(format: "Overrun model: %.0f%% probability of ending more than 10%% over budget", modelProbability * 100)
            out += modelRunId.map { " (run \($0))\n" } ?? "\n"
        } else {
            out += "Overrun model: no run has scored this project yet (`decisioning run` scores the running projects)\n"
        }
        let cases = precedent.cases
        guard !cases.isEmpty else {
            return out + "No completed project \(scope == .all ? "" : "of the \(scope.rawValue) scope ")by \(asOf.iso) to compare with.\n"
        }
        let overran = cases.filter(\.overran).count
        let scopeText = scope == .all ? "" : " (\(scope.rawValue))"
        out +=
            "Of the \(cases.count) completed projects most like it\(scopeText)\(precedent.progressClause), \(overran) overran (\(String(format: "%.0f%%", Double(overran) / Double(cases.count) * 100)))"
        out += precedent.averageOverrun.map { String(format: ", by %.0f%% on average.\n", $0 * 100) } ?? ".\n"
        // Compared on progress, each case's burn rate at the same share of its schedule is shown too.
        let burns = precedent.progress != nil
        let header = ["#", "project", "type", "industry", "budget", "actual cost", "overrun"] + (burns ? ["burn then"] : []) + ["distance"]
        let rows = cases.enumerated().map { i, c in
            [
                "\(i + 1)", c.projectId, c.projectType, c.industry ?? "", Figure.money(c.budget).formatted,
                Figure.money(c.actualCost).formatted, c.overrun.map { String(format: "%+.1f%%", $0 * 100) } ?? "",
            ] + (burns ? [c.burnRate.map { String(format: "%.2f×", $0) } ?? ""] : []) + [String(format: "%.3f", c.distance)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            out +=
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }
}

import DecisioningCore

extension AgentContext {
    /// The `k` most similar completed projects of each of `projectIds` (projects running on the
    /// as-of date), from the case vectors of every project started by then, with the evidence: the
    /// completed projects' query, how many there were, k and the mean outcome rate. `agent` names the
    /// queries (`strategy.precedent-completed`).
    func precedents(_ agent: String, for projectIds: [String], k: Int) throws -> (precedents: [String: Precedent], evidence: Evidence) {
        let completedQuery = try query("\(agent).precedent-completed", ProjectCase.completedPlan)
        let runningQuery = try query("\(agent).precedent-running", ProjectCase.runningPlan)
        let completed = try ProjectCase.cases(completedQuery.result, query: completedQuery.name)
        let running = try ProjectCase.cases(runningQuery.result, query: runningQuery.name)
        let finder = PrecedentFinder(completed: completed, running: running)
        let wanted = Set(projectIds)
        var precedents: [String: Precedent] = [:]
        for project in running where wanted.contains(project.projectId) {
            try cancellation.check()
            precedents[project.projectId] = finder.precedent(for: project, k: k)
        }
        // In the projects' order: a sum over a dictionary's values would depend on its iteration order.
        let rates = projectIds.compactMap { precedents[$0]?.outcomeRate }
        let evidence = completedQuery.evidence(
            [
                NamedFigure("precedent_base", .count(Int64(completed.count))),
                NamedFigure("precedent_k", .count(Int64(k))),
                NamedFigure("mean_precedent_outcome_rate", .ratio(rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count))),
            ],
            method:
                "nearest completed projects by Euclidean distance between case vectors (\(ProjectCaseFeaturizer.name)@\(ProjectCaseFeaturizer.version): standardized log budget, log planned months, customer risk, days late, credit rank; one-hot type and industry)"
        )
        return (precedents, evidence)
    }
}

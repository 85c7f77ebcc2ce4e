import DecisioningCore

extension AgentContext {
    /// The `k` most similar completed projects of each of `projectIds` (projects running on the
    /// as-of date), from the case vectors of every project started by then and, for a project past
    /// `PrecedentFinder.minimumShare` of its schedule, the burn rates at the same share of the schedule
    /// from the COST ledger; with the evidence: the completed projects' query, how many there were, k,
    /// the mean outcome rate and how many were compared on progress. The projects and the ledger are
    /// read once per run, by whichever agent asks first; an agent that asks meanwhile waits for that read (`RunMemo`).
    func precedents(for projectIds: [String], k: Int) throws -> (precedents: [String: Precedent], evidence: Evidence) {
        let stopWaiting = { try cancellation.check() }
        let inputs = try memo.precedentInputs.value(check: stopWaiting) { try PrecedentInputs(self) }
        let (completedQuery, completed, running, finder) = (inputs.completedQuery, inputs.completed, inputs.running, inputs.finder)
        let wanted = Set(projectIds)
        var precedents: [String: Precedent] = [:]
        for project in running where wanted.contains(project.projectId) {
            try cancellation.check()
            precedents[project.projectId] = finder.precedent(for: project, k: k, asOf: asOf)
        }
        // In the projects' order: a sum over a dictionary's values would depend on its iteration order.
        let rates = projectIds.compactMap { precedents[$0]?.outcomeRate }
        let evidence = completedQuery.evidence(
            [
                NamedFigure("precedent_base", .count(Int64(completed.count))),
                NamedFigure("precedent_k", .count(Int64(k))),
                NamedFigure("mean_precedent_outcome_rate", .ratio(rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count))),
                NamedFigure("precedents_on_progress", .count(Int64(projectIds.filter { precedents[$0]?.progress != nil }.count))),
            ],
            method:
                "nearest completed projects by Euclidean distance between case vectors (\(ProjectCaseFeaturizer.name)@\(ProjectCaseFeaturizer.version): standardized log budget, log planned months, customer risk, days late, credit rank; one-hot type and industry); for a project past \(Int(PrecedentFinder.minimumShare * 100))% of its schedule, plus the log burn rate (COST booked ÷ budget share) at the same share of each completed project's schedule, standardized and weighted \(Int(PrecedentFinder.burnWeight))"
        )
        return (precedents, evidence)
    }
}

import DecisioningCore

/// What every agent's precedents are computed from, read once per run (`RunMemo`): the projects
/// completed and running on the as-of date, the COST ledger of both by then, and the finder fitted on
/// them. The queries are named for no agent (`precedent.completed`, …): whichever agent reads them, the
/// evidence is the same.
struct PrecedentInputs: Sendable {
    /// The completed projects' query (the evidence names it).
    let completedQuery: Query
    let completed: [ProjectCase]
    let running: [ProjectCase]
    let finder: PrecedentFinder

    init(_ context: AgentContext) throws {
        let queries = try context.query([
            ("precedent.completed", ProjectCase.completedPlan), ("precedent.running", ProjectCase.runningPlan),
            ("precedent.ledger", CostLedger.completedAndRunningPlan), ("precedent.ledger-close", CostLedger.closePlan),
        ])
        completedQuery = queries[0]
        completed = try ProjectCase.cases(queries[0].result, query: queries[0].name)
        running = try ProjectCase.cases(queries[1].result, query: queries[1].name)
        let ledger = try CostLedger(queries[2].result, close: queries[3].result, query: queries[2].name)
        finder = PrecedentFinder(completed: completed, running: running, ledger: ledger)
    }
}

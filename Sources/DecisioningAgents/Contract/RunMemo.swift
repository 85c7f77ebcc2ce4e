/// What the agents of one run compute once and share (`ComputedOnce`): the first agent that needs a
/// value computes it and keeps it for the others; an agent that needs it meanwhile waits for it,
/// checking its own cancellation, so its timeout stays its own. The values depend on nothing but the
/// run's as-of date and data, so whichever agent computed one, every agent gets the same.
public final class RunMemo: Sendable {
    /// The projects and the COST ledger precedents are found among (`AgentContext.precedents`).
    let precedentInputs = ComputedOnce<PrecedentInputs>()

    public init() {}
}

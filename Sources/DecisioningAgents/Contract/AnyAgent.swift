/// An agent with its output type erased, as the orchestrator schedules it: names instead of keys,
/// and an output whose data is an `AgentPayload`.
struct AnyAgent: Sendable {
    let name: String
    let requires: [String]
    let uses: [String]
    private let body: @Sendable (AgentContext) throws -> AgentOutput<AgentPayload>

    init<A: Agent>(_ agent: A) {
        name = agent.name
        requires = agent.requires.map(\.name)
        uses = agent.uses.map(\.name)
        body = { context in try agent.run(context).map { AgentPayload(agent.key, $0) } }
    }

    func run(_ context: AgentContext) throws -> AgentOutput<AgentPayload> { try body(context) }
}

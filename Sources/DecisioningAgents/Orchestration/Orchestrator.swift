public import DecisioningCore
public import DecisioningStore
import Foundation

/// What the orchestrator reports while it works.
public enum ProgressEvent: Sendable {
    case started(agent: String, attempt: Int)
    case retrying(agent: String, attempt: Int, delaySeconds: Double, error: String)
    /// The attempt ran past `agents.<name>.timeout` and was cancelled; a `finished` (failed) follows.
    case timedOut(agent: String, attempt: Int, seconds: Double)
    case finished(AgentResult)
}

/// Runs agents as a DAG: an agent starts when everything it requires or uses has finished;
/// independent agents run in parallel, at most `workflow.max_concurrent_agents` at a time.
///
/// Each attempt runs on `pool` (agents block on the database) and races its configured timeout,
/// measured on `clock`, in a task group. When the time is up the attempt's task is cancelled: the
/// agent's `CancellationFlag` is raised, which stops its statement in the database, makes its
/// loops stop and refuses its later commits, and the run goes on at once with that agent `failed`,
/// its `requires`-dependents `skipped` and its `uses`-dependents `degraded`, whether or not the
/// agent's code has noticed yet. Retryable errors are retried with exponential backoff (also on
/// `clock`), up to `agents.<name>.retries` more attempts.
public struct Orchestrator: Sendable {
    public let agents: [any Agent]
    public let configuration: Configuration
    /// Times the agents' timeouts and retry delays; tests pass a clock they advance by hand.
    public let clock: any Clock<Duration>
    /// Where the agents run.
    public let pool: BlockingPool
    /// The agents as they are scheduled: names and type-erased outputs.
    let scheduled: [AnyAgent]

    public init(
        agents: [any Agent], configuration: Configuration, clock: any Clock<Duration> = ContinuousClock(),
        pool: BlockingPool = .shared
    ) {
        self.agents = agents
        self.configuration = configuration
        self.clock = clock
        self.pool = pool
        self.scheduled = agents.map { AnyAgent($0) }
    }

    /// Runs every agent; returns their results in the order of `agents`.
    public func run(
        makeContext: @escaping @Sendable ([String: AgentResult], CancellationFlag) -> AgentContext,
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) async -> [AgentResult] {
        var done: [String: AgentResult] = [:]
        var pending = scheduled
        let limit = max(1, configuration.workflow.maxConcurrentAgents)
        await withTaskGroup(of: AgentResult.self) { group in
            var running = Set<String>()
            while !pending.isEmpty || !running.isEmpty {
                // Start every ready agent, within the concurrency limit, in declaration order.
                var index = 0
                while index < pending.count && running.count < limit {
                    let agent = pending[index]
                    let deps = agent.requires + agent.uses
                    let known = Set(agents.map(\.name))
                    guard deps.allSatisfy({ name in done[name] != nil || !known.contains(name) }) else {
                        index += 1
                        continue
                    }
                    pending.remove(at: index)
                    if let skip = skipReason(agent, done) {
                        let result = AgentResult(agent: agent.name, status: .skipped, error: skip)
                        done[agent.name] = result
                        progress(.finished(result))
                        continue
                    }
                    running.insert(agent.name)
                    let inputs = done.filter { deps.contains($0.key) && ($0.value.status == .succeeded || $0.value.status == .degraded) }
                    let missing = agent.uses.filter { name in agents.contains { $0.name == name } && inputs[name] == nil }
                    let attempt = Attempt(
                        agent: agent, settings: configuration.agent(agent.name), backoff: configuration.workflow.retryBackoffSeconds,
                        inputs: inputs, missing: missing, clock: clock, pool: pool)
                    group.addTask { await attempt.run(makeContext: makeContext, progress: progress) }
                }
                guard let result = await group.next() else { break }
                running.remove(result.agent)
                done[result.agent] = result
                progress(.finished(result))
            }
        }
        // Every agent has finished or been skipped by now.
        return scheduled.compactMap { done[$0.name] }
    }

    func skipReason(_ agent: AnyAgent, _ done: [String: AgentResult]) -> String? {
        if !configuration.agent(agent.name).enabled { return "disabled in the configuration (agents.\(agent.name).enabled)" }
        for name in agent.requires {
            guard let input = done[name] else { continue }
            if input.status == .failed || input.status == .skipped {
                return "requires \(name), which \(input.status.rawValue): \(input.error ?? "")"
            }
        }
        return nil
    }
}

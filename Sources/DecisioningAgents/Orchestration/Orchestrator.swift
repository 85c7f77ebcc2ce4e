public import DecisioningCore
public import DecisioningStore
import Foundation

/// What the orchestrator reports while it works.
public enum ProgressEvent: Sendable {
    case started(agent: String, attempt: Int)
    case retrying(agent: String, attempt: Int, delaySeconds: Double, error: String)
    case finished(AgentResult)
}

/// Runs agents as a DAG: an agent starts when everything it requires or uses has finished;
/// independent agents run in parallel, at most `workflow.max_concurrent_agents` at a time.
///
/// Each attempt runs on a thread of its own and is abandoned when its configured timeout fires,
/// whether or not the agent's code cooperates: the run goes on with that agent `failed`, its
/// `requires`-dependents `skipped` and its `uses`-dependents `degraded`. Retryable errors are
/// retried with exponential backoff, up to `agents.<name>.retries` more attempts.
public struct Orchestrator: Sendable {
    public let agents: [any Agent]
    public let configuration: Configuration
    /// The agents as they are scheduled: names and type-erased outputs.
    let scheduled: [AnyAgent]

    public init(agents: [any Agent], configuration: Configuration) {
        self.agents = agents
        self.configuration = configuration
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
                    let settings = configuration.agent(agent.name)
                    let backoff = configuration.workflow.retryBackoffSeconds
                    group.addTask {
                        await Self.attempt(
                            agent, settings: settings, backoff: backoff, inputs: inputs, missing: missing,
                            makeContext: makeContext, progress: progress)
                    }
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

    static func attempt(
        _ agent: AnyAgent, settings: Configuration.Agent, backoff: Double, inputs: [String: AgentResult], missing: [String],
        makeContext: @escaping @Sendable ([String: AgentResult], CancellationFlag) -> AgentContext,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async -> AgentResult {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 1
        while true {
            progress(.started(agent: agent.name, attempt: attempt))
            let flag = CancellationFlag()
            let context = makeContext(inputs, flag)
            let outcome = await runOnThread(agent, context, timeout: settings.timeout)
            let elapsed = (clock.now - start)
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
            switch outcome {
            case .output(let output):
                var fallbacks: [String] = []
                if let f = output.fallback { fallbacks.append(f) }
                if !missing.isEmpty { fallbacks.append("ran without \(missing.joined(separator: ", ")), which did not finish") }
                return AgentResult(
                    agent: agent.name, status: fallbacks.isEmpty ? .succeeded : .degraded,
                    fallback: fallbacks.isEmpty ? nil : fallbacks.joined(separator: "; "), data: output.data,
                    insights: output.insights, recommendations: output.recommendations,
                    confidence: output.confidence * (missing.isEmpty ? 1 : 0.8), attempts: attempt, durationMs: ms)
            case .timedOut:
                return AgentResult(
                    agent: agent.name, status: .failed,
                    error: String(format: "timed out after %.3g s (agents.%@.timeout)", settings.timeout, agent.name),
                    attempts: attempt, durationMs: ms)
            case .error(let error):
                let retryable = (error as? AgentError)?.retryable ?? (error as? StoreError)?.isTransient ?? false
                if retryable && attempt <= settings.retries {
                    let delay = backoff * pow(2, Double(attempt - 1))
                    progress(.retrying(agent: agent.name, attempt: attempt + 1, delaySeconds: delay, error: "\(error)"))
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                    attempt += 1
                    continue
                }
                return AgentResult(agent: agent.name, status: .failed, error: "\(error)", attempts: attempt, durationMs: ms)
            }
        }
    }

    enum Outcome: Sendable {
        case output(AgentOutput<AgentPayload>)
        case error(any Error)
        case timedOut
    }

    /// Runs the agent on a dedicated thread (it may block on the database) and resumes with whichever
    /// comes first: its result, or the timeout. A late result is dropped.
    static func runOnThread(_ agent: AnyAgent, _ context: AgentContext, timeout: Double) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let once = Once()
            let watchdog = Watchdog(seconds: timeout, name: "agent.\(agent.name).timeout") {
                if once.claim() {
                    context.cancellation.cancel()
                    continuation.resume(returning: .timedOut)
                }
            }
            let thread = Thread {
                let outcome: Outcome
                do {
                    outcome = .output(try agent.run(context))
                } catch {
                    outcome = .error(error)
                }
                if once.claim() { continuation.resume(returning: outcome) }
                watchdog.finish()
            }
            thread.stackSize = 8 << 20
            thread.name = "agent.\(agent.name)"
            thread.start()
        }
    }
}

/// Lets exactly one of several racers resume a continuation.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}

import DecisioningCore
import DecisioningStore
import Foundation

/// One agent's attempts within a run: each on the pool, raced against its timeout, retried with
/// backoff when the error says a later attempt may succeed.
struct Attempt: Sendable {
    let agent: AnyAgent
    let settings: Configuration.Agent
    let backoff: Double
    let inputs: [String: AgentResult]
    let missing: [String]
    let clock: any Clock<Duration>
    let pool: BlockingPool

    enum Outcome: Sendable {
        case output(AgentOutput<AgentPayload>)
        case error(any Error)
        case timedOut
    }

    func run(
        makeContext: @escaping @Sendable ([String: AgentResult], CancellationFlag) -> AgentContext,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async -> AgentResult {
        let wall = ContinuousClock()
        let start = wall.now
        var attempt = 1
        while true {
            progress(.started(agent: agent.name, attempt: attempt))
            let outcome = await once(makeContext: makeContext)
            let ms = (wall.now - start).milliseconds
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
                progress(.timedOut(agent: agent.name, attempt: attempt, seconds: settings.timeout))
                return AgentResult(
                    agent: agent.name, status: .failed,
                    error: String(format: "timed out after %.3g s (agents.%@.timeout)", settings.timeout, agent.name),
                    attempts: attempt, durationMs: ms)
            case .error(let error):
                let retryable = (error as? AgentError)?.retryable ?? (error as? StoreError)?.isTransient ?? false
                if retryable && attempt <= settings.retries && !Task.isCancelled {
                    let delay = backoff * pow(2, Double(attempt - 1))
                    progress(.retrying(agent: agent.name, attempt: attempt + 1, delaySeconds: delay, error: "\(error)"))
                    try? await clock.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                return AgentResult(agent: agent.name, status: .failed, error: "\(error)", attempts: attempt, durationMs: ms)
            }
        }
    }

    private enum Finish: Sendable {
        case agent(Outcome)
        /// The timer ended: `fired` when the time ran out, not when its task was cancelled.
        case timer(fired: Bool)
    }

    /// Runs the agent once on the pool, racing its timeout. When the timer wins, the agent's task is
    /// cancelled and its answer decides: cancelled (the usual case) is a timeout; an output means it
    /// finished, or was committing, as the time ran out, and counts. The pool hands the agent's task
    /// back as soon as the cancellation took effect (`detachOnCancel`), so an agent that does not
    /// look at its flag holds up neither the run nor its dependents; it cannot commit any more.
    private func once(makeContext: @escaping @Sendable ([String: AgentResult], CancellationFlag) -> AgentContext) async -> Outcome {
        let (agent, inputs, pool, clock, timeout) = (agent, inputs, pool, clock, settings.timeout)
        return await withTaskGroup(of: Finish.self) { group in
            group.addTask {
                do {
                    let output = try await pool.run("agent \(agent.name)", detachOnCancel: true) { flag in
                        try agent.run(makeContext(inputs, flag))
                    }
                    return .agent(.output(output))
                } catch {
                    return .agent(.error(error))
                }
            }
            group.addTask {
                do {
                    try await clock.sleep(for: .seconds(timeout))
                    return .timer(fired: true)
                } catch {
                    return .timer(fired: false)
                }
            }
            guard let first = await group.next() else { return .error(CancellationError()) }
            group.cancelAll()
            switch first {
            case .agent(let outcome):
                return outcome
            case .timer(let fired):
                while let next = await group.next() {
                    guard case .agent(let outcome) = next else { continue }
                    if case .output = outcome { return outcome }
                    return fired ? .timedOut : outcome
                }
                return fired ? .timedOut : .error(CancellationError())
            }
        }
    }
}

import Foundation
import Synchronization

/// Answers of named analyses for `lifetime` (and until this server ingests or runs), so that a
/// dashboard polling an analysis costs one computation per `lifetime`. Another process's writes are
/// seen after at most `lifetime`. Concurrent requests for an answer being computed wait for that
/// computation instead of starting their own.
final class AnalysisCache: Sendable {
    struct Answer: Sendable {
        var body: String
        var contentType: String
    }
    let lifetime: Duration
    private struct Entry {
        var answer: Answer
        var at: ContinuousClock.Instant
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let inFlight = Mutex<[String: Task<Answer, any Error>]>([:])

    init(lifetime: Duration = .seconds(5)) { self.lifetime = lifetime }

    func answer(_ key: String) -> Answer? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], now - entry.at < lifetime else { return nil }
            return entry.answer
        }
    }

    /// The answer for `key`: remembered, being computed (then awaited), or computed now by `compute`.
    func answer(_ key: String, compute: @escaping @Sendable () async throws -> Answer) async throws -> Answer {
        if let answer = answer(key) { return answer }
        let task = inFlight.withLock { running -> Task<Answer, any Error> in
            if let task = running[key] { return task }
            let task = Task { try await compute() }
            running[key] = task
            return task
        }
        do {
            let answer = try await task.value
            remember(key, answer)
            inFlight.withLock { $0[key] = nil }
            return answer
        } catch {
            inFlight.withLock { $0[key] = nil }
            throw error
        }
    }

    func remember(_ key: String, _ answer: Answer) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count > 256 { entries.removeAll() }
            entries[key] = Entry(answer: answer, at: now)
        }
    }

    /// Forgets every answer (after an ingest or a run).
    func clear() { entries.withLock { $0.removeAll() } }
}

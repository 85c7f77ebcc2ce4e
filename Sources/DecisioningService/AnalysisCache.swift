import Foundation
import Hummingbird
import Synchronization

/// Answers of named analyses, so that a dashboard polling an analysis costs one computation per
/// `lifetime`. An answer younger than `lifetime` is fresh; one up to `staleLimit` old is still
/// served at once while a single background computation replaces it (so no request waits for a
/// recomputation behind a run); older ones, and every answer after this server ingests (`clear`),
/// are computed while the request waits. Another process's writes are seen after at most
/// `staleLimit`. Concurrent requests for an answer being computed wait for that computation
/// instead of starting their own.
final class AnalysisCache: Sendable {
    /// An answer's bytes, made once and shared by every response that sends them (no copy per request).
    struct Answer: Sendable {
        var bytes: ByteBuffer
        var contentType: String

        init(body: String, contentType: String) {
            self.bytes = ByteBuffer(string: body)
            self.contentType = contentType
        }

        var body: String { String(buffer: bytes) }
    }

    /// What the cache holds for a key.
    enum Lookup: Sendable {
        case fresh(Answer)
        /// Served, but due to be replaced (`refresh`).
        case stale(Answer)
        case missing
    }

    let lifetime: Duration
    let staleLimit: Duration

    private struct Entry {
        var answer: Answer
        var at: ContinuousClock.Instant
    }
    private struct Computation {
        var generation: Int
        var task: Task<Answer, any Error>
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var inFlight: [String: Computation] = [:]
        /// Bumped by `clear`: a computation started before it is neither joined nor remembered.
        var generation = 0
    }
    private let state = Mutex(State())

    /// Entries kept at most; beyond it the cache starts again.
    static let capacity = 256

    init(lifetime: Duration = .seconds(5), staleLimit: Duration = .seconds(60)) {
        self.lifetime = lifetime
        self.staleLimit = max(lifetime, staleLimit)
    }

    func lookup(_ key: String) -> Lookup {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.entries[key] else { return .missing }
            let age = now - entry.at
            if age < lifetime { return .fresh(entry.answer) }
            return age < staleLimit ? .stale(entry.answer) : .missing
        }
    }

    /// The answer for `key`: fresh, being computed (then awaited), or computed now by `compute`.
    func answer(_ key: String, compute: @escaping @Sendable () async throws -> Answer) async throws -> Answer {
        if case .fresh(let answer) = lookup(key) { return answer }
        return try await computation(key, compute: compute).value
    }

    /// Starts replacing `key`'s answer in the background unless a computation of it is under way;
    /// returns at once. A failed refresh leaves the stale answer until `staleLimit`.
    func refresh(_ key: String, compute: @escaping @Sendable () async throws -> Answer) {
        _ = computation(key, compute: compute)
    }

    /// The computation of `key` under way in this generation, or a new one that remembers its
    /// answer (if no `clear` came in between) and then leaves the in-flight table.
    private func computation(_ key: String, compute: @escaping @Sendable () async throws -> Answer) -> Task<Answer, any Error> {
        state.withLock { state -> Task<Answer, any Error> in
            if let running = state.inFlight[key], running.generation == state.generation { return running.task }
            let generation = state.generation
            let task = Task {
                defer { self.finished(key, generation: generation) }
                let answer = try await compute()
                self.remember(key, answer, generation: generation)
                return answer
            }
            state.inFlight[key] = Computation(generation: generation, task: task)
            return task
        }
    }

    private func remember(_ key: String, _ answer: Answer, generation: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity, state.entries[key] == nil { state.entries.removeAll() }
            state.entries[key] = Entry(answer: answer, at: now)
        }
    }

    private func finished(_ key: String, generation: Int) {
        state.withLock { state in
            if state.inFlight[key]?.generation == generation { state.inFlight[key] = nil }
        }
    }

    /// Forgets every answer (after an ingest): the next request for each waits for a new one.
    func clear() {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
        }
    }
}

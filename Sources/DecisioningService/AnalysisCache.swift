import Foundation
import Synchronization

/// Answers of named analyses for `lifetime` (and until this server ingests), so that a dashboard
/// polling an analysis costs one computation per `lifetime`. Another process's writes are seen
/// after at most `lifetime`.
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

    init(lifetime: Duration = .seconds(5)) { self.lifetime = lifetime }

    func answer(_ key: String) -> Answer? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], now - entry.at < lifetime else { return nil }
            return entry.answer
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

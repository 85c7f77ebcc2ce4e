import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Synchronization

/// Authenticates keys against the store, remembering each answer for `lifetime` so that a busy
/// dashboard does not cost a query per request, and sharing one lookup among concurrent requests. A revoked key stops working within `lifetime`.
/// Records a key's last use at most once per `touchInterval`.
final class KeyCache: Sendable {
    let application: Application
    let lifetime: Duration
    let touchInterval: Int64
    private struct Entry {
        var key: APIKey?
        var checkedAt: ContinuousClock.Instant
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let touched = Mutex<[String: Int64]>([:])
    private let lookups = SingleFlight<APIKey?>()

    init(application: Application, lifetime: Duration = .seconds(5), touchInterval: Int64 = 60) {
        self.application = application
        self.lifetime = lifetime
        self.touchInterval = touchInterval
    }

    /// The key `token` stands for, or nil when it is unknown or revoked.
    func authenticate(_ token: String) async throws -> APIKey? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[token] }), now - entry.checkedAt < lifetime { return entry.key }
        let application = self.application
        // Concurrent requests with the same key share one lookup.
        let key = try await lookups.run(token) { [self] in
            let key = try await BlockingPool.shared.run("authenticate a key") { _ in try application.authenticateAPIKey(token) }
            entries.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[token] = Entry(key: key, checkedAt: now)
            }
            return key
        }
        if let key { touch(key.name) }
        return key
    }

    private func touch(_ name: String) {
        let now = Int64(Date().timeIntervalSince1970)
        let due = touched.withLock { last -> Bool in
            guard now - (last[name] ?? 0) >= touchInterval else { return false }
            last[name] = now
            return true
        }
        guard due else { return }
        let application = self.application
        Task {
            try? await BlockingPool.shared.run("record a key's use") { _ in
                try application.touchAPIKey(name: name, now: Timestamp(seconds: now))
            }
        }
    }
}

import DecisioningApplication
import Synchronization

/// A token bucket per key for the expensive routes (runs, ingest, analyses): `perMinute` requests a
/// minute, refilled continuously, with bursts up to `perMinute`.
final class RateLimiter: Sendable {
    let perMinute: Int
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Takes a token for `key`.
    /// - Throws: 429 with `Retry-After` when the key's bucket is empty.
    func take(_ key: String) throws(Problem) {
        let now = ContinuousClock.now
        let capacity = Double(perMinute)
        let wait = buckets.withLock { buckets -> Double? in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * capacity / 60)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * 60 / capacity }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw Problem(
                status: .tooManyRequests, title: "Too Many Requests",
                detail:
                    "this key may make \(perMinute) requests a minute to runs, ingest, analyses, questions and searches; "
                    + "retry in \(seconds) s",
                headers: [.retryAfter: "\(seconds)"])
        }
    }
}

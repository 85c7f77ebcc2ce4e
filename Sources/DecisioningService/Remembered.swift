import Synchronization

/// One value remembered for `lifetime`. A value older than that but younger than `staleLimit` is
/// still returned at once while one background computation replaces it; older values, and every
/// value after `forget`, are computed while the caller waits. Concurrent callers share one computation.
final class Remembered<Value: Sendable>: Sendable {
    let lifetime: Duration
    let staleLimit: Duration
    private struct Slot {
        var value: Value?
        var at = ContinuousClock.now
        /// Bumped by `forget`: a computation started before it is not remembered.
        var generation = 0
    }
    private let slot = Mutex(Slot())
    private let flight = SingleFlight<Value>()

    /// - Parameter staleLimit: how old a value may be and still be returned while it is replaced
    ///   (at least `lifetime`; `lifetime` itself when nil: never stale).
    init(lifetime: Duration, staleLimit: Duration? = nil) {
        self.lifetime = lifetime
        self.staleLimit = max(lifetime, staleLimit ?? lifetime)
    }

    /// The value if it is younger than `lifetime`.
    func value() -> Value? {
        let now = ContinuousClock.now
        return slot.withLock { slot in slot.value.flatMap { now - slot.at < lifetime ? $0 : nil } }
    }

    /// The remembered value, or the one `compute` gives (then remembered).
    func value(orCompute compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let (held, generation) = slot.withLock { slot in (slot.value.map { (value: $0, age: now - slot.at) }, slot.generation) }
        if let held, held.age < lifetime { return held.value }
        let computation: @Sendable () async throws -> Value = { [self] in
            let value = try await compute()
            remember(value, generation: generation)
            return value
        }
        if let held, held.age < staleLimit {
            Task { _ = try? await flight.run("\(generation)", computation) }
            return held.value
        }
        return try await flight.run("\(generation)", computation)
    }

    func remember(_ value: Value) {
        slot.withLock {
            $0.value = value
            $0.at = ContinuousClock.now
        }
    }

    /// Makes the value due for replacement now: it is still returned while one computation replaces
    /// it (if the stale limit allows), and a computation under way is not kept, since it may have read
    /// before what made the value old.
    func expire() {
        slot.withLock { slot in
            slot.at = ContinuousClock.now.advanced(by: .zero - lifetime)
            slot.generation += 1
        }
    }

    func forget() {
        slot.withLock { slot in
            slot.value = nil
            slot.generation += 1
        }
    }

    private func remember(_ value: Value, generation: Int) {
        slot.withLock { slot in
            guard slot.generation == generation else { return }
            slot.value = value
            slot.at = ContinuousClock.now
        }
    }
}

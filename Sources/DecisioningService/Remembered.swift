import Synchronization

/// One value remembered for `lifetime`.
final class Remembered<Value: Sendable>: Sendable {
    let lifetime: Duration
    private let slot = Mutex<(value: Value, at: ContinuousClock.Instant)?>(nil)
    private let flight = SingleFlight<Value>()

    init(lifetime: Duration) { self.lifetime = lifetime }

    func value() -> Value? {
        let now = ContinuousClock.now
        return slot.withLock { slot in slot.flatMap { now - $0.at < lifetime ? $0.value : nil } }
    }

    /// The remembered value, or the one `compute` gives (then remembered); concurrent callers
    /// share one computation.
    func value(orCompute compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let value = value() { return value }
        return try await flight.run("") { [self] in
            let value = try await compute()
            remember(value)
            return value
        }
    }

    func remember(_ value: Value) { slot.withLock { $0 = (value, ContinuousClock.now) } }

    func forget() { slot.withLock { $0 = nil } }
}

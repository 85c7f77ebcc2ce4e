import Synchronization

/// One value remembered for `lifetime`.
final class Remembered<Value: Sendable>: Sendable {
    let lifetime: Duration
    private let slot = Mutex<(value: Value, at: ContinuousClock.Instant)?>(nil)

    init(lifetime: Duration) { self.lifetime = lifetime }

    func value() -> Value? {
        let now = ContinuousClock.now
        return slot.withLock { slot in slot.flatMap { now - $0.at < lifetime ? $0.value : nil } }
    }

    func remember(_ value: Value) { slot.withLock { $0 = (value, ContinuousClock.now) } }

    func forget() { slot.withLock { $0 = nil } }
}

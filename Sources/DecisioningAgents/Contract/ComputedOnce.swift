import Synchronization

/// A value computed by the first caller that needs it and kept for the others, without waiting: a
/// caller that needs it while another is still computing it computes its own, and the first value
/// finished is the one kept. Only a value computed in full is kept; a failure is not. Meant for values
/// that are the same whoever computes them (`RunMemo`).
public final class ComputedOnce<Value: Sendable>: Sendable {
    private let kept = Mutex<Value?>(nil)

    public init() {}

    /// The kept value, or the one `make` computes (kept unless another caller finished first).
    public func value(_ make: () throws -> Value) rethrows -> Value {
        if let value = kept.withLock({ $0 }) { return value }
        let made = try make()
        return kept.withLock { kept in
            if let kept { return kept }
            kept = made
            return made
        }
    }
}

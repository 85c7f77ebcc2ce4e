import DecisioningCore

/// When a failed delivery is tried again: exponential backoff with "equal jitter", in whole seconds.
/// Attempt `n` (1 for the first failure) waits between half and all of `base · 2^(n-1)`, at most
/// `cap`; where in that range comes from `seed`, the delivery and the attempt, so that a test can
/// predict it and deliveries that failed together do not retry together.
public struct WebhookBackoff: Sendable, Equatable {
    public var baseSeconds: Double
    public var capSeconds: Double
    public var seed: UInt64

    public init(baseSeconds: Double = 10, capSeconds: Double = 3_600, seed: UInt64 = 0x5EED_0000_0000_0001) {
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
        self.seed = seed
    }

    /// The seconds to wait after failed attempt `attempt` (1-based) of delivery `deliveryId`, at least 1.
    public func delay(attempt: Int, deliveryId: String) -> Int64 {
        let exponent = Double(max(0, min(attempt - 1, 40)))
        let full = min(capSeconds, baseSeconds * pow2(exponent))
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in deliveryId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var random = SeededRandom(seed: seed, stream: hash &+ UInt64(attempt))
        let seconds = full / 2 + random.unit() * full / 2
        return max(1, Int64(seconds.rounded(.up)))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}

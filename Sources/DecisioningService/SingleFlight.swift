import Synchronization

/// One computation per key at a time: callers asking for a key whose computation is under way wait
/// for that one instead of starting their own (so an expired cache entry costs one database read
/// however many requests arrive at once).
final class SingleFlight<Value: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Value, any Error>]>([:])

    init() {}

    func run(_ key: String, _ compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = running.withLock { running -> Task<Value, any Error> in
            if let task = running[key] { return task }
            let task = Task { try await compute() }
            running[key] = task
            return task
        }
        defer { running.withLock { if $0[key] == task { $0[key] = nil } } }
        return try await task.value
    }

    /// How many keys are being computed (for tests).
    var inFlight: Int { running.withLock { $0.count } }
}

import Synchronization
import Testing

@testable import DecisioningService

/// A remembered value: fresh for its lifetime, then returned stale while one background computation
/// replaces it, computed while the caller waits once past the stale limit, and never taken from a
/// computation that started before `forget`.
@Suite struct RememberedTests {
    final class Counter: Sendable {
        private let count = Mutex(0)
        func next() -> Int {
            count.withLock {
                $0 += 1
                return $0
            }
        }
        var value: Int { count.withLock { $0 } }
    }

    @Test func aStaleValueIsReturnedAtOnceWhileOneComputationReplacesIt() async throws {
        let remembered = Remembered<Int>(lifetime: .milliseconds(50), staleLimit: .seconds(30))
        let counter = Counter()
        let compute: @Sendable () async throws -> Int = {
            try await Task.sleep(for: .milliseconds(300))
            return counter.next()
        }
        #expect(try await remembered.value(orCompute: compute) == 1)
        #expect(try await remembered.value(orCompute: compute) == 1, "fresh: not computed again")
        try await Task.sleep(for: .milliseconds(80))
        // Stale: every caller gets the old value at once, and one computation starts.
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<5 { #expect(try await remembered.value(orCompute: compute) == 1) }
        #expect(clock.now - start < .milliseconds(250), "a stale value does not wait for its replacement")
        try await Task.sleep(for: .milliseconds(800))
        #expect(counter.value == 2, "one background computation for five stale reads")
        #expect(try await remembered.value(orCompute: compute) == 2)
    }

    @Test func pastTheStaleLimitTheCallerWaitsAndForgetDropsWhatWasUnderWay() async throws {
        let remembered = Remembered<Int>(lifetime: .milliseconds(20), staleLimit: .milliseconds(300))
        let counter = Counter()
        let compute: @Sendable () async throws -> Int = {
            try await Task.sleep(for: .milliseconds(50))
            return counter.next()
        }
        #expect(try await remembered.value(orCompute: compute) == 1)
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await remembered.value(orCompute: compute) == 2, "too old to return: computed while waiting")

        try await Task.sleep(for: .milliseconds(60))
        // Stale: returned at once, and a background computation starts; forget before it ends.
        #expect(try await remembered.value(orCompute: compute) == 2)
        remembered.forget()
        #expect(remembered.value() == nil)
        try await Task.sleep(for: .milliseconds(500))
        #expect(counter.value == 3, "the background computation ran")
        #expect(remembered.value() == nil, "a computation started before forget is not remembered")
        #expect(try await remembered.value(orCompute: compute) == 4)
    }
}

import Synchronization
import Testing

@testable import DecisioningService

/// One computation per key at a time, shared by every concurrent caller, errors included; the next
/// caller after it ends computes again.
@Suite struct SingleFlightTests {
    struct Refused: Error {}

    final class Gate: Sendable {
        private let opened = Mutex(false)
        func open() { opened.withLock { $0 = true } }
        var isOpen: Bool { opened.withLock { $0 } }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func concurrentCallersShareOneComputationPerKey() async throws {
        let flight = SingleFlight<Int>()
        let computed = Counter()
        let entered = Counter()
        let gate = Gate()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<30 {
                group.addTask {
                    entered.add()
                    return try await flight.run(i % 2 == 0 ? "even" : "odd") {
                        computed.add()
                        while !gate.isOpen { try await Task.sleep(for: .milliseconds(5)) }
                        return i % 2
                    }
                }
            }
            // Every caller has asked (and so waits on the computation of its key) before it ends.
            for _ in 0..<1_000 where entered.value < 30 || flight.inFlight < 2 { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(100))
            gate.open()
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(computed.value == 2, "one computation per key")
        #expect(results.filter { $0 == 0 }.count == 15 && results.filter { $0 == 1 }.count == 15)
        #expect(flight.inFlight == 0)
        _ = try await flight.run("even") {
            computed.add()
            return 0
        }
        #expect(computed.value == 3, "after it ended, a new call computes again")
    }

    @Test func anErrorReachesEveryWaiterAndIsNotKept() async throws {
        let flight = SingleFlight<Int>()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await flight.run("k") {
                            try await Task.sleep(for: .milliseconds(100))
                            throw Refused()
                        }
                        return false
                    } catch { return error is Refused }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 10)
        #expect(try await flight.run("k") { 7 } == 7)
    }
}

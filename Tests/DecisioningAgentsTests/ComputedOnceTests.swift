import DecisioningAgents
import Dispatch
import Foundation
import Synchronization
import Testing

/// The run's shared values: computed by the first agent that needs one and kept for the others; an agent
/// that asks meanwhile waits for that computation, stops waiting when its own check throws, and computes
/// the value itself when the computation fails.
@Suite struct ComputedOnceTests {
    struct Refused: Error {}
    struct TimedOut: Error {}
    /// A waiter that is never cancelled.
    static let goOn: @Sendable () throws -> Void = {}

    @Test func theFirstValueComputedIsKeptAndAFailureIsNot() throws {
        let once = ComputedOnce<Int>()
        let calls = Mutex(0)
        #expect(throws: Refused.self) {
            try once.value(check: ComputedOnceTests.goOn) {
                calls.withLock { $0 += 1 }
                throw Refused()
            }
        }
        // The failure was not kept: the next caller computes, and every later one gets that value without computing.
        #expect(
            try once.value(check: ComputedOnceTests.goOn) {
                calls.withLock { $0 += 1 }
                return 7
            } == 7)
        #expect(
            try once.value(check: ComputedOnceTests.goOn) {
                calls.withLock { $0 += 1 }
                return 8
            } == 7)
        #expect(calls.withLock { $0 } == 2)
    }

    /// A caller computing on another thread, held inside `make` until `release` is signalled.
    final class Holder: Sendable {
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Int, Refused>?>(nil)

        init(_ once: ComputedOnce<Int>, value: Int, fails: Bool = false) {
            DispatchQueue.global().async { [self] in
                let result = Result { () throws(Refused) -> Int in
                    do {
                        return try once.value(check: ComputedOnceTests.goOn) {
                            inside.signal()
                            release.wait()
                            if fails { throw Refused() }
                            return value
                        }
                    } catch {
                        throw Refused()
                    }
                }
                outcome.withLock { $0 = result }
                done.signal()
            }
            inside.wait()
        }
    }

    @Test func anOverlappingCallerWaitsForTheComputationAndGetsItsValue() throws {
        let once = ComputedOnce<Int>()
        let first = Holder(once, value: 1)
        let second = Mutex<Int?>(nil)
        let secondDone = DispatchSemaphore(value: 0)
        let computedBySecond = Mutex(false)
        DispatchQueue.global().async {
            let value = try? once.value(check: ComputedOnceTests.goOn) {
                computedBySecond.withLock { $0 = true }
                return 2
            }
            second.withLock { $0 = value }
            secondDone.signal()
        }
        // The second caller waits while the first computes.
        #expect(secondDone.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        first.release.signal()
        #expect(secondDone.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(first.done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(second.withLock { $0 } == 1)
        #expect(!computedBySecond.withLock { $0 })
        #expect(try first.outcome.withLock { $0 }?.get() == 1)
        #expect(try once.value(check: ComputedOnceTests.goOn) { 3 } == 1)
    }

    @Test func aWaiterWhoseCheckThrowsStopsWaitingAndTheValueIsStillKept() throws {
        let once = ComputedOnce<Int>()
        let first = Holder(once, value: 1)
        let checks = Mutex(0)
        let start = Date()
        let check = {
            let n = checks.withLock { n in
                n += 1
                return n
            }
            if n >= 3 { throw TimedOut() }
        }
        #expect(throws: TimedOut.self) { try once.value(check: check) { 2 } }
        // Three checks, 50 ms apart: the wait ended by the check, not at once and not never.
        #expect(Date().timeIntervalSince(start) >= 0.12)
        first.release.signal()
        #expect(first.done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(try once.value(check: ComputedOnceTests.goOn) { 3 } == 1)
    }

    @Test func whenTheComputationFailsAWaiterComputesTheValue() throws {
        let once = ComputedOnce<Int>()
        let first = Holder(once, value: 1, fails: true)
        let second = Mutex<Int?>(nil)
        let secondDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let value = try? once.value(check: ComputedOnceTests.goOn) { 5 }
            second.withLock { $0 = value }
            secondDone.signal()
        }
        #expect(secondDone.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        first.release.signal()
        #expect(first.done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(secondDone.wait(timeout: .now() + .seconds(10)) == .success)
        // The failure went to the caller that computed, and the waiter computed its own value, which is kept.
        #expect(throws: Refused.self) { try first.outcome.withLock { $0 }?.get() }
        #expect(second.withLock { $0 } == 5)
        #expect(try once.value(check: ComputedOnceTests.goOn) { 6 } == 5)
    }
}

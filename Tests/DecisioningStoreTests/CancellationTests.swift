import DecisioningCore
import DecisioningStore
import Foundation
import Synchronization
import Testing

/// Raising a `CancellationFlag` stops the statement a store is running for its owner.
@Suite struct CancellationTests {
    /// Counts how often a stopper ran.
    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        var value: Int { count.load(ordering: .relaxed) }
        func increment() { count.add(1, ordering: .relaxed) }
    }

    /// Not on Dispatch: on Linux Swift's cooperative pool is Dispatch's, and these synchronous tests
    /// occupy it while they wait for the canceller.
    static func onThreadOfItsOwn(_ body: @escaping @Sendable () -> Void) {
        Thread.detachNewThread(body)
    }

    /// A semaphore the work signals once it runs; the flag is raised (twice: the second is a no-op) right after.
    static func cancelOnceEntered(_ flag: CancellationFlag) -> DispatchSemaphore {
        let entered = DispatchSemaphore(value: 0)
        onThreadOfItsOwn {
            entered.wait()
            flag.cancel()
            flag.cancel()
        }
        return entered
    }

    static func isCancelled(_ error: any Error) -> Bool {
        if (error as? StoreError)?.kind == .cancelled { return true }
        return false
    }

    @Test func raisingTheFlagStopsTheRunningBodyOnceAndDropsItsAnswer() throws {
        let flag = CancellationFlag()
        let stops = Counter()
        let entered = Self.cancelOnceEntered(flag)
        #expect {
            try flag.whileRunning(
                "work", stop: { stops.increment() },
                { () throws(StoreError) -> Int in
                    entered.signal()
                    // Runs until the stop reaches it (the flag is raised before the stop runs, on the
                    // canceller's thread: waiting for the flag alone raced the stop under load).
                    let deadline = Date().addingTimeInterval(10)
                    while stops.value == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                    return 42
                })
        } throws: { Self.isCancelled($0) }
        #expect(stops.value >= 1)
    }

    @Test func aStopThatFoundNothingIsRepeatedUntilTheWorkEnds() throws {
        let flag = CancellationFlag()
        let stops = Counter()
        let entered = Self.cancelOnceEntered(flag)
        #expect {
            try flag.whileRunning(
                "two statements", stop: { stops.increment() },
                { () throws(StoreError) in
                    entered.signal()
                    // Like a KILL that landed between two statements: the work goes on until stopped again.
                    let deadline = Date().addingTimeInterval(10)
                    while stops.value < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                })
        } throws: { Self.isCancelled($0) }
        let afterwards = stops.value
        #expect(afterwards >= 3)
        Thread.sleep(forTimeInterval: 3 * CancellationFlag.stopInterval)
        #expect(stops.value == afterwards)
    }

    @Test func aFlagRaisedAfterTheBodyEndedStopsNothing() throws {
        let flag = CancellationFlag()
        let stops = Counter()
        let answer = try flag.whileRunning("work", stop: { stops.increment() }, { () throws(StoreError) in 7 })
        flag.cancel()
        #expect(answer == 7)
        #expect(stops.value == 0)
    }

    @Test func aFlagRaisedBeforehandRunsNothing() throws {
        let flag = CancellationFlag()
        flag.cancel()
        let ran = Counter()
        #expect {
            try flag.whileRunning("work", stop: {}, { () throws(StoreError) in ran.increment() })
        } throws: { Self.isCancelled($0) }
        #expect(ran.value == 0)
        #expect(throws: StoreError.self) { try flag.check("loop") }
    }

    @Test func sqliteInterruptsALongQueryAndStaysUsable() throws {
        let (store, _) = try makeTemporaryStore()
        let flag = CancellationFlag()
        Self.onThreadOfItsOwn {
            Thread.sleep(forTimeInterval: 0.3)
            flag.cancel()
        }
        let clock = ContinuousClock()
        let started = clock.now
        // About a billion rows: minutes of work unless the interrupt stops it.
        #expect {
            _ = try store.query(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c",
                arguments: [], columnTypes: [.integer], cancellation: flag)
        } throws: { Self.isCancelled($0) }
        #expect(clock.now - started < .seconds(20))
        #expect(try store.query("SELECT 1", arguments: [], columnTypes: [.integer]) == [[.integer(1)]])
        #expect(try store.query("SELECT 2", arguments: [], columnTypes: [.integer], cancellation: CancellationFlag()) == [[.integer(2)]])
    }

    @Test func aCancelledScanReadsNothing() throws {
        let (store, _) = try makeTemporaryStore()
        let flag = CancellationFlag()
        flag.cancel()
        #expect {
            _ = try store.scanColumnar(Catalog.projects, columns: ["project_id"], after: nil, cancellation: flag)
        } throws: { Self.isCancelled($0) }
    }
}

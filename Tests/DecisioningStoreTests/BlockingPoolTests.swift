import DecisioningCore
import DecisioningStore
import Foundation
import Synchronization
import Testing

/// The bounded pool that blocking work runs on, entered from async code, cancelled through the
/// calling task.
@Suite struct BlockingPoolTests {
    /// Shared state for closures that run on other threads.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
        func set(_ newValue: Value) { value.withLock { $0 = newValue } }
        func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
    }

    static let longQuery =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"

    @Test func manyCallsUseAtMostTheCapacityAndAllFinish() async throws {
        let pool = BlockingPool(name: "test.bounded", capacity: 3)
        let counts = Shared((running: 0, most: 0))
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<60 {
                group.addTask {
                    try await pool.run("job \(i)") { _ in
                        counts.update {
                            $0.running += 1
                            $0.most = max($0.most, $0.running)
                        }
                        Thread.sleep(forTimeInterval: 0.002)
                        counts.update { $0.running -= 1 }
                        return i
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(sum == (0..<60).reduce(0, +))
        #expect(pool.threadCount <= 3)
        let mostAtOnce = counts.current.most
        #expect(mostAtOnce <= 3)
        #expect(mostAtOnce >= 2)
    }

    /// Calls one after another reuse the threads: a second may start while the first finishes
    /// its bookkeeping, but no more start however many calls follow.
    @Test func threadsStayFlatOverManyCalls() async throws {
        let pool = BlockingPool(name: "test.flat", capacity: 4)
        for i in 0..<50 { _ = try await pool.run("call \(i)") { _ in i } }
        let early = pool.threadCount
        for i in 0..<500 { _ = try await pool.run("call \(i)") { _ in i } }
        #expect(early <= 2)
        #expect(pool.threadCount == early)
    }

    @Test func cancellingTheTaskStopsTheSQLiteStatement() async throws {
        let (store, _) = try makeTemporaryStore()
        let pool = BlockingPool(name: "test.cancel", capacity: 2)
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task {
            try await pool.run("count to a billion") { flag in
                try store.query(Self.longQuery, arguments: [], columnTypes: [.integer], cancellation: flag)
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect {
            _ = try await task.value
        } throws: { error in
            if (error as? StoreError)?.kind == .cancelled { return true }
            return error is CancellationError
        }
        #expect(clock.now - started < .seconds(20))
        // The connection is usable afterwards: the interrupt did not reach the next statement.
        let after = try await pool.run("after") { flag in
            try store.query("SELECT 1", arguments: [], columnTypes: [.integer], cancellation: flag)
        }
        #expect(after == [[.integer(1)]])
    }

    @Test func aTaskCancelledBeforeItsTurnRunsNothing() async throws {
        let pool = BlockingPool(name: "test.queued", capacity: 1)
        let release = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run("blocker") { _ in release.wait() } }
        try await Task.sleep(for: .milliseconds(50))
        let ran = Shared(false)
        let queued = Task { try await pool.run("queued") { _ in ran.set(true) } }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()
        release.signal()
        try await blocker.value
        await #expect(throws: CancellationError.self) { try await queued.value }
        let didRun = ran.current
        #expect(!didRun)
    }

    /// An agent that does not look at its flag: the caller is told at once, the work runs on, and
    /// what it writes afterwards is rolled back.
    @Test func detachedWorkCannotCommitAfterItsCallerGaveUp() async throws {
        let (store, _) = try makeTemporaryStore()
        let pool = BlockingPool(name: "test.detach", capacity: 2)
        let finished = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let outcome = Shared("")
        let task = Task {
            try await pool.run("stubborn agent", detachOnCancel: true) { flag in
                defer { finished.signal() }
                entered.signal()
                // Does not look at its flag: goes on until the test lets it.
                release.wait()
                do {
                    try store.writeBatch(cancellation: flag) { writer in
                        let inserter = try writer.inserter(
                            for: Catalog.projects, columns: ["project_id", "project_name", "start_date", "status"], onConflict: .fail)
                        _ = try inserter.insert([.text("LATE"), .text("late"), .date(Day(iso: "2025-01-01")!), .text("ACTIVE")])
                    }
                    outcome.set("committed")
                } catch {
                    outcome.set("\(error)")
                }
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                entered.wait()
                continuation.resume()
            }
        }
        task.cancel()
        // The caller is told while the work still waits: it was not waited for.
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(outcome.current == "")
        release.signal()
        finished.wait()
        #expect(outcome.current == "write batch was cancelled")
        #expect(try store.rowCount("projects") == 0)
    }

    @Test func aRaiseDuringACommitTakesEffectWhenTheCommitEnds() throws {
        let flag = CancellationFlag()
        let raisedAt = Shared<String?>(nil)
        let committed: Int = try flag.commit("batch") { () throws(StoreError) in
            flag.cancel { raisedAt.set("after commit") }
            #expect(flag.isCancelled)
            #expect(raisedAt.current == nil)
            return 1
        }
        #expect(committed == 1)
        #expect(raisedAt.current == "after commit")
        #expect(throws: StoreError.self) { try flag.commit("next") { () throws(StoreError) in 2 } }
    }

    @Test func aCommitAfterTheRaiseRollsTheBatchBack() throws {
        let (store, _) = try makeTemporaryStore()
        let flag = CancellationFlag()
        flag.cancel()
        #expect {
            try store.writeBatch(cancellation: flag) { writer in
                let inserter = try writer.inserter(
                    for: Catalog.projects, columns: ["project_id", "project_name", "start_date", "status"], onConflict: .fail)
                _ = try inserter.insert([.text("P1"), .text("p"), .date(Day(iso: "2025-01-01")!), .text("ACTIVE")])
            }
        } throws: { error in
            if (error as? StoreError)?.kind == .cancelled { return true }
            return false
        }
        #expect(try store.rowCount("projects") == 0)
        // The store still writes for a flag that is not raised.
        try store.writeBatch(cancellation: CancellationFlag()) { writer in
            let inserter = try writer.inserter(
                for: Catalog.projects, columns: ["project_id", "project_name", "start_date", "status"], onConflict: .fail)
            _ = try inserter.insert([.text("P2"), .text("p"), .date(Day(iso: "2025-01-01")!), .text("ACTIVE")])
        }
        #expect(try store.rowCount("projects") == 1)
    }
}

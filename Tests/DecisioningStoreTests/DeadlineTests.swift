import DecisioningStore
import Foundation
import Synchronization
import Testing

/// Deadlines, all kept by one thread of the process.
@Suite struct DeadlineTests {
    @Test func anExpiredDeadlineRanItsActionOnce() throws {
        let runs = BlockingPoolTests.Shared(0)
        let deadline = Deadline(seconds: 0.05) { runs.update { $0 += 1 } }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(deadline.finish())
        let count = runs.current
        #expect(count == 1)
    }

    @Test func aDeadlineFinishedInTimeNeverRuns() throws {
        let runs = BlockingPoolTests.Shared(0)
        let deadline = Deadline(seconds: 0.2) { runs.update { $0 += 1 } }
        #expect(!deadline.finish())
        Thread.sleep(forTimeInterval: 0.4)
        let count = runs.current
        #expect(count == 0)
    }

    /// `finish` called while the action runs waits for it: once `finish` returns, it is over.
    @Test func finishWaitsForAnActionUnderWay() throws {
        let inAction = DispatchSemaphore(value: 0)
        let done = BlockingPoolTests.Shared(false)
        let deadline = Deadline(seconds: 0) {
            inAction.signal()
            Thread.sleep(forTimeInterval: 0.2)
            done.set(true)
        }
        inAction.wait()
        #expect(deadline.finish())
        let finishedAction = done.current
        #expect(finishedAction)
    }

    /// Many deadlines, one thread: the earliest fires first whatever the order they were set in.
    @Test func deadlinesFireInTimeOrder() throws {
        let order = BlockingPoolTests.Shared<[Int]>([])
        let deadlines = [0.3, 0.1, 0.2].enumerated().map { i, seconds in
            Deadline(seconds: seconds) { order.update { $0.append(i) } }
        }
        Thread.sleep(forTimeInterval: 0.6)
        for deadline in deadlines { deadline.finish() }
        #expect(order.current == [1, 2, 0])
    }
}

import DecisioningAgents
import Dispatch
import Synchronization
import Testing

/// The run's shared values: computed by the first agent that needs one, kept for the others, never waited on.
@Suite struct ComputedOnceTests {
    struct Refused: Error {}

    @Test func theFirstValueComputedIsKeptAndAFailureIsNot() throws {
        let once = ComputedOnce<Int>()
        let calls = Mutex(0)
        #expect(throws: Refused.self) {
            try once.value {
                calls.withLock { $0 += 1 }
                throw Refused()
            }
        }
        // The failure was not kept: the next caller computes, and every later one gets that value without computing.
        #expect(
            once.value {
                calls.withLock { $0 += 1 }
                return 7
            } == 7)
        #expect(
            once.value {
                calls.withLock { $0 += 1 }
                return 8
            } == 7)
        #expect(calls.withLock { $0 } == 2)
    }

    /// Callers that overlap each compute (none waits for another), and all get the one value finished first.
    @Test func overlappingCallersNeverWaitAndAllGetTheValueFinishedFirst() {
        let once = ComputedOnce<Int>()
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let slow = Mutex<Int?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let value = once.value {
                inside.signal()
                release.wait()
                return 1
            }
            slow.withLock { $0 = value }
            done.signal()
        }
        inside.wait()
        // The first caller is still computing: this one does not wait for it (the test would hang), it computes its own.
        #expect(once.value { 2 } == 2)
        release.signal()
        done.wait()
        // The slow caller finished second: it gets the value kept, not its own.
        #expect(slow.withLock { $0 } == 2)
        #expect(once.value { 3 } == 2)
    }
}

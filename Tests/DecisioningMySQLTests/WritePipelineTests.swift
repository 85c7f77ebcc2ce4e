import DecisioningStore
import Foundation
import Testing

@testable import DecisioningMySQL

/// The pipeline that lets the server insert one group of rows while the next is being built.
@Suite struct WritePipelineTests {
    /// What the jobs did, in order, from the pipeline's thread.
    final class Journal: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [Int] = []
        var all: [Int] { lock.withLock { entries } }
        func add(_ n: Int) { lock.withLock { entries.append(n) } }
    }

    @Test func jobsRunInOrderAndDrainWaitsForAllOfThem() throws {
        let pipeline = WritePipeline(depth: 2)
        defer { pipeline.close() }
        let journal = Journal()
        for i in 0..<50 {
            try pipeline.submit { () throws(StoreError) in
                if i % 10 == 0 { Thread.sleep(forTimeInterval: 0.005) }
                journal.add(i)
            }
        }
        try pipeline.drain()
        #expect(journal.all == Array(0..<50))
    }

    @Test func aFailureStopsLaterJobsAndIsThrownByTheNextCalls() throws {
        let pipeline = WritePipeline(depth: 1)
        defer { pipeline.close() }
        let journal = Journal()
        try pipeline.submit { () throws(StoreError) in journal.add(1) }
        try pipeline.submit { () throws(StoreError) in throw .constraint(table: "t", reason: "refused") }
        // Either queued behind the failure (and dropped) or refused at once: never run.
        try? pipeline.submit { () throws(StoreError) in journal.add(3) }
        #expect(throws: StoreError.self) { try pipeline.drain() }
        #expect(throws: StoreError.self) { try pipeline.submit { () throws(StoreError) in journal.add(4) } }
        #expect(journal.all == [1])
    }

    @Test func submitWaitsWhileDepthJobsWait() throws {
        let pipeline = WritePipeline(depth: 1)
        defer { pipeline.close() }
        let gate = DispatchSemaphore(value: 0)
        let journal = Journal()
        try pipeline.submit { () throws(StoreError) in
            gate.wait()
            journal.add(1)
        }  // running, held by the gate
        try pipeline.submit { () throws(StoreError) in journal.add(2) }  // waiting: the queue is full
        let submitted = Journal()
        let third = Thread {
            try? pipeline.submit { () throws(StoreError) in journal.add(3) }
            submitted.add(3)
        }
        third.start()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(submitted.all.isEmpty)
        gate.signal()
        try pipeline.drain()
        let deadline = Date().addingTimeInterval(10)
        while submitted.all.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        try pipeline.drain()
        #expect(submitted.all == [3])
        #expect(journal.all == [1, 2, 3])
    }

    @Test func closeDropsWaitingJobsAndReturnsOnceTheThreadIsDone() throws {
        let pipeline = WritePipeline(depth: 4)
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let journal = Journal()
        try pipeline.submit { () throws(StoreError) in
            started.signal()
            gate.wait()
            journal.add(1)
        }
        try pipeline.submit { () throws(StoreError) in journal.add(2) }
        started.wait()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            gate.signal()
        }
        pipeline.close()
        #expect(journal.all == [1])
        pipeline.close()
    }

    @Test func aClosedPipelineIsFreed() throws {
        weak var released: WritePipeline?
        do {
            let pipeline = WritePipeline()
            released = pipeline
            try pipeline.submit { () throws(StoreError) in }
            try pipeline.drain()
            pipeline.close()
        }
        // The thread lets go of its block once it has ended, a moment after close() returns.
        let deadline = Date().addingTimeInterval(10)
        while released != nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(released == nil)
    }
}

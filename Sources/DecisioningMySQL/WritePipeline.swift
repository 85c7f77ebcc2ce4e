import DecisioningStore
import Foundation

/// Runs a write batch's statements in order on a thread of its own, so that the caller parses and
/// encodes the next group of rows while the server inserts the previous one: the two work at once
/// instead of taking turns.
///
/// Jobs run one at a time, in the order they were submitted, on one connection. After a job fails
/// nothing more runs, and the failure is thrown by the next `submit` or `drain`: the batch then
/// rolls back as a whole. At most `depth` jobs wait, which bounds the rows held in memory.
///
/// Every member is used under `condition`, hence `@unchecked Sendable`; a job's captures are touched
/// only by the pipeline's thread while it runs, and by the caller after `drain` or `close` returned.
final class WritePipeline: @unchecked Sendable {
    typealias Job = () throws(StoreError) -> Void

    private let condition = NSCondition()
    private let depth: Int
    private var waiting: [Job] = []
    private var busy = false
    private var failure: StoreError?
    private var closing = false
    private var thread: Thread?
    private var finished = false

    init(depth: Int = 2) {
        self.depth = max(1, depth)
    }

    /// Queues `job`, waiting while `depth` jobs already wait. Throws an earlier job's failure instead.
    func submit(_ job: @escaping Job) throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!closing, "WritePipeline used after close()")
        if thread == nil { startThread() }
        while waiting.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        waiting.append(job)
        condition.broadcast()
    }

    /// Waits until every submitted job ran; throws the first failure.
    func drain() throws(StoreError) {
        condition.lock()
        defer { condition.unlock() }
        while (busy || !waiting.isEmpty) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Stops the thread: after the running job, whatever still waits is dropped (the batch is being
    /// committed after `drain`, or rolled back). Returns once the thread touches nothing any more.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closing = true
        waiting.removeAll()
        condition.broadcast()
        while thread != nil && !finished { condition.wait() }
        // The thread's block holds this pipeline: let go of the thread so that both can be freed.
        thread = nil
    }

    private func startThread() {
        let thread = Thread { [self] in run() }
        thread.name = "decisioning.mysql.writer"
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    private func run() {
        condition.lock()
        while true {
            while waiting.isEmpty && !closing { condition.wait() }
            if closing { break }
            let job = waiting.removeFirst()
            busy = true
            condition.broadcast()
            condition.unlock()
            var error: StoreError?
            do throws(StoreError) { try job() } catch let e { error = e }
            condition.lock()
            busy = false
            if let error {
                failure = error
                waiting.removeAll()
            }
            condition.broadcast()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

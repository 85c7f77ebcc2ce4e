import Dispatch
import Foundation
import Synchronization

/// Parallel loops over fixed chunks with a chosen number of workers: each worker takes the next chunk
/// not yet taken (an atomic counter, so a slow chunk does not hold the others back), and a chunk's result
/// depends only on the chunk, never on the worker or the thread timing (a worker's scratch is reset for
/// every item); `workers == 1` runs everything on the calling thread, in order.
enum VectorParallel {
    /// Runs `body(chunk, worker)` for every chunk in `0..<chunks` on up to `workers` threads.
    static func run(chunks: Int, workers: Int, _ body: @Sendable (_ chunk: Int, _ worker: Int) -> Void) {
        let threads = max(1, min(workers, chunks))
        if threads == 1 {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if chunk >= chunks { break }
                body(chunk, worker)
            }
        }
    }

    /// The workers to use: `requested`, at least 1, or every core when nil.
    static func workers(_ requested: Int?) -> Int { max(1, requested ?? ProcessInfo.processInfo.activeProcessorCount) }

    /// The number of fixed-size chunks that cover `count` items.
    static func chunkCount(_ count: Int, size: Int) -> Int { (count + size - 1) / size }
}

/// Memory written by the workers of a parallel loop, each to its own disjoint part (one chunk's
/// rows, one node's neighbour list), and read after the loop. The owner keeps the memory alive for
/// the loop's duration; disjointness is what makes the unchecked `Sendable` sound.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

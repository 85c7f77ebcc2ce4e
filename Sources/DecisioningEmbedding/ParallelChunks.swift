import Dispatch

/// Runs a loop over `0..<count` in parallel, in chunks of a fixed size, so the work each iteration does
/// (and so every result) never depends on the number of threads; each chunk writes only its own output.
enum ParallelChunks {
    static func forEach(_ count: Int, chunk: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let size = max(chunk, 1)
        let chunks = (count + size - 1) / size
        if chunks == 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            body(i * size..<min(count, (i + 1) * size))
        }
    }
}

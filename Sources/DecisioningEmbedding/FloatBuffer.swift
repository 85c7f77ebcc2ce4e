/// A fixed-size block of floats shared by the workers of a parallel loop: each worker writes its own
/// disjoint rows, and the block is read only after the loop (`DispatchQueue.concurrentPerform` waits
/// for every iteration), so unchecked `Sendable` is sound.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

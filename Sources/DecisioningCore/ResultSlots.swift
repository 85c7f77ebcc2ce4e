/// One result slot per work item, each written by exactly one worker of a parallel loop
/// (`DispatchQueue.concurrentPerform`), read after the loop: results come back in item order,
/// whatever thread computed them.
public final class ResultSlots<T>: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<T?>
    private let count: Int

    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: nil, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    public func set(_ i: Int, _ value: T) { pointer[i] = value }

    /// Every slot's value; each must have been set.
    public func values() -> [T] { (0..<count).map { pointer[$0]! } }
}

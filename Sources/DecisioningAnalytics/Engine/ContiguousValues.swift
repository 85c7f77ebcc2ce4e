/// Values stored one after another in memory, read through a buffer: arrays and `ColumnValues`.
protocol ContiguousValues {
    associatedtype Element
    var count: Int { get }
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R
}

extension Array: ContiguousValues {}
extension ColumnValues: ContiguousValues {}

/// A column's values: an array the engine built, or a run of a mapped column snapshot read in place
/// (no copy, so a table loaded from its snapshot costs no fresh pages to zero and fill).
///
/// Read-only, like every column: operators make new values rather than change these. A mapped run
/// keeps its mapping alive for as long as any copy of it exists.
public struct ColumnValues<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    // Unchecked: `mapped` points into memory that is read-only and owned by `region`, which this value keeps.
    private let array: [Element]
    private let mapped: UnsafePointer<Element>?
    private let region: (any MappedRegion)?
    public let count: Int

    public init(_ array: [Element]) {
        self.array = array
        mapped = nil
        region = nil
        count = array.count
    }

    /// `count` values at `start`, inside `region`'s memory, which stays mapped while this value lives.
    init(mapped start: UnsafePointer<Element>, count: Int, in region: any MappedRegion) {
        array = []
        mapped = start
        self.region = region
        self.count = count
    }

    /// Whether the values are read in place from a mapped snapshot.
    public var isMapped: Bool { mapped != nil }

    @inline(__always) public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        if let mapped { return try body(UnsafeBufferPointer(start: mapped, count: count)) }
        return try array.withUnsafeBufferPointer(body)
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
    }

    /// The values as an array (a copy when they are mapped).
    public var elements: [Element] {
        if let mapped { return Array(UnsafeBufferPointer(start: mapped, count: count)) }
        return array
    }

    static func + (a: ColumnValues, b: ColumnValues) -> ColumnValues {
        b.count == 0 ? a : concatenating([a, b])
    }

    /// `parts`' values one after another.
    static func concatenating(_ parts: [ColumnValues]) -> ColumnValues {
        ColumnValues(Parallel.concatenated(parts))
    }
}

extension ColumnValues: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always) public subscript(position: Int) -> Element {
        if let mapped {
            precondition(position >= 0 && position < count, "column index out of range")
            return mapped[position]
        }
        return array[position]
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }
}

/// The algorithms the engine runs over whole columns, over the contiguous values (a collection's
/// defaults would go through `subscript`, which asks which storage holds the values at every row).
extension ColumnValues {
    @inline(__always) public func map<T>(_ transform: (Element) throws -> T) rethrows -> [T] {
        try withUnsafeBufferPointer { try $0.map(transform) }
    }

    @inline(__always) public func contains(where predicate: (Element) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { try $0.contains(where: predicate) }
    }

    @inline(__always) public func allSatisfy(_ predicate: (Element) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { try $0.allSatisfy(predicate) }
    }

    /// The values with their row numbers, as `enumerated().map`.
    @inline(__always) func mapRows<T>(_ transform: (Int, Element) throws -> T) rethrows -> [T] {
        try withUnsafeBufferPointer { values in try values.indices.map { try transform($0, values[$0]) } }
    }
}

extension ColumnValues where Element: Comparable {
    @inline(__always) public func min() -> Element? { withUnsafeBufferPointer { $0.min() } }
    @inline(__always) public func max() -> Element? { withUnsafeBufferPointer { $0.max() } }
}

extension ColumnValues: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ColumnValues: Equatable where Element: Equatable {
    public static func == (a: ColumnValues, b: ColumnValues) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}

/// Read-only memory that stays mapped while a reference to it is held.
public protocol MappedRegion: AnyObject, Sendable {}

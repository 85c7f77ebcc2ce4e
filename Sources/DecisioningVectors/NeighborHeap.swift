/// A binary max-heap of (distance, row) pairs ordered by distance, then by row, so that of two rows at
/// the same distance the lower index is kept: bounded to k it is the top-k; with negated keys it is
/// the candidate queue of a graph search.
///
/// The pairs sit side by side in one array (eight to a cache line), and the sift loops run on its raw
/// buffer: a graph build spends a sixth of its time here.
struct NeighborHeap {
    /// One pair.
    struct Entry {
        var distance: Float
        var id: Int32
    }

    private var entries: [Entry] = []

    init(capacity: Int = 0) { entries.reserveCapacity(capacity) }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var topDistance: Float { entries[0].distance }
    var topID: Int32 { entries[0].id }

    @inline(__always)
    static func before(_ d1: Float, _ i1: Int32, _ d2: Float, _ i2: Int32) -> Bool {
        d1 < d2 || (d1 == d2 && i1 < i2)
    }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(_ distance: Float, _ id: Int32) {
        entries.append(Entry(distance: distance, id: id))
        entries.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child &- 1) / 2
                let above = heap[parent]
                guard Self.before(above.distance, above.id, distance, id) else { break }
                heap[child] = above
                child = parent
            }
            heap[child] = Entry(distance: distance, id: id)
        }
    }

    /// Keeps the `capacity` smallest pairs: pushes while there is room, else replaces the largest
    /// if the new pair comes before it.
    @inline(__always)
    mutating func offer(_ distance: Float, _ id: Int32, capacity: Int) {
        if entries.count < capacity {
            push(distance, id)
        } else if Self.before(distance, id, entries[0].distance, entries[0].id) {
            replaceTop(distance, id)
        }
    }

    mutating func pop() {
        let last = entries.removeLast()
        if !entries.isEmpty { replaceTop(last.distance, last.id) }
    }

    mutating func replaceTop(_ distance: Float, _ id: Int32) {
        entries.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            var parent = 0
            while true {
                var child = 2 &* parent &+ 1
                if child >= n { break }
                var below = heap[child]
                if child &+ 1 < n {
                    let right = heap[child &+ 1]
                    if Self.before(below.distance, below.id, right.distance, right.id) {
                        child &+= 1
                        below = right
                    }
                }
                guard Self.before(distance, id, below.distance, below.id) else { break }
                heap[parent] = below
                parent = child
            }
            heap[parent] = Entry(distance: distance, id: id)
        }
    }

    /// The pairs nearest first (ties by lower row); empties the heap.
    mutating func drainAscending() -> [(distance: Float, id: Int32)] {
        var out: [(distance: Float, id: Int32)] = []
        out.reserveCapacity(count)
        while !isEmpty {
            out.append((entries[0].distance, entries[0].id))
            pop()
        }
        out.reverse()
        return out
    }
}

/// A binary max-heap of (distance, row) pairs ordered by distance, then by row, so that of two rows at
/// the same distance the lower index is kept: bounded to k it is the top-k; with negated keys it is
/// the candidate queue of a graph search.
struct NeighborHeap {
    private(set) var distances: [Float] = []
    private(set) var ids: [Int32] = []

    init(capacity: Int = 0) {
        distances.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    var count: Int { distances.count }
    var isEmpty: Bool { distances.isEmpty }
    var topDistance: Float { distances[0] }
    var topID: Int32 { ids[0] }

    @inline(__always)
    static func before(_ d1: Float, _ i1: Int32, _ d2: Float, _ i2: Int32) -> Bool {
        d1 < d2 || (d1 == d2 && i1 < i2)
    }

    mutating func removeAll() {
        distances.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }

    mutating func push(_ distance: Float, _ id: Int32) {
        distances.append(distance)
        ids.append(id)
        var child = distances.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(distances[parent], ids[parent], distance, id) else { break }
            distances[child] = distances[parent]
            ids[child] = ids[parent]
            child = parent
        }
        distances[child] = distance
        ids[child] = id
    }

    /// Keeps the `capacity` smallest pairs: pushes while there is room, else replaces the largest
    /// if the new pair comes before it.
    @inline(__always)
    mutating func offer(_ distance: Float, _ id: Int32, capacity: Int) {
        if distances.count < capacity {
            push(distance, id)
        } else if Self.before(distance, id, distances[0], ids[0]) {
            replaceTop(distance, id)
        }
    }

    mutating func pop() {
        let lastDistance = distances.removeLast()
        let lastID = ids.removeLast()
        if !distances.isEmpty { replaceTop(lastDistance, lastID) }
    }

    mutating func replaceTop(_ distance: Float, _ id: Int32) {
        let n = distances.count
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= n { break }
            if child + 1 < n, Self.before(distances[child], ids[child], distances[child + 1], ids[child + 1]) { child += 1 }
            guard Self.before(distance, id, distances[child], ids[child]) else { break }
            distances[parent] = distances[child]
            ids[parent] = ids[child]
            parent = child
        }
        distances[parent] = distance
        ids[parent] = id
    }

    /// The pairs nearest first (ties by lower row); empties the heap.
    mutating func drainAscending() -> [(distance: Float, id: Int32)] {
        var out: [(distance: Float, id: Int32)] = []
        out.reserveCapacity(count)
        while !isEmpty {
            out.append((distances[0], ids[0]))
            pop()
        }
        out.reverse()
        return out
    }
}

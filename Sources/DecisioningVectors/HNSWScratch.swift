/// One worker's reusable search state: the visited marks (a generation number per node, so clearing
/// is one increment) and the two heaps. Each worker of a parallel loop uses only its own.
final class HNSWScratch: @unchecked Sendable {
    private let visited: UnsafeMutablePointer<UInt32>
    /// The neighbours of the node being expanded that are still to be compared (one list's worth).
    let pending: UnsafeMutablePointer<Int32>
    private let nodes: Int
    private var generation: UInt32 = 0
    /// Nodes still to expand, nearest first (keys negated in a max-heap).
    var candidates = NeighborHeap(capacity: 256)
    /// The best nodes found, worst on top.
    var results = NeighborHeap(capacity: 256)

    /// Keeps two workers' scratches off one cache line: each is written on every search, and
    /// neighbouring objects would otherwise share the line their headers and marks sit on.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    )

    init(nodes: Int, listCapacity: Int) {
        self.nodes = nodes
        pending = .allocate(capacity: max(1, listCapacity))
        visited = .allocate(capacity: max(1, nodes))
        visited.initialize(repeating: 0, count: max(1, nodes))
    }

    deinit {
        visited.deallocate()
        pending.deallocate()
    }

    /// Forgets every mark.
    func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            visited.update(repeating: 0, count: max(1, nodes))
            generation = 1
        }
    }

    /// The marks and the current generation, for a search's inner loop (read once per search).
    var marks: (visited: UnsafeMutablePointer<UInt32>, generation: UInt32) { (visited, generation) }

    /// One scratch per worker for a graph of `nodes` nodes whose lists hold at most `listCapacity` neighbours.
    static func pool(workers: Int, nodes: Int, listCapacity: Int) -> [HNSWScratch] {
        (0..<max(1, workers)).map { _ in HNSWScratch(nodes: nodes, listCapacity: listCapacity) }
    }
}

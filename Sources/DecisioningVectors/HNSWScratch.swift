/// One worker's reusable search state: the visited marks (a generation number per node, so clearing
/// is one increment) and the two heaps. Each worker of a parallel loop uses only its own.
final class HNSWScratch: @unchecked Sendable {
    private var visited: [UInt32]
    private var generation: UInt32 = 0
    /// Nodes still to expand, nearest first (keys negated in a max-heap).
    var candidates = NeighborHeap(capacity: 256)
    /// The best nodes found, worst on top.
    var results = NeighborHeap(capacity: 256)

    init(nodes: Int) { visited = [UInt32](repeating: 0, count: nodes) }

    /// Forgets every mark.
    func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            for i in visited.indices { visited[i] = 0 }
            generation = 1
        }
    }

    /// Marks `node`; false if it was already marked in this generation.
    @inline(__always)
    func visit(_ node: Int32) -> Bool {
        let i = Int(node)
        if visited[i] == generation { return false }
        visited[i] = generation
        return true
    }

    static func pool(workers: Int, nodes: Int) -> [HNSWScratch] { (0..<max(1, workers)).map { _ in HNSWScratch(nodes: nodes) } }
}

import CVectorPrefetch

/// The index's arrays seen through raw pointers for the hot loops of build and search. The owner keeps
/// the arrays alive and unmoved while a view exists; during a build each node's lists are written by
/// one worker at a time (see `HNSWIndex.build`), during a search nothing is written.
struct HNSWGraph: @unchecked Sendable {
    /// Cache lines of a vector asked for ahead of its distance.
    static let prefetchLines = 4

    let vectors: UnsafePointer<Float>
    let dimensions: Int
    let metric: VectorMetric
    let levels: UnsafePointer<UInt8>
    let links0: UnsafeMutablePointer<Int32>
    let upperOffsets: UnsafePointer<Int32>
    let upperLinks: UnsafeMutablePointer<Int32>
    let m: Int

    /// The list of `node` at `level`: a count, then the neighbours.
    @inline(__always)
    func list(_ node: Int, _ level: Int) -> UnsafeMutablePointer<Int32> {
        if level == 0 {
            let offset: Int = node &* (2 &* m &+ 1)
            return links0 + offset
        }
        let start = Int(upperOffsets[node])
        let offset: Int = start &+ (level &- 1) &* (m &+ 1)
        return upperLinks + offset
    }

    @inline(__always)
    func capacity(_ level: Int) -> Int { level == 0 ? 2 * m : m }

    @inline(__always)
    func vector(_ node: Int) -> UnsafePointer<Float> { vectors + node &* dimensions }

    @inline(__always)
    func distance(_ query: UnsafePointer<Float>, _ node: Int) -> Float {
        metric.distance(query, vector(node), count: dimensions)
    }

    /// The nearest node to `query` found by walking greedily on `level` from `start`.
    func greedy(_ query: UnsafePointer<Float>, from start: (distance: Float, id: Int32), level: Int) -> (distance: Float, id: Int32) {
        var best = start
        var changed = true
        while changed {
            changed = false
            let links = list(Int(best.id), level)
            let n = Int(links[0])
            var i = 1
            while i <= n {
                let node = links[i]
                i &+= 1
                let d = distance(query, Int(node))
                if NeighborHeap.before(d, node, best.distance, best.id) {
                    best = (d, node)
                    changed = true
                }
            }
        }
        return best
    }

    /// The `ef` nearest nodes to `query` on `level` reachable from `entries`, left in
    /// `scratch.results`. Nodes `accept` refuses are traversed but never enter the results.
    ///
    /// The walk waits on memory, not arithmetic: each expansion first asks for the visited marks of
    /// all the node's neighbours, then for the first cache lines of the vectors of those not yet visited,
    /// and only then computes their distances, asking for the rest of the next vector before each one,
    /// so the cache misses overlap instead of following one another.
    func searchLayer(
        _ query: UnsafePointer<Float>, entries: [(distance: Float, id: Int32)], ef: Int, level: Int, scratch: HNSWScratch,
        accept: ((Int) -> Bool)?
    ) {
        scratch.nextGeneration()
        let (visited, generation) = scratch.marks
        let pending = scratch.pending
        // The heaps are moved out of the scratch for the loop (no copy) and back after it.
        var candidates = scratch.candidates
        var results = scratch.results
        scratch.candidates = NeighborHeap()
        scratch.results = NeighborHeap()
        candidates.removeAll()
        results.removeAll()
        for entry in entries where visited[Int(entry.id)] != generation {
            visited[Int(entry.id)] = generation
            candidates.push(-entry.distance, -entry.id)
            if accept?(Int(entry.id)) ?? true { results.offer(entry.distance, entry.id, capacity: ef) }
        }
        while !candidates.isEmpty {
            let current = -candidates.topID
            let currentDistance = -candidates.topDistance
            if results.count >= ef, currentDistance > results.topDistance { break }
            candidates.pop()
            let links = list(Int(current), level)
            let n = Int(links[0])
            var i = 1
            while i <= n {
                vector_prefetch(visited + Int(links[i]))
                i &+= 1
            }
            var fresh = 0
            i = 1
            while i <= n {
                let node = links[i]
                i &+= 1
                if visited[Int(node)] == generation { continue }
                visited[Int(node)] = generation
                pending[fresh] = node
                fresh &+= 1
                prefetchVector(Int(node))
            }
            var j = 0
            while j < fresh {
                let node = pending[j]
                j &+= 1
                if j < fresh { prefetchRest(Int(pending[j])) }
                let d = distance(query, Int(node))
                if results.count < ef || NeighborHeap.before(d, node, results.topDistance, results.topID) {
                    candidates.push(-d, -node)
                    if accept?(Int(node)) ?? true { results.offer(d, node, capacity: ef) }
                }
            }
            if !candidates.isEmpty { vector_prefetch(list(Int(-candidates.topID), level)) }
        }
        scratch.candidates = candidates
        scratch.results = results
    }

    /// Asks for the first cache lines of `node`'s vector (up to ``prefetchLines``); `prefetchRest`
    /// asks for the others just before the vector is compared.
    @inline(__always)
    func prefetchVector(_ node: Int) {
        let start = UnsafeRawPointer(vector(node))
        let bytes = min(dimensions &* 4, Self.prefetchLines &* 64)
        var offset = 0
        while offset < bytes {
            vector_prefetch(start + offset)
            offset &+= 64
        }
    }

    /// Asks for the cache lines of `node`'s vector after the first ``prefetchLines``.
    @inline(__always)
    func prefetchRest(_ node: Int) {
        let start = UnsafeRawPointer(vector(node))
        let bytes = dimensions &* 4
        var offset = Self.prefetchLines &* 64
        while offset < bytes {
            vector_prefetch(start + offset)
            offset &+= 64
        }
    }

    /// The paper's neighbour-selection heuristic (algorithm 4, without extension or kept pruned
    /// connections): walking the candidates nearest first, keep one unless it is nearer to an
    /// already kept neighbour than to the base node; at most `limit`.
    func selectNeighbors(_ candidates: [(distance: Float, id: Int32)], limit: Int) -> [Int32] {
        var kept: [Int32] = []
        kept.reserveCapacity(limit)
        for candidate in candidates {
            if kept.count >= limit { break }
            let v = vector(Int(candidate.id))
            var good = true
            for other in kept where metric.distance(v, vector(Int(other)), count: dimensions) < candidate.distance {
                good = false
                break
            }
            if good { kept.append(candidate.id) }
        }
        return kept
    }

    /// Sets the list of `node` at `level`.
    func setList(_ node: Int, _ level: Int, _ neighbors: [Int32]) {
        let links = list(node, level)
        links[0] = Int32(neighbors.count)
        for (i, neighbor) in neighbors.enumerated() { links[i + 1] = neighbor }
    }

    /// The list of `node` at `level` as an array.
    func neighbors(_ node: Int, _ level: Int) -> [Int32] {
        let links = list(node, level)
        return (0..<Int(links[0])).map { links[$0 + 1] }
    }
}

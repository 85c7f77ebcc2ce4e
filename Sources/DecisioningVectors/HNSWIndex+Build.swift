import DecisioningCore

extension HNSWIndex {
    /// The largest insertion batch.
    static let maxBatch = 128

    /// The size of the batch that starts after `inserted` nodes: one at a time at first, then a
    /// sixteenth of the graph so far, at most `maxBatch`. It depends only on counts, never on threads.
    static func batchSize(inserted: Int, maxBatch: Int) -> Int { min(maxBatch, max(1, inserted / 16)) }

    /// Inserts every row, batch by batch. Within a batch:
    /// 1. in parallel, each new node searches the graph as it was before the batch, compares itself
    ///    directly with the batch's earlier nodes, keeps the `efConstruction` nearest of both and
    ///    selects its neighbours among them with the heuristic;
    /// 2. in insertion order, its lists are set and the entry point is raised if its level is higher;
    /// 3. in parallel over the nodes it links to (each written by one worker), the reverse links are
    ///    added in insertion order and lists over capacity are pruned with the heuristic.
    /// No step reads what another worker of the same step writes, so the graph is the same for any
    /// number of workers and any thread timing.
    mutating func build(workers: Int, maxBatch: Int) {
        let n = vectors.rows
        guard n > 0 else { return }
        if upperLinks.isEmpty { upperLinks = [0] }
        let efConstruction = parameters.efConstruction
        let m = parameters.m
        let scratch = HNSWScratch.pool(workers: workers, nodes: n, listCapacity: 2 * m)
        var entry: Int32 = -1
        var top = 0
        withMutableGraph { graph in
            var start = 0
            while start < n {
                let batchStart = start
                let end = min(n, start + Self.batchSize(inserted: start, maxBatch: maxBatch))
                let (preEntry, preTop) = (entry, top)
                let selected = ResultSlots<[[Int32]]>(count: end - start)
                let chunkSize = 4
                VectorParallel.run(chunks: VectorParallel.chunkCount(end - start, size: chunkSize), workers: workers) { chunk, worker in
                    let from = batchStart + chunk * chunkSize
                    let local = scratch[worker]
                    for node in from..<min(end, from + chunkSize) {
                        selected.set(
                            node - batchStart,
                            Self.candidateLists(
                                graph, node: node, batchStart: batchStart, entry: preEntry, top: preTop, ef: efConstruction, m: m,
                                scratch: local))
                    }
                }
                // The reverse links as (target × 16 + level, source) pairs; sorted by target, then by source
                // (the insertion order), they form one group per list to update.
                var pairs: [(key: Int, source: Int32)] = []
                for (offset, lists) in selected.values().enumerated() {
                    let node = start + offset
                    for (level, list) in lists.enumerated() {
                        graph.setList(node, level, list)
                        for neighbor in list { pairs.append((Int(neighbor) * 16 + level, Int32(node))) }
                    }
                    let level = Int(graph.levels[node])
                    if entry < 0 || level > top {
                        entry = Int32(node)
                        top = level
                    }
                }
                pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.source < $1.source }
                var groups: [Range<Int>] = []
                var first = 0
                for i in pairs.indices.dropFirst() where pairs[i].key != pairs[first].key {
                    groups.append(first..<i)
                    first = i
                }
                if !pairs.isEmpty { groups.append(first..<pairs.count) }
                let reverse = pairs
                let ranges = groups
                let groupChunk = 16
                VectorParallel.run(chunks: VectorParallel.chunkCount(ranges.count, size: groupChunk), workers: workers) { chunk, _ in
                    for range in ranges[chunk * groupChunk..<min(ranges.count, (chunk + 1) * groupChunk)] {
                        let key = reverse[range.lowerBound].key
                        Self.addReverseLinks(graph, target: key / 16, level: key % 16, sources: reverse[range].map(\.source))
                    }
                }
                start = end
            }
        }
        entryPoint = entry
        maxLevel = top
    }

    /// The neighbours `node` selects on each of its levels (index = level).
    private static func candidateLists(
        _ graph: HNSWGraph, node: Int, batchStart: Int, entry: Int32, top: Int, ef: Int, m: Int, scratch: HNSWScratch
    ) -> [[Int32]] {
        let level = Int(graph.levels[node])
        let query = graph.vector(node)
        var perLevel = [[(distance: Float, id: Int32)]](repeating: [], count: level + 1)
        if entry >= 0 {
            var current = (distance: graph.distance(query, Int(entry)), id: entry)
            var l = top
            while l > level {
                current = graph.greedy(query, from: current, level: l)
                l -= 1
            }
            var entries = [current]
            for l in stride(from: min(level, top), through: 0, by: -1) {
                graph.searchLayer(query, entries: entries, ef: ef, level: l, scratch: scratch, accept: nil)
                let found = scratch.results.drainAscending()
                perLevel[l] = found
                entries = found
            }
        }
        for other in batchStart..<node {
            let otherLevel = Int(graph.levels[other])
            let d = graph.distance(query, other)
            for l in 0...min(level, otherLevel) { perLevel[l].append((d, Int32(other))) }
        }
        // Only the `ef` nearest candidates, as a search of the whole graph would have found: a far
        // batch member passes the heuristic too easily (nothing kept lies between), and such long
        // links made the level-0 lists longer without helping a search (15% more neighbours per node
        // on the note embeddings, and more distances for every query).
        return perLevel.map { candidates in
            let sorted = candidates.sorted { NeighborHeap.before($0.distance, $0.id, $1.distance, $1.id) }
            return graph.selectNeighbors(Array(sorted.prefix(ef)), limit: m)
        }
    }

    /// Adds `sources` (in insertion order) to the list of `target` at `level`, pruning it with the
    /// heuristic when it exceeds the level's capacity.
    private static func addReverseLinks(_ graph: HNSWGraph, target: Int, level: Int, sources: [Int32]) {
        var list = graph.neighbors(target, level)
        for source in sources where !list.contains(source) { list.append(source) }
        let capacity = graph.capacity(level)
        if list.count > capacity {
            let v = graph.vector(target)
            let candidates = list.map { (distance: graph.distance(v, Int($0)), id: $0) }
                .sorted { NeighborHeap.before($0.distance, $0.id, $1.distance, $1.id) }
            list = graph.selectNeighbors(candidates, limit: capacity)
        }
        graph.setList(target, level, list)
    }
}

extension PrecedentFinder {
    /// The `k` rows of `base` nearest to `query` that pass `filter`: (row, squared distance), nearest first.
    func nearest(_ query: [Float], k: Int, filter: (Int) -> Bool) -> [(index: Int, distance: Float)] {
        let d = featurizer.dimension
        var hits: [(index: Int, distance: Float)] = []
        for i in 0..<completed.count where filter(i) {
            var s: Float = 0
            for j in 0..<d {
                let x = base[i * d + j] - query[j]
                s += x * x
            }
            hits.append((i, s))
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
        return Array(hits.prefix(k))
    }
}

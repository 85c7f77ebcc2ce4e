extension HNSWIndex {
    /// Runs `body` with a read-only pointer view of the graph (nothing may be written through it).
    func withGraph<R>(_ body: (HNSWGraph) -> R) -> R {
        vectors.values.withUnsafeBufferPointer { vectorBuffer in
            levels.withUnsafeBufferPointer { levelBuffer in
                links0.withUnsafeBufferPointer { links0Buffer in
                    upperOffsets.withUnsafeBufferPointer { offsetBuffer in
                        upperLinks.withUnsafeBufferPointer { upperBuffer in
                            guard let v = vectorBuffer.baseAddress, let l = levelBuffer.baseAddress, let l0 = links0Buffer.baseAddress,
                                let o = offsetBuffer.baseAddress, let u = upperBuffer.baseAddress
                            else { preconditionFailure("withGraph on an empty index") }
                            return body(
                                HNSWGraph(
                                    vectors: v, dimensions: vectors.dimensions, metric: metric, levels: l,
                                    links0: UnsafeMutablePointer(mutating: l0), upperOffsets: o,
                                    upperLinks: UnsafeMutablePointer(mutating: u), m: parameters.m))
                        }
                    }
                }
            }
        }
    }
}

extension HNSWIndex {
    /// Runs `body` with a pointer view of the graph whose neighbour lists may be written.
    mutating func withMutableGraph<R>(_ body: (HNSWGraph) -> R) -> R {
        let dimensions = vectors.dimensions
        let metric = metric
        let m = parameters.m
        return vectors.values.withUnsafeBufferPointer { vectorBuffer in
            levels.withUnsafeBufferPointer { levelBuffer in
                upperOffsets.withUnsafeBufferPointer { offsetBuffer in
                    links0.withUnsafeMutableBufferPointer { links0Buffer in
                        upperLinks.withUnsafeMutableBufferPointer { upperBuffer in
                            guard let v = vectorBuffer.baseAddress, let l = levelBuffer.baseAddress, let l0 = links0Buffer.baseAddress,
                                let o = offsetBuffer.baseAddress, let u = upperBuffer.baseAddress
                            else { preconditionFailure("withMutableGraph on an empty index") }
                            return body(
                                HNSWGraph(
                                    vectors: v, dimensions: dimensions, metric: metric, levels: l, links0: l0, upperOffsets: o,
                                    upperLinks: u, m: m))
                        }
                    }
                }
            }
        }
    }
}

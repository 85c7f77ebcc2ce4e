/// The parameters of a Hierarchical Navigable Small World graph (Malkov & Yashunin, 2018).
public struct HNSWParameters: Sendable, Equatable {
    /// Neighbours per node on the upper levels (twice this on level 0); default 16.
    public var m: Int
    /// The candidate list's size while inserting; larger builds a better graph, slower; default 200.
    public var efConstruction: Int
    /// The candidate list's size while searching (raised to k when k is larger); default 64.
    public var ef: Int
    /// The seed of the level draws: two builds with one seed give the same graph.
    public var seed: UInt64

    /// Parameters with the defaults M = 16, efConstruction = 200, ef = 64, seed 42.
    public init(m: Int = 16, efConstruction: Int = 200, ef: Int = 64, seed: UInt64 = 42) {
        self.m = m
        self.efConstruction = efConstruction
        self.ef = ef
        self.seed = seed
    }

    /// What is wrong with the parameters, or nil.
    public var problem: String? {
        if m < 2 || m > 256 { return "M must be 2 to 256 (got \(m))" }
        if efConstruction < 1 || efConstruction > 100_000 { return "efConstruction must be 1 to 100000 (got \(efConstruction))" }
        if ef < 1 || ef > 100_000 { return "ef must be 1 to 100000 (got \(ef))" }
        return nil
    }
}

extension Duration {
    /// The duration in seconds, with fractions: the one conversion timings use.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// The duration in milliseconds, with fractions.
    public var milliseconds: Double { seconds * 1000 }
}

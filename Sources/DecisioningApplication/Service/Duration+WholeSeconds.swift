extension Duration {
    /// Whole seconds, rounded up, at least 1.
    var wholeSeconds: Int64 { max(1, components.seconds + (components.attoseconds > 0 ? 1 : 0)) }
}

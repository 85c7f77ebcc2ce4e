/// Comparison of secrets (CSRF tokens) whose time does not depend on where they differ.
enum ConstantTime {
    /// Whether `a` and `b` are equal, looking at every byte of both when their lengths match.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

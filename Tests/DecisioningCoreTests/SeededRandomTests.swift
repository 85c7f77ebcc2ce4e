import DecisioningCore
import Testing

@Suite struct SeededRandomTests {
    @Test func sameSeedSameStream() {
        var a = SeededRandom(seed: 42)
        var b = SeededRandom(seed: 42)
        var c = SeededRandom(seed: 43)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
    }

    @Test func distributionsAreSane() {
        var rng = SeededRandom(seed: 7)
        let n = 20_000
        let normals = (0..<n).map { _ in rng.normal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        let units = (0..<n).map { _ in rng.unit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        let ints = (0..<n).map { _ in rng.int(1...6) }
        #expect(Set(ints) == Set(1...6))
    }
}

import DecisioningCore
import Testing

@testable import DecisioningAnalytics

/// MIN and MAX of one group (the whole-column path the catalog profile takes) equal, value and
/// validity, what the grouped path gives that group: integers at their extremes, doubles with NaN,
/// infinities and both zeros, text with NULLs, and columns with nothing present.
@Suite struct ExtremeTests {
    static func same(_ a: Column, _ b: Column) -> Bool {
        guard (a.valid?[0] ?? true) == (b.valid?[0] ?? true) else { return false }
        guard a.valid?[0] ?? true else { return true }
        switch (a.storage, b.storage) {
        case (.ints(let x), .ints(let y)): return x[0] == y[0]
        case (.doubles(let x), .doubles(let y)): return x[0].bitPattern == y[0].bitPattern
        case (.strings(let x, let dx), .strings(let y, let dy)): return dx.values[Int(x[0])] == dy.values[Int(y[0])]
        default: return false
        }
    }

    @Test func oneGroupEqualsTheGroupedPath() {
        var random = SeededRandom(seed: 8)
        let words = ["", "a", "B", "b", "ä", "zz", "Zürich", "0", "~"]
        for trial in 0..<300 {
            let count = Int.random(in: 0..<200, using: &random)
            // No validity, some rows NULL, or every row NULL.
            let validity: [Bool]? =
                trial % 4 == 0 ? nil : (0..<count).map { _ in trial % 4 != 1 && Int.random(in: 0..<4, using: &random) > 0 }
            let storage: Column.Storage
            let type: DataType
            switch trial % 3 {
            case 0:
                type = .integer
                storage = .ints(
                    ColumnValues(
                        (0..<count).map { _ in
                            Bool.random(using: &random)
                                ? [Int64.min, Int64.max, 0, -1, 1].randomElement(using: &random) ?? 0
                                : Int64.random(in: -1000...1000, using: &random)
                        }))
            case 1:
                type = .double
                storage = .doubles(
                    ColumnValues(
                        (0..<count).map { _ in
                            [Double.nan, .infinity, -.infinity, 0.0, -0.0, 1.5, -2.25].randomElement(using: &random) ?? 0
                        }))
            default:
                type = .text
                let dictionary = StringDictionary(words.shuffled(using: &random))
                storage = .strings(
                    ColumnValues((0..<count).map { _ in Int32.random(in: -1..<Int32(words.count), using: &random) }), dictionary)
            }
            let column = Column(type: type, storage: storage, valid: validity)
            for isMin in [true, false] {
                let one = Accumulate.extreme(isMin, column, [Int32](repeating: 0, count: count), 1)
                // Two groups, the second empty: group 0 through the grouped path.
                let grouped = Accumulate.extreme(isMin, column, [Int32](repeating: 0, count: count), 2)
                #expect(Self.same(one, grouped), "trial \(trial) \(isMin ? "MIN" : "MAX")")
            }
        }
    }
}

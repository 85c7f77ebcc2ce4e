import DecisioningCore
import Testing

@testable import DecisioningAnalytics

/// GROUP BY's row numbering: whatever the keys (text, narrow or wide integers, doubles with -0.0, NULLs), rows
/// share a group exactly when every key is equal (NULL equal to NULL), and groups are numbered in order of
/// their first row. Checked against a reference that keys a dictionary by each row's whole tuple.
@Suite struct GroupIndexTests {
    /// A key column of `count` rows of one of five kinds, with NULLs in some.
    static func column(kind: Int, count: Int, distinct: Int, random: inout SeededRandom) -> Column {
        let nulls = random.pick(3) == 0
        var valid = [Bool](repeating: true, count: count)
        if nulls { for i in 0..<count where random.pick(7) == 0 { valid[i] = false } }
        switch kind {
        case 0:  // text
            let dictionary = StringDictionary((0..<distinct).map { "v\($0)" })
            let codes = (0..<count).map { valid[$0] ? Int32(random.pick(distinct)) : -1 }
            return Column(type: .text, storage: .strings(ColumnValues(codes), dictionary), valid: nulls ? valid : nil)
        case 1:  // narrow integers, some negative
            return Column(
                type: .integer, storage: .ints(ColumnValues((0..<count).map { _ in Int64(random.pick(distinct)) - 3 })),
                valid: nulls ? valid : nil)
        case 2:  // wide integers (span beyond 2^20), including the extremes
            let values: [Int64] = [.max, .min + 1, 0, 1 << 40, -(1 << 50)] + (0..<distinct).map { Int64($0) * 1_000_003 }
            return Column(
                type: .integer, storage: .ints(ColumnValues((0..<count).map { _ in values[random.pick(values.count)] })),
                valid: nulls ? valid : nil)
        case 3:  // doubles, -0.0 and 0.0 one group
            let values: [Double] = [0.0, -0.0, 1.5, -2.25, 1e300] + (0..<distinct).map { Double($0) / 3 }
            return Column(
                type: .double, storage: .doubles(ColumnValues((0..<count).map { _ in values[random.pick(values.count)] })),
                valid: nulls ? valid : nil)
        default:  // dates as days
            return Column(
                type: .date, storage: .ints(ColumnValues((0..<count).map { _ in 20_000 + Int64(random.pick(distinct)) })),
                valid: nulls ? valid : nil)
        }
    }

    /// The reference: a dictionary keyed by the row's tuple of key parts.
    static func reference(_ keys: [Column], count: Int) -> (ids: [Int32], firstRows: [Int32]) {
        let parts = keys.map(GroupIndex.keyParts)
        var map: [[Int64]: Int32] = [:]
        var ids: [Int32] = []
        var firstRows: [Int32] = []
        for row in 0..<count {
            let tuple = parts.map { $0[row] }
            if let g = map[tuple] {
                ids.append(g)
            } else {
                map[tuple] = Int32(firstRows.count)
                ids.append(Int32(firstRows.count))
                firstRows.append(Int32(row))
            }
        }
        return (ids, firstRows)
    }

    @Test(arguments: 0..<60)
    func rowsShareAGroupExactlyWhenEveryKeyIsEqual(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let count = [0, 1, 17, 1_000, 70_000][random.pick(5)]
        let keys = (0..<(1 + random.pick(4))).map { _ in
            Self.column(kind: random.pick(5), count: count, distinct: [1, 3, 40, 5_000][random.pick(4)], random: &random)
        }
        let index = GroupIndex.build(keys, count: count)
        let expected = Self.reference(keys, count: count)
        #expect(index.ids == expected.ids)
        #expect(index.firstRows == expected.firstRows)
    }

    @Test func noKeyIsOneGroupEvenWithoutRows() {
        #expect(GroupIndex.build([], count: 0).groupCount == 1)
        #expect(GroupIndex.build([], count: 5).ids == [0, 0, 0, 0, 0])
    }
}

extension SeededRandom {
    /// A number in 0..<n.
    fileprivate mutating func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

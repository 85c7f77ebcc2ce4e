import DecisioningCore
import Foundation
import Testing

@testable import DecisioningAnalytics

/// The distinct-count estimate the catalog profile uses on large tables: close to the planted count,
/// independent of chunking and row order, exact where a bitmap or a small input makes exact cheap.
@Suite struct HyperLogLogTests {
    /// `distinct` values spread over a wide range (so no bitmap applies), each repeated, in a seeded order.
    static func column(distinct: Int, repeats: Int, seed: UInt64) -> Column {
        var rng = SeededRandom(seed: seed, stream: 3)
        let values = (0..<distinct).map { Int64($0) * 7_919_000_003 - 4_000_000_000_000 }
        var rows: [Int64] = []
        rows.reserveCapacity(distinct * repeats)
        for _ in 0..<repeats { rows += values }
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.int(0...i)) }
        return Column(type: .decimal(scale: 2), storage: .ints(ColumnValues(rows)), valid: nil)
    }

    @Test(arguments: [(300_000, 4), (1_100_000, 1), (40_000, 30)])
    func theEstimateIsWithinTwoPercentOfThePlantedCount(distinct: Int, repeats: Int) throws {
        let c = Self.column(distinct: distinct, repeats: repeats, seed: UInt64(distinct))
        #expect(c.count >= HyperLogLog.exactBelow)
        let column = try Accumulate.run(
            .approxCountDistinct("d", col("x")), argument: c, groups: .single(count: c.count), resultType: .integer)
        guard case .ints(let v) = column.storage else {
            Issue.record("not an integer column")
            return
        }
        let error = abs(Double(v[0]) - Double(distinct)) / Double(distinct)
        // The standard error at 2^14 registers is 1.04 / 128 = 0.81%: 2% is about 2.5 of them.
        #expect(error < 0.02, "estimate \(v[0]) for \(distinct) distinct values: \(error * 100)%")
        #expect(v[0] != Int64(distinct) || distinct < 50_000, "an exact answer here means the sketch was not used")
    }

    @Test func mergingSketchesInAnyOrderGivesTheSketchOfEverything() {
        let keys = (0..<200_000).map { Int64($0) &* 1_000_003 }
        var whole = HyperLogLog()
        for k in keys { whole.add(k) }
        var halves = [HyperLogLog(), HyperLogLog()]
        for (i, k) in keys.enumerated() { halves[i % 2].add(k) }
        var merged = halves[1]
        merged.merge(halves[0])
        #expect(merged.registers == whole.registers)
        #expect(merged.estimate == whole.estimate)
    }

    /// Below `exactBelow` rows, and for text or narrow ranges at any size, the count is exact.
    @Test func smallInputsTextAndNarrowRangesAreCountedExactly() throws {
        let small = Column(type: .integer, storage: .ints(ColumnValues((0..<50_000).map { Int64($0) * 1_000_000_007 })), valid: nil)
        let narrow = Column(type: .integer, storage: .ints(ColumnValues((0..<1_200_000).map { Int64($0 % 123_457) })), valid: nil)
        let dictionary = StringDictionary((0..<5_000).map { "k\($0)" })
        let text = Column(type: .text, storage: .strings(ColumnValues((0..<1_200_000).map { Int32($0 % 4_999) }), dictionary), valid: nil)
        for (c, expected) in [(small, 50_000), (narrow, 123_457), (text, 4_999)] {
            let column = try Accumulate.run(
                .approxCountDistinct("d", col("x")), argument: c, groups: .single(count: c.count), resultType: .integer)
            guard case .ints(let v) = column.storage else {
                Issue.record("not an integer column")
                continue
            }
            #expect(v == [Int64(expected)])
        }
    }

    /// SQL has no estimate: every dialect counts exactly.
    @Test func everyDialectRendersAnExactCount() throws {
        let plan = Plan.scan("financial_metrics", ["metric_value"]).aggregate([.approxCountDistinct("d", col("metric_value"))])
        for dialect in [SQLDialect.sqlite, .mysql, .heatwave] {
            let sql = try SQLRenderer(dialect: dialect, asOf: Day(iso: "2026-11-25")!, catalog: .standard).render(plan).sql
            #expect(sql.contains("COUNT(DISTINCT"), "\(dialect): \(sql)")
        }
    }
}

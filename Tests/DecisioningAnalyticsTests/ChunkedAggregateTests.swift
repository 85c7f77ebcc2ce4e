import DecisioningCore
import Foundation
import Testing

@testable import DecisioningAnalytics

/// Large GROUP BYs run in parallel chunks whose partials are merged: the answers are those of the
/// whole-input path (exact for integers and decimals, to the last bits for floating figures).
@Suite(.serialized) struct ChunkedAggregateTests {
    var fixture: BigTableFixture { .shared }
    static let asOf = Day(iso: "2026-11-25")!

    func executors() throws -> (chunked: Executor, whole: Executor) {
        let plans = BigTableFixture.plans.map(\.1)
        let chunked = try fixture.warehouse.executor(for: plans, asOf: Self.asOf)
        var whole = chunked
        whole.chunkedAggregates = false
        return (chunked, whole)
    }

    static func close(_ a: [[Value]], _ b: [[Value]]) -> Bool {
        guard a.count == b.count else { return false }
        for (ra, rb) in zip(a, b) {
            guard ra.count == rb.count else { return false }
            for (x, y) in zip(ra, rb) {
                if case .double(let p) = x, case .double(let q) = y {
                    if abs(p - q) > 1e-9 * max(1, abs(p), abs(q)) { return false }
                } else if !ValueMatch.equal(x, y, .exact) {
                    return false
                }
            }
        }
        return true
    }

    @Test func theChunkedPathAnswersAsTheWholeInputPath() throws {
        let (chunked, whole) = try executors()
        var taken = 0
        for (name, plan) in BigTableFixture.plans {
            guard case .aggregate(let input, let groups, let measures) = plan.strippingSortAndLimit else { continue }
            var memo: [Plan: Relation] = [:]
            let relation = try chunked.execute(input, &memo)
            guard let result = try ChunkedAggregate(executor: chunked).run(relation, groups: groups, measures: measures) else { continue }
            taken += 1
            let a = ColumnResult(fields: result.fields, columns: result.materialized(), rowCount: result.count).rows
            let b = try whole.run(plan.strippingSortAndLimit).rows
            #expect(Self.close(a, b), "\(name): chunked \(a.prefix(3)) whole \(b.prefix(3))")
        }
        // The fixture's aggregates over the whole table (four chunks and more) take the chunked path.
        #expect(taken >= 4, "only \(taken) plans took the chunked path")
    }

    /// Groups come out in the order of their first row, as in the whole-input path, with text keys decoded.
    @Test func groupsKeepTheOrderOfTheirFirstRow() throws {
        let (chunked, whole) = try executors()
        let plan = Plan.scan("big", ["k", "y"]).aggregate(by: ["k"], [.sum("sy", col("y")), .min("lo", col("y")), .count("n")])
        let a = try chunked.run(plan).rows
        let b = try whole.run(plan).rows
        #expect(a == b)
        #expect(a.count == BigTableFixture.keys.count + 1)  // 40 keys and NULL
    }

    /// Many groups (a key per row) leave the chunked path: its partials would be as large as the input.
    @Test func manyGroupsUseTheWholeInputPath() throws {
        let (chunked, _) = try executors()
        var memo: [Plan: Relation] = [:]
        let relation = try chunked.execute(.scan("big", ["id", "x"]), &memo)
        let result = try ChunkedAggregate(executor: chunked).run(
            relation, groups: [NamedExpr("id", col("id"))], measures: [.sum("sx", col("x"))])
        #expect(result == nil)
        let rows = try chunked.run(Plan.scan("big", ["id", "x"]).aggregate(by: ["id"], [.count("n")])).rowCount
        #expect(rows == BigTableFixture.rowCount)
    }

    /// A decimal sum that leaves 64 bits in the merge is handed to the exact path, which reports it.
    @Test func overflowInTheMergeIsReportedNotWrapped() throws {
        let (chunked, _) = try executors()
        let huge = Plan.scan("big", ["y"]).aggregate([.sum("s", col("y") * 100_000_000_000)])
        #expect(throws: PlanError.self) { try chunked.run(huge) }
    }
}

extension Plan {
    /// The plan under its final sort and limit.
    var strippingSortAndLimit: Plan {
        switch self {
        case .sort(let p, _), .limit(let p, _): return p.strippingSortAndLimit
        default: return self
        }
    }
}

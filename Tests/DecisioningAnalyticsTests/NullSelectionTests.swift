import DecisioningAnalytics
import DecisioningCore
import Testing

/// `IS NULL` and `IS NOT NULL` filters are read in place (through a left join's row index, where an unmatched
/// row is NULL), alone and after other conditions have narrowed the rows: the engine must agree with SQLite.
@Suite struct NullSelectionTests {
    @Test func nullFiltersAgreeWithSQLiteOnStoredAndLeftJoinedColumns() throws {
        let fixture = try MiniFixture.ordersAndCustomers()
        let orders = Plan.scan("orders", ["id", "customer"])
        let joined = orders.join(
            .scan("customers", [ScanColumn("id", as: "c_id"), ScanColumn("name")]), on: "customer", equals: "c_id", kind: .left)
        let plans: [(String, Plan)] = [
            ("stored integer IS NULL", orders.filter(col("customer").isNull)),
            ("stored integer IS NOT NULL", orders.filter(col("customer").isNotNull)),
            ("key without NULLs IS NULL", orders.filter(col("id").isNull)),
            ("key without NULLs IS NOT NULL", orders.filter(col("id").isNotNull)),
            ("left-joined text IS NULL", joined.filter(col("name").isNull)),
            ("left-joined text IS NOT NULL", joined.filter(col("name").isNotNull)),
            ("left-joined key IS NULL", joined.filter(col("c_id").isNull)),
            ("narrowed, then IS NULL", joined.filter(col("id") > 1 && col("name").isNull)),
            ("narrowed, then IS NOT NULL", joined.filter(col("id") >= 1 && col("c_id").isNotNull)),
            ("IS NULL, then narrowed", joined.filter(col("name").isNull && col("id") < 3)),
        ]
        for (label, plan) in plans {
            #expect(fixture.differential.check(plan, asOf: DifferentialRegressionTests.asOf, label: label), "\(label)")
        }
        // Planted: order 3 has no customer, order 2's customer is unknown; only order 1 matched.
        let unmatched = try fixture.warehouse.query(
            joined.filter(col("name").isNull), asOf: DifferentialRegressionTests.asOf, on: .columnEngine)
        #expect(unmatched.rows.map { $0[0] }.sorted { ValueMatch.order($0, $1) < 0 } == [.integer(2), .integer(3)])
    }
}

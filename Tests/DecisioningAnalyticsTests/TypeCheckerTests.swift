import DecisioningAnalytics
import DecisioningCore
import Testing

@Suite struct TypeCheckerTests {
    let checker = TypeChecker()

    func error(_ plan: Plan) -> String? {
        do {
            _ = try checker.fields(plan)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func namedAnalysesTypeCheck() throws {
        for analysis in Analyses.all() {
            for part in analysis.parts { _ = try checker.fields(part.plan) }
        }
        let fields = try checker.fields(Analyses.industryPerformance.parts[0].plan)
        #expect(fields.map(\.name) == ["industry", "project_count", "total_budget", "cost_efficiency", "revenue_volatility"])
        #expect(fields.map(\.type) == [.text, .integer, .decimal(scale: 2), .double, .double])
    }

    @Test func illTypedPlansAreRejectedWithAClearMessage() {
        let projects = Plan.scan("projects", ["project_id", "status", "budget_amount", "start_date"])
        #expect(error(.scan("nope", ["x"]))?.hasPrefix("unknown table 'nope'") == true)
        #expect(error(.scan("projects", ["nope"]))?.hasPrefix("table projects has no column 'nope'") == true)
        #expect(error(projects.filter(col("status") + 1 > 0)) == "(status + 1): status is text, arithmetic needs numbers")
        #expect(error(projects.filter(col("budget_amount"))) == "filter condition budget_amount is decimal(scale 2), not boolean")
        #expect(error(projects.filter(col("start_date") > 5)) == "start_date > 5 compares date with integer")
        #expect(error(projects.filter(col("missing").isNull))?.hasPrefix("unknown column 'missing'; available: project_id, status") == true)
        #expect(error(projects.aggregate([.sum("s", col("status"))])) == "SUM(status) needs a number, found text")
        #expect(
            error(projects.join(.scan("projects", ["project_id"]), on: "project_id", equals: "project_id"))?
                .hasPrefix("column 'project_id' comes from both sides of the join") == true)
        #expect(
            error(projects.project([NamedExpr("x", when(col("status").eq("A"), then: 1, else: "b"))]))?.contains("mixes integer and text")
                == true)
        #expect(error(projects.sort(.asc("nope")))?.hasPrefix("unknown column 'nope'") == true)
        #expect(error(projects.lag([Lag("p", of: "budget_amount")], orderBy: [])) == "LAG needs an ORDER BY")
        #expect(error(projects.limit(-1)) == "LIMIT must be 0 or more, found -1")
        #expect(error(projects.filter(col("start_date").year.eq(2024) && col("status").in("ACTIVE", "DONE"))) == nil)
    }

    @Test func arithmeticKeepsMoneyExactWhereItCan() throws {
        let fields = [Field("a", .decimal(scale: 2)), Field("b", .decimal(scale: 1)), Field("i", .integer), Field("d", .double)]
        #expect(try checker.type(col("a") + col("b"), in: fields) == .decimal(scale: 2))
        #expect(try checker.type(col("a") * col("i"), in: fields) == .decimal(scale: 2))
        #expect(try checker.type(col("a") * col("b"), in: fields) == .decimal(scale: 3))
        #expect(try checker.type(col("a") / col("i"), in: fields) == .double)
        #expect(try checker.type(col("a") + col("d"), in: fields) == .double)
        #expect(try checker.type(col("i") - col("i"), in: fields) == .integer)
        #expect(try checker.type(coalesce(col("a"), .decimal("1.005")), in: fields) == .decimal(scale: 3))
    }
}

import DecisioningAnalytics
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// The differential suites compare MariaDB only if it is really among their engines, over the same rows.
@Suite(.enabled(if: TestServer.enabled)) struct MariaDBHarnessTests {
    @Test func everyFixtureRunsPlansOnMariaDB() throws {
        #expect(DifferentialCompany.shared.differential.engines.contains { $0 is MariaDBEngine })
        #expect(try RandomFixture(seed: 0).differential.engines.contains { $0 is MariaDBEngine })
        #expect(try MiniFixture.pairs().mariaDB != nil)
        #expect(BigTableFixture.shared.engines.contains { $0 is MariaDBEngine })
    }

    @Test func theCompanyOnMariaDBHasTheSameRows() throws {
        let company = DifferentialCompany.shared
        let mariaDB = try #require(company.differential.engines.lazy.compactMap { $0 as? MariaDBEngine }.first)
        for table in Catalog.businessTables {
            #expect(try mariaDB.store.rowCount(table.name) == company.store.rowCount(table.name), "\(table.name)")
        }
        for analysis in Analyses.all() {
            for part in analysis.parts {
                #expect(
                    !(try mariaDB.run(part.plan, asOf: DifferentialCompany.asOf)).isEmpty,
                    "\(analysis.name)/\(part.name) returned no rows on MariaDB")
            }
        }
    }

    @Test func theBigTableOnMariaDBHasEveryRow() throws {
        let fixture = BigTableFixture.shared
        let mariaDB = try #require(fixture.engines.lazy.compactMap { $0 as? MariaDBEngine }.first)
        let rows = try mariaDB.run(
            .scan("big", ["id", "y"]).aggregate([.count("n"), .sum("sy", col("y"))]), asOf: EngineDeterminismTests.asOf)
        let expected = try fixture.warehouse.query(
            .scan("big", ["id", "y"]).aggregate([.count("n"), .sum("sy", col("y"))]),
            asOf: EngineDeterminismTests.asOf, on: .columnEngine
        ).rows
        #expect(
            rows.count == 1 && ValueMatch.rows(rows[0], expected[0], []), "\(rows.map(ValueMatch.show)) vs \(expected.map(ValueMatch.show))"
        )
    }

    /// Failure messages carry the SQL that MariaDB ran, pasteable into its client.
    @Test func disagreementsShowTheMySQLScript() throws {
        let fixture = try MiniFixture.pairs()
        let mariaDB = try #require(fixture.mariaDB)
        let differential = Differential(engines: [WrongEngine(), mariaDB], catalog: fixture.catalog)
        let messages = differential.disagreements(
            .scan("pairs", ["id", "a"]).filter(col("a").eq(1)), asOf: DifferentialRegressionTests.asOf, label: "wrong")
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.contains("SQL (sqlite):") && message.contains("SQL (mysql):") && message.contains("PREPARE decisioning_query FROM"))
    }

    /// `decisioning sql --pasteable` for MySQL: the script, run statement by statement in a fresh session
    /// (text protocol, user variables, PREPARE … EXECUTE … USING), answers what the bound statement answers.
    @Test func thePasteableScriptGivesTheSameRows() throws {
        let company = DifferentialCompany.shared
        var cases: [(label: String, engine: MariaDBEngine, plan: Plan, asOf: Day)] = []
        let companyEngine = try #require(company.differential.engines.lazy.compactMap { $0 as? MariaDBEngine }.first)
        for analysis in Analyses.all() {
            for part in analysis.parts {
                cases.append(("\(analysis.name)/\(part.name)", companyEngine, part.plan, DifferentialCompany.asOf))
            }
        }
        for seed in UInt64(0)..<4 {
            let fixture = try RandomFixture(seed: seed)
            defer { TemporaryStore.remove(fixture.store) }
            let engine = try #require(fixture.differential.engines.lazy.compactMap { $0 as? MariaDBEngine }.first)
            for index in 0..<RandomPlanDifferentialTests.plansPerDataset {
                let c = RandomPlanCase(dataset: seed, plan: index)
                cases.append((c.label, engine, c.node(fixture.dataset).plan, c.asOf))
            }
        }
        cases.append(
            (
                "a backslash, a quote and a double", try MiniFixture.pairs().mariaDB!,
                Plan.scan("pairs", ["id", "a"])
                    .project([NamedExpr("id", col("id")), NamedExpr("t", "it's a \\ back\\slash"), NamedExpr("x", col("a").double * 0.1)]),
                DifferentialRegressionTests.asOf
            ))
        for c in cases {
            let query = try c.engine.rendered(c.plan, asOf: c.asOf)
            let expected = try c.engine.run(c.plan, asOf: c.asOf)
            let connection = try MySQLConnection(c.engine.store.pool.options)
            var text: [[String?]] = []
            for statement in Self.statements(query.pasteable) {
                if statement.hasPrefix("EXECUTE") { text = try connection.textRows(statement) } else { try connection.execute(statement) }
            }
            let rows = try text.map { row in try zip(row, query.fields).map { try Self.decode($0, $1.type) } }
            let comparison = ResultComparison(sortKeyColumns: ResultComparison.sortKeys(of: c.plan, fields: query.fields), tolerances: [])
            if let problem = comparison.difference(reference: expected, other: rows) {
                Issue.record("[\(c.label)] the pasteable script answers differently:\n\(problem)\n\(query.pasteable)")
            }
        }
    }

    /// The statements of a script: split at semicolons that end a line outside quotes.
    static func statements(_ script: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in script {
            current.append(ch)
            if escaped {
                escaped = false
                continue
            }
            if quoted && ch == "\\" {
                escaped = true
                continue
            }
            if ch == "'" {
                quoted.toggle()
                continue
            }
            if !quoted && ch == ";" {
                out.append(String(current.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        return out
    }

    /// A value of the text protocol, typed.
    static func decode(_ text: String?, _ type: DataType) throws -> Value {
        struct Undecodable: Error {
            var text: String
            var type: DataType
        }
        guard let text else { return .null }
        let value: Value?
        switch type {
        case .integer: value = Int64(text).map(Value.integer)
        case .boolean: value = Int64(text).map { .boolean($0 != 0) }
        case .double: value = Double(text).map(Value.double)
        case .decimal(let scale):
            if case .success(let units) = FixedPoint.parse(text, precision: 38, scale: scale) {
                value = .decimal(units)
            } else {
                value = nil
            }
        case .text: value = .text(text)
        case .date: value = Day(iso: text).map(Value.date)
        case .timestamp: value = Timestamp(iso: text).map(Value.timestamp)
        }
        guard let value else { throw Undecodable(text: text, type: type) }
        return value
    }

    /// An engine that answers nothing, to see what a disagreement reports.
    struct WrongEngine: AnalyticsEngine {
        var name: String { "no rows" }
        func run(_ plan: Plan, asOf: Day) throws -> [[Value]] { [] }
    }
}

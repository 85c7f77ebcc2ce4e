import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// A small synthetic company generated once into a temporary SQLite store, shared by the suites that need it,
/// and copied into a migrated scratch database on the MariaDB test server when there is one.
final class DifferentialCompany: Sendable {
    static let shared: DifferentialCompany = {
        do {
            return try DifferentialCompany()
        } catch {
            fatalError("cannot generate the differential test company: \(error)")
        }
    }()

    static let asOf = Day(iso: "2026-11-25")!

    let store: SQLiteStore
    let warehouse: Warehouse
    /// A warehouse whose tables were read in place from the column snapshots another one wrote.
    let mapped: Warehouse
    let differential: Differential

    init() throws {
        let store = try TemporaryStore.make("company")
        self.store = store
        _ = try Generator(spec: GeneratorSpec(scale: 0.02, seed: 3, asOf: Self.asOf)).generate(into: store)
        warehouse = Warehouse(store: store)
        guard case .sqlite(let path) = store.url else { throw StoreError.cannotOpen(url: "\(store.url)", reason: "not SQLite") }
        let settings = ColumnSnapshotSettings(directory: path + ".columns")
        let writer = Warehouse(store: store, snapshots: settings)
        _ = try writer.query(Analyses.all().flatMap { $0.parts.map(\.plan) }, asOf: Self.asOf, on: .columnEngine)
        _ = writer.waitForSnapshotWrites()
        mapped = Warehouse(store: store, snapshots: settings)
        var engines = warehouse.differentialEngines + [MappedColumnEngine(warehouse: mapped)]
        if MariaDB.enabled {
            let database = try MariaDB.scratch("company")
            try database.store.migrate()
            for table in Catalog.businessTables {
                try database.store.writeBatch { writer in
                    let inserter = try writer.inserter(for: table, columns: table.columnNames, onConflict: .fail)
                    try store.scan(table, columns: nil, batchSize: 2000) { rows in
                        for row in rows { _ = try inserter.insert(row) }
                    }
                }
            }
            engines.append(MariaDBEngine(store: database.store, catalog: .standard))
        }
        differential = Differential(engines: engines, catalog: .standard)
    }
}

/// The column engine on tables read in place from their column snapshots.
struct MappedColumnEngine: AnalyticsEngine {
    let warehouse: Warehouse
    var name: String { "column engine on mapped snapshots" }
    func run(_ plan: Plan, asOf: Day) throws -> [[Value]] {
        try warehouse.query(plan, asOf: asOf, on: .columnEngine).rows
    }
}

@Suite struct NamedAnalysisDifferentialTests {
    var company: DifferentialCompany { .shared }

    @Test(arguments: ["2026-11-25", "2025-06-15"])
    func everyPartOfEveryAnalysisAgrees(asOf iso: String) throws {
        let asOf = try #require(Day(iso: iso))
        for analysis in Analyses.all() {
            for part in analysis.parts {
                company.differential.check(part.plan, asOf: asOf, label: "\(analysis.name)/\(part.name)")
            }
        }
    }

    @Test func anomalyCandidatesWithAnotherLimitAgree() throws {
        for asOf in [DifferentialCompany.asOf, Day(iso: "2025-06-15")!] {
            for part in Analyses.anomalyCandidates(limit: 7).parts {
                company.differential.check(part.plan, asOf: asOf, label: "anomaly-candidates(limit: 7)/\(part.name)")
            }
        }
        let rows = try company.warehouse.query(Analyses.anomalyCandidates(limit: 7).parts[0].plan, asOf: DifferentialCompany.asOf).rows
        #expect(rows.count == 7)
    }

    /// The mapped engine above answers from the snapshots, read in place, not from the database.
    @Test func theMappedEngineReadsEveryTableFromItsSnapshotInPlace() throws {
        let plans = Analyses.all().flatMap { $0.parts.map(\.plan) }
        let executor = try company.mapped.executor(for: plans, asOf: DifferentialCompany.asOf)
        #expect(executor.tables.count >= 3)
        for (name, table) in executor.tables {
            #expect(company.mapped.source(of: name) == .snapshot(appendedRows: 0), "\(name)")
            #expect(ColumnSnapshotTests.mapped(table).allSatisfy { $0 }, "\(name)'s columns were copied")
        }
    }

    /// The comparisons above mean something only if the analyses find data.
    @Test func theAnalysesReturnRows() throws {
        for analysis in Analyses.all() {
            for part in analysis.parts {
                let result = try company.warehouse.query(part.plan, asOf: DifferentialCompany.asOf, on: .sql)
                #expect(!result.rows.isEmpty, "\(analysis.name)/\(part.name) returned no rows")
            }
        }
        let months = try company.warehouse.query(Analyses.financialTrend.parts[0].plan, asOf: DifferentialCompany.asOf, on: .sql).rows
        #expect(months.count == 12)
        let industries = try company.warehouse.query(Analyses.industryPerformance.parts[0].plan, asOf: DifferentialCompany.asOf, on: .sql)
            .rows
        #expect(industries.count > 1)
    }

    /// Several plans in one call share their common sub-plans on the column engine; answers must not change.
    @Test func runningAllPartsInOneCallGivesTheSameAnswers() throws {
        let plans = Analyses.all().flatMap { $0.parts.map(\.plan) }
        let together = try company.warehouse.query(plans, asOf: DifferentialCompany.asOf, on: .columnEngine)
        for (plan, result) in zip(plans, together) {
            let alone = try company.warehouse.query(plan, asOf: DifferentialCompany.asOf, on: .columnEngine)
            #expect(result.rows.count == alone.rows.count)
            for (a, b) in zip(result.rows, alone.rows) {
                #expect(ValueMatch.rows(a, b, Array(repeating: .exact, count: a.count)), "\(ValueMatch.show(a)) vs \(ValueMatch.show(b))")
            }
        }
    }
}

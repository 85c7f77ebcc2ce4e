import DecisioningAnalytics
import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

// MARK: - The engine

/// The plan rendered by `SQLRenderer(dialect: .mysql, …)` and executed by MariaDB through
/// `MySQLStore.query`, the path the Warehouse takes on a MySQL-family Store without HeatWave.
///
/// Fixtures that share one scratch database keep their tables apart by a name prefix: `tables` maps
/// the plan's table names to the database's, and plans are rewritten accordingly before rendering.
struct MariaDBEngine: AnalyticsEngine {
    let store: MySQLStore
    /// The plan's table name → the table's name in the scratch database.
    let tables: [String: String]
    /// The catalog under the database's names.
    let catalog: TableCatalog

    var name: String { "SQL on MariaDB (mysql)" }

    init(store: MySQLStore, catalog: TableCatalog, tables: [String: String] = [:]) {
        self.store = store
        self.tables = tables
        self.catalog = TableCatalog(
            catalog.tables.values.map { schema in
                var renamed = schema
                renamed.name = tables[schema.name] ?? schema.name
                return renamed
            })
    }

    func rendered(_ plan: Plan, asOf: Day) throws -> RenderedQuery {
        try SQLRenderer(dialect: .mysql, asOf: asOf, catalog: catalog).render(plan.renamingTables(tables))
    }

    func run(_ plan: Plan, asOf: Day) throws -> [[Value]] {
        let query = try rendered(plan, asOf: asOf)
        return try store.query(query.sql, arguments: query.bindings, columnTypes: query.fields.map(\.type.columnType))
    }

    func sql(_ plan: Plan, asOf: Day) -> (dialect: String, text: String)? {
        do {
            return ("mysql", try rendered(plan, asOf: asOf).pasteable)
        } catch {
            return ("mysql", "(does not render: \(error))")
        }
    }
}

extension Plan {
    /// The same plan scanning renamed tables.
    func renamingTables(_ names: [String: String]) -> Plan {
        guard !names.isEmpty else { return self }
        switch self {
        case .scan(let table, let columns): return .scan(table: names[table] ?? table, columns: columns)
        case .filter(let p, let e): return .filter(p.renamingTables(names), e)
        case .join(let kind, let l, let r, let keys): return .join(kind, l.renamingTables(names), r.renamingTables(names), on: keys)
        case .aggregate(let p, let groups, let measures): return .aggregate(p.renamingTables(names), groupBy: groups, measures: measures)
        case .window(let p, let partition, let order, let lags):
            return .window(p.renamingTables(names), partitionBy: partition, orderBy: order, lags: lags)
        case .project(let p, let columns): return .project(p.renamingTables(names), columns)
        case .sort(let p, let keys): return .sort(p.renamingTables(names), keys)
        case .limit(let p, let n): return .limit(p.renamingTables(names), n)
        }
    }
}

// MARK: - Scratch databases

/// The scratch databases the differential suites share on the test server, made on first use and
/// dropped when the test process exits. With no server configured (a bare `swift test`) the
/// differential tests compare SQLite and the column engine only; with
/// DECISIONING_TEST_MYSQL_REQUIRED=1 (`make test`, CI) a missing server fails them.
enum MariaDB {
    /// Whether the differential tests include MariaDB.
    static var enabled: Bool { TestServer.enabled }

    /// One database for every fixture made of hand-made or random tables; each fixture's tables get a
    /// prefix of their own (`f12_t0`), so that fixtures running in parallel do not collide.
    static func shared() throws -> SharedScratch { try SharedScratch.instance.get() }

    /// A database of its own (for the migrated schema, whose table names are fixed), dropped at exit.
    static func scratch(_ label: String) throws -> ScratchDatabase {
        let database = try TestServer.main().scratchDatabase(label)
        Dropper.shared.add(database)
        return database
    }

    /// Loads `tables` into the shared database under fresh prefixed names; returns the engine over them.
    static func load(_ tables: [(TableSchema, [[Value]])], catalog: TableCatalog) throws -> MariaDBEngine {
        let shared = try shared()
        let prefix = shared.nextPrefix()
        var names: [String: String] = [:]
        for (schema, rows) in tables {
            var renamed = schema
            renamed.name = prefix + schema.name
            names[schema.name] = renamed.name
            try TemporaryStore.load(renamed, rows: rows, into: shared.store)
        }
        return MariaDBEngine(store: shared.store, catalog: catalog, tables: names)
    }
}

final class SharedScratch: @unchecked Sendable {
    static let instance: Result<SharedScratch, any Error> = Result {
        let database = try MariaDB.scratch("differential")
        return SharedScratch(database)
    }

    let database: ScratchDatabase
    var store: MySQLStore { database.store }
    private let lock = NSLock()
    private var fixtures = 0

    init(_ database: ScratchDatabase) { self.database = database }

    func nextPrefix() -> String {
        lock.lock()
        defer { lock.unlock() }
        fixtures += 1
        return "f\(fixtures)_"
    }
}

/// Drops the scratch databases when the process exits.
final class Dropper: @unchecked Sendable {
    static let shared: Dropper = {
        let dropper = Dropper()
        atexit { Dropper.shared.dropAll() }
        return dropper
    }()

    private let lock = NSLock()
    private var databases: [ScratchDatabase] = []

    func add(_ database: ScratchDatabase) {
        lock.lock()
        databases.append(database)
        lock.unlock()
    }

    func dropAll() {
        lock.lock()
        let all = databases
        databases = []
        lock.unlock()
        for database in all { database.drop() }
    }
}

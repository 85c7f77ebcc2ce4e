public import DecisioningCore
public import DecisioningStore
import Dispatch
import Foundation
public import Logging
import Synchronization

/// Where a plan ran.
public enum ExecutionSite: Sendable, Hashable, CustomStringConvertible {
    /// The in-process column engine over the columnar copy of the Store.
    case columnEngine
    /// Rendered SQL executed by the Store's database.
    case sql(SQLDialect)

    public var description: String {
        switch self {
        case .columnEngine: return "column engine"
        case .sql(let d): return "SQL (\(d.rawValue))"
        }
    }
}

/// The answer to `Warehouse.query`: typed rows, where they were computed and the SQL that reproduces them.
public struct QueryResult: Sendable {
    public var fields: [Field]
    public var rows: [[Value]]
    public var site: ExecutionSite
    /// The plan rendered for the Store's dialect (HeatWave's when the Store is MySQL).
    public var sql: RenderedQuery
    public var seconds: Double
    /// Why the plan did not run on the database although the Warehouse sent it there first
    /// (HeatWave could not offload it); the column engine answered instead.
    public var offloadFailure: String?
}

/// What agents talk to: holds the columnar copy of the analytic tables, loaded from the Store on
/// first use and kept fresh as rows are appended, and answers `query(plan)` where it runs best.
///
/// Tables are read from the Store without holding the Warehouse's lock. One load of a table runs at
/// a time: a query that needs a table being loaded waits for that load (and can be cancelled while
/// it waits) instead of reading the table a second time; queries on other tables never wait.
///
/// With column snapshots (`ColumnSnapshotSettings`, SQLite only), a table's first load in a process
/// maps the snapshot file the last load wrote, checks it against the database's change marks and
/// reads only the rows appended since; a load from the database writes a new snapshot in the
/// background (`Warehouse+Snapshots.swift`, docs/ARCHITECTURE.md).
public final class Warehouse: Sendable {
    public enum Preference: Sendable {
        /// The Warehouse decides: the column engine unless the Store offloads better (HeatWave).
        case automatic
        case columnEngine
        case sql
    }

    public let store: any Store
    public let catalog: TableCatalog
    private struct State {
        var tables: [String: LoadedTable] = [:]
        /// Tables being loaded, with the queries waiting for them.
        var loading: [String: [DispatchSemaphore]] = [:]
    }
    private let state = Mutex(State())

    struct LoadedTable {
        var table: ColumnTable
        var cursor: Int64
        var version: TableVersion
        /// The database's durable change marks the rows were read under (stores that keep them).
        var marks: ChangeMarks?
        /// Rows of the table's snapshot file, written or queued (appends re-save past 1% more).
        var savedRows = 0
        var source = TableSource.database
    }

    /// Each plan's site, rows and time at debug level, its SQL and the engine's nodes at trace.
    public let logger: Logger
    /// The column snapshot files, when enabled and the store keeps change marks.
    let snapshots: ColumnSnapshots?

    /// - Parameter snapshots: where to keep column snapshots (`ColumnSnapshotSettings.resolve`); off by
    ///   default, and always off for a store without change marks (MySQL).
    public init(
        store: any Store, catalog: TableCatalog = .standard, logger: Logger = Logger(label: "decisioning.analytics"),
        snapshots: ColumnSnapshotSettings = .off
    ) {
        self.store = store
        self.catalog = catalog
        self.logger = logger
        if let directory = snapshots.directory, store is any ChangeCountingStore {
            self.snapshots = ColumnSnapshots(directory: directory, logger: logger)
        } else {
            self.snapshots = nil
        }
    }

    /// Where the copy of `table` came from when it was last read; nil before its first load.
    public func source(of table: String) -> TableSource? {
        state.withLock { $0.tables[table]?.source }
    }

    /// Waits until the column snapshots queued by this process are written (tests, and front ends
    /// that want them on disk before they go on); false when `seconds` passed first.
    @discardableResult
    public func waitForSnapshotWrites(seconds: Double = 60) -> Bool {
        ColumnSnapshots.waitForWrites(seconds: seconds)
    }

    public var dialect: SQLDialect {
        switch store.url {
        case .sqlite: return .sqlite
        case .mysql: return store.offloadsAnalytics ? .heatwave : .mysql
        }
    }

    /// Runs `plan` as of `asOf`. Raising `cancellation` stops the database statement or table load
    /// under way (the call then throws `StoreError.cancelled`).
    public func query(
        _ plan: Plan, asOf: Day, on preference: Preference = .automatic,
        cancellation: CancellationFlag? = nil
    ) throws -> QueryResult {
        try query([plan], asOf: asOf, on: preference, cancellation: cancellation)[0]
    }

    /// Runs several plans; on the column engine, sub-plans they share are computed once.
    public func query(
        _ plans: [Plan], asOf: Day, on preference: Preference = .automatic,
        cancellation: CancellationFlag? = nil
    ) throws -> [QueryResult] {
        let results = try answer(plans, asOf: asOf, on: preference, cancellation: cancellation)
        for result in results {
            logger.debug(
                "plan ran",
                metadata: [
                    "site": "\(result.site)", "rows": "\(result.rows.count)", "ms": "\(String(format: "%.2f", result.seconds * 1000))",
                ])
            logger.trace("plan SQL", metadata: ["sql": "\(result.sql.sql)"])
        }
        return results
    }

    private func answer(
        _ plans: [Plan], asOf: Day, on preference: Preference, cancellation: CancellationFlag?
    ) throws -> [QueryResult] {
        let renderer = SQLRenderer(dialect: dialect, asOf: asOf, catalog: catalog)
        let rendered = try plans.map { try renderer.render($0) }
        let clock = ContinuousClock()
        if preference == .sql {
            return try rendered.map { sql in
                let start = clock.now
                let rows = try store.query(
                    sql.sql, arguments: sql.bindings, columnTypes: sql.fields.map(\.type.columnType),
                    cancellation: cancellation)
                return QueryResult(fields: sql.fields, rows: rows, site: .sql(dialect), sql: sql, seconds: (clock.now - start).seconds)
            }
        }
        if preference == .automatic && store.offloadsAnalytics {
            return try offloaded(plans, rendered, asOf: asOf, cancellation: cancellation)
        }
        return try onColumnEngine(plans, rendered, asOf: asOf, cancellation: cancellation)
    }

    private func onColumnEngine(
        _ plans: [Plan], _ rendered: [RenderedQuery], asOf: Day,
        cancellation: CancellationFlag?
    ) throws -> [QueryResult] {
        let clock = ContinuousClock()
        let executor = try executor(for: plans, asOf: asOf, cancellation: cancellation)
        let start = clock.now
        let results = try executor.run(plans)
        let seconds = (clock.now - start).seconds / Double(plans.count)
        return zip(results, rendered).map { result, sql in
            QueryResult(fields: result.fields, rows: result.rows, site: .columnEngine, sql: sql, seconds: seconds)
        }
    }

    /// Sends each plan to the database (HeatWave offload); a plan the database refuses runs on the
    /// column engine instead, with the refusal kept in `offloadFailure`. Lost connections and
    /// cancellations are not refusals: they propagate.
    private func offloaded(
        _ plans: [Plan], _ rendered: [RenderedQuery], asOf: Day,
        cancellation: CancellationFlag?
    ) throws -> [QueryResult] {
        let clock = ContinuousClock()
        return try zip(plans, rendered).map { plan, sql in
            let start = clock.now
            do {
                let rows = try store.query(
                    sql.sql, arguments: sql.bindings, columnTypes: sql.fields.map(\.type.columnType),
                    cancellation: cancellation)
                return QueryResult(fields: sql.fields, rows: rows, site: .sql(dialect), sql: sql, seconds: (clock.now - start).seconds)
            } catch let error as StoreError {
                switch error.kind {
                case .connectionLost, .cancelled, .timedOut, .connectionFailed, .poolClosed: throw error
                default:
                    var result = try onColumnEngine([plan], [sql], asOf: asOf, cancellation: cancellation)[0]
                    result.offloadFailure = "\(error)"
                    return result
                }
            }
        }
    }

    /// An executor over the loaded tables, loading what the plans need first. Exposed for benchmarks.
    public func executor(for plans: [Plan], asOf: Day, cancellation: CancellationFlag? = nil) throws -> Executor {
        var needed: [String: Set<String>] = [:]
        for plan in plans { Self.collectScans(plan, &needed) }
        var loaded: [String: ColumnTable] = [:]
        for (name, columns) in needed.sorted(by: { $0.key < $1.key }) {
            loaded[name] = try ensureLoaded(name, columns: columns, cancellation: cancellation)
        }
        return Executor(tables: loaded, asOf: asOf, catalog: catalog, logger: logger)
    }

    /// Loads every plan-usable column of `tables` now (rather than on first use).
    public func preload(_ names: [String]) throws -> (rows: Int, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        var rows = 0
        for name in names {
            guard let schema = catalog.table(name) else { throw PlanError("unknown table '\(name)'") }
            let columns = Set(schema.columns.filter { DataType($0.type) != nil }.map(\.name))
            rows += try ensureLoaded(name, columns: columns, cancellation: nil).rowCount
        }
        return (rows, (clock.now - start).seconds)
    }

    static func collectScans(_ plan: Plan, _ needed: inout [String: Set<String>]) {
        switch plan {
        case .scan(let table, let columns): needed[table, default: []].formUnion(columns.map(\.source))
        case .filter(let p, _), .aggregate(let p, _, _), .window(let p, _, _, _), .project(let p, _), .sort(let p, _), .limit(let p, _):
            collectScans(p, &needed)
        case .join(_, let l, let r, _):
            collectScans(l, &needed)
            collectScans(r, &needed)
        }
    }

    /// Loads missing columns, appends rows written since the last load, reloads after rewrites;
    /// returns the table with at least `columns`. The Store is read outside the lock.
    private func ensureLoaded(_ name: String, columns requested: Set<String>, cancellation: CancellationFlag?) throws -> ColumnTable {
        guard let schema = catalog.table(name) else { throw PlanError("unknown table '\(name)'") }
        let columns = requested.union(Self.sharedColumns(schema))
        enum Step {
            case ready(ColumnTable)
            case wait(DispatchSemaphore)
            case load(LoadedTable?)
        }
        while true {
            let version = store.version(of: name)
            let step = state.withLock { state -> Step in
                let current = state.tables[name]
                if let current, current.version == version, columns.isSubset(of: Set(current.table.fields.map(\.name))) {
                    return .ready(current.table)
                }
                if state.loading[name] != nil {
                    let waiter = DispatchSemaphore(value: 0)
                    state.loading[name, default: []].append(waiter)
                    return .wait(waiter)
                }
                state.loading[name] = []
                return .load(current)
            }
            switch step {
            case .ready(let table):
                return table
            case .wait(let waiter):
                while waiter.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
                    try cancellation?.check("load \(name)")
                }
            case .load(let current):
                defer { finishLoading(name) }
                let loaded = try load(schema, columns: columns, over: current, version: version, cancellation: cancellation)
                state.withLock { $0.tables[name] = loaded }
                return loaded.table
            }
        }
    }

    /// The columns every load of `schema` reads besides those asked for: the plan-usable columns that
    /// are not text keys or documents (the columns the catalog profiles). The flow's agents ask for
    /// different subsets of a table; loading the shared set once spares a second read of the whole
    /// table (50 million rows at scale 10) when a later plan needs a column the first did not.
    static func sharedColumns(_ schema: TableSchema) -> Set<String> {
        Set(
            schema.columns.filter { c in
                guard let type = DataType(c.type), c.type != .json, c.type != .longText else { return false }
                return !(type == .text && schema.primaryKey.contains(c.name))
            }.map(\.name))
    }

    /// Reads what `current` lacks: the rows appended since, or the whole table with every column wanted.
    private func load(
        _ schema: TableSchema, columns: Set<String>, over current: LoadedTable?, version: TableVersion, cancellation: CancellationFlag?
    ) throws -> LoadedTable {
        if let snapshots, let counting = store as? any ChangeCountingStore,
            let loaded = try loadMarked(
                schema, columns: columns, over: current, version: version, from: counting, snapshots: snapshots, cancellation: cancellation)
        {
            return loaded
        }
        if var loaded = current, loaded.version.rewrites == version.rewrites,
            columns.isSubset(of: Set(loaded.table.fields.map(\.name)))
        {
            let ordered = loaded.table.fields.map(\.name)
            let scan = try store.scanColumnar(schema, columns: ordered, after: loaded.cursor, cancellation: cancellation)
            loaded.table = Self.append(scan, to: loaded.table)
            loaded.cursor = scan.cursor
            loaded.version = version
            return loaded
        }
        let already = Set(current?.table.fields.map(\.name) ?? [])
        let wanted = schema.columns.map(\.name).filter { columns.contains($0) || already.contains($0) }
        let scan = try store.scanColumnar(schema, columns: wanted, after: nil, cancellation: cancellation)
        return LoadedTable(table: Self.table(scan, schema: schema, columns: wanted), cursor: scan.cursor, version: version)
    }

    /// Ends the load of `name` (done or failed) and wakes the queries waiting for it.
    private func finishLoading(_ name: String) {
        let waiters = state.withLock { $0.loading.removeValue(forKey: name) ?? [] }
        for waiter in waiters { waiter.signal() }
    }

    static func table(_ scan: ColumnarScan, schema: TableSchema, columns: [String]) -> ColumnTable {
        var fields: [Field] = []
        var built: [Column] = []
        for (i, name) in columns.enumerated() {
            let type = DataType(schema.column(name)!.type)!
            fields.append(Field(name, type))
            let storage: Column.Storage
            switch scan.columns[i] {
            case .ints(let v): storage = .ints(ColumnValues(v))
            case .doubles(let v): storage = .doubles(ColumnValues(v))
            case .strings(let codes, let dictionary): storage = .strings(ColumnValues(codes), StringDictionary(dictionary))
            }
            built.append(Column(type: type, storage: storage, valid: scan.valid[i]))
        }
        return ColumnTable(name: schema.name, fields: fields, columns: built, rowCount: scan.rowCount)
    }

    /// Appends newly scanned rows, re-coding their text into the existing dictionaries.
    static func append(_ scan: ColumnarScan, to table: ColumnTable) -> ColumnTable {
        guard scan.rowCount > 0 else { return table }
        var out = table
        for (i, column) in table.columns.enumerated() {
            var valid = column.valid
            if valid != nil || scan.valid[i] != nil {
                valid =
                    (column.valid ?? Array(repeating: true, count: table.rowCount))
                    + (scan.valid[i] ?? Array(repeating: true, count: scan.rowCount))
            }
            switch (column.storage, scan.columns[i]) {
            case (.ints(let a), .ints(let b)): out.columns[i].storage = .ints(a + ColumnValues(b))
            case (.doubles(let a), .doubles(let b)): out.columns[i].storage = .doubles(a + ColumnValues(b))
            case (.strings(let codes, let dictionary), .strings(let newCodes, let newValues)):
                var values = dictionary.values
                var lookup = dictionary.lookup
                let remap = newValues.map { v -> Int32 in
                    if let c = lookup[ByteString(v)] { return c }
                    let c = Int32(values.count)
                    values.append(v)
                    lookup[ByteString(v)] = c
                    return c
                }
                let merged = codes + ColumnValues(newCodes.map { $0 >= 0 ? remap[Int($0)] : -1 })
                out.columns[i].storage = .strings(merged, values.count == dictionary.count ? dictionary : StringDictionary(values))
            default:
                break
            }
            out.columns[i].valid = valid
        }
        out.rowCount = table.rowCount + scan.rowCount
        return out
    }
}

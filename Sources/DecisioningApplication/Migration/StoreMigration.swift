public import DecisioningCore
import DecisioningMySQL
public import DecisioningStore
import Foundation

/// Copies the business tables from one store to another (SQLite ⇄ MySQL / MariaDB / HeatWave), then
/// verifies the copy and, on HeatWave, loads the copied tables into RAPID.
///
/// - Batches: each table is read in primary-key order, `batchSize` rows at a time, and each batch is
///   written in one destination transaction.
/// - Resuming: the resume point is the destination itself. Each batch first reads the destination's
///   rows with the batch's keys (inside the batch's transaction): a row already there and equal is
///   counted as already present and not written again, a missing one is inserted. A run stopped at
///   any point (even `kill -9`) leaves whole batches only, so running it again copies what is missing
///   and nothing twice.
/// - Conflicts: a destination row with the same key but other values fails the batch with
///   `MigrationError.conflictingRow` (nothing of it is written), unless `overwrite` replaces it.
/// - Verification: per table, the row count and a `TableChecksum` over the key and DECIMAL columns,
///   computed in Swift from rows read on each side, so both engines give the same value.
public struct StoreMigration: Sendable {
    public static let batchSizes = 1...10_000

    public let source: any Store
    public let destination: any Store
    public let plans: [MigrationTablePlan]
    public let batchSize: Int
    /// Replace destination rows that have a source row's key but other values, instead of failing.
    public let overwrite: Bool
    /// The configuration's `use_heatwave_engine` for the destination: false skips the RAPID load.
    public let useHeatWave: Bool

    public init(
        source: any Store, destination: any Store, tables: [String]? = nil, batchSize: Int = 1000, overwrite: Bool = false,
        useHeatWave: Bool = true
    ) throws(MigrationError) {
        guard Self.batchSizes.contains(batchSize) else { throw .invalidBatchSize(given: batchSize, allowed: Self.batchSizes) }
        guard source.url != destination.url else { throw .sameStore(url: source.url.description) }
        self.source = source
        self.destination = destination
        self.plans = try MigrationTablePlan.plans(for: tables)
        self.batchSize = batchSize
        self.overwrite = overwrite
        self.useHeatWave = useHeatWave
    }

    /// Opens (and migrates the schema of) both stores: the source must exist; a SQLite destination is
    /// created when missing. Passwords come from the configuration's data source for each URL
    /// (`password_env`, `password_file`), else DECISIONING_DB_PASSWORD; never from the URL.
    public static func open(
        from: DatabaseURL, to: DatabaseURL, configuration: Configuration, tables: [String]? = nil, batchSize: Int = 1000,
        overwrite: Bool = false
    ) throws -> StoreMigration {
        guard from != to else { throw MigrationError.sameStore(url: from.description) }
        _ = try MigrationTablePlan.plans(for: tables)
        if case .sqlite(let path) = from, !FileManager.default.fileExists(atPath: path) { throw ApplicationError.noDatabase(path: path) }
        let source = try StoreOpener.open(from, configuration: configuration)
        try source.migrate()
        let destination = try StoreOpener.open(to, configuration: configuration)
        try destination.migrate()
        return try StoreMigration(
            source: source, destination: destination, tables: tables, batchSize: batchSize, overwrite: overwrite,
            useHeatWave: StoreOpener.dataSource(for: to, in: configuration)?.useHeatWaveEngine ?? true)
    }

    /// Copies every planned table, verifies it and loads it into RAPID where the destination is HeatWave.
    /// Throws `MigrationError.verificationFailed` after `report` has been given the report, so a front end can show it.
    public func run(
        progress: ((MigrationProgress) -> Void)? = nil, report: ((MigrationReport) -> Void)? = nil
    ) throws -> MigrationReport {
        let started = Date()
        var copies: [(copied: Int, replaced: Int, alreadyPresent: Int)] = []
        for plan in plans { copies.append(try copy(plan, progress: progress)) }
        let copySeconds = Date().timeIntervalSince(started)
        if let sqlite = destination as? SQLiteStore { try sqlite.checkpoint() }
        var results: [MigrationReport.TableResult] = []
        for (plan, copy) in zip(plans, copies) {
            let sourceSum = try checksum(plan, in: source, progress: progress)
            let destinationSum = try checksum(plan, in: destination, progress: progress)
            results.append(
                MigrationReport.TableResult(
                    table: plan.name, copied: copy.copied, replaced: copy.replaced, alreadyPresent: copy.alreadyPresent,
                    source: sourceSum, destination: destinationSum))
        }
        let rapid = try loadIntoRAPID(progress: progress)
        let result = MigrationReport(
            from: source.url.description, to: destination.url.description, tables: results, rapid: rapid, copySeconds: copySeconds,
            totalSeconds: Date().timeIntervalSince(started))
        report?(result)
        guard result.verified else { throw MigrationError.verificationFailed(tables: results.filter { !$0.verified }.map(\.table)) }
        return result
    }

    // MARK: - Copy

    /// Copies one table batch by batch; returns the rows written, replaced and found already present.
    func copy(_ plan: MigrationTablePlan, progress: ((MigrationProgress) -> Void)?) throws -> (
        copied: Int, replaced: Int, alreadyPresent: Int
    ) {
        let total = try source.rowCount(plan.name)
        var done = 0
        var copied = 0
        var replaced = 0
        var alreadyPresent = 0
        progress?(MigrationProgress(phase: .copy, table: plan.name, done: 0, total: total))
        // A MySQL scan wraps what its body throws; keep the original to throw it as it was.
        var failure: (any Error)?
        do {
            try source.scan(plan.schema, columns: plan.schema.columnNames, batchSize: batchSize) { rows in
                do {
                    let outcome = try destination.writeBatch { writer in try copyBatch(rows, plan, writer) }
                    copied += outcome.inserted + outcome.replaced
                    replaced += outcome.replaced
                    alreadyPresent += outcome.alreadyPresent
                    done += rows.count
                    progress?(MigrationProgress(phase: .copy, table: plan.name, done: done, total: max(total, done)))
                } catch {
                    failure = error
                    throw error
                }
            }
        } catch {
            throw failure ?? error
        }
        return (copied, replaced, alreadyPresent)
    }

    /// Writes the rows of one batch that the destination lacks, inside the batch's transaction.
    func copyBatch(_ rows: [[Value]], _ plan: MigrationTablePlan, _ writer: any BatchWriter) throws -> (
        inserted: Int, replaced: Int, alreadyPresent: Int
    ) {
        let schema = plan.schema
        let keyIndexes = schema.primaryKey.compactMap { schema.columnIndex($0) }
        let existing = try existingRows(keys: rows.map { row in keyIndexes.map { row[$0] } }, plan, writer)
        var fresh: [[Value]] = []
        var replacements: [[Value]] = []
        var alreadyPresent = 0
        for row in rows {
            let key = keyIndexes.map { row[$0] }
            guard let stored = existing[key] else {
                fresh.append(row)
                continue
            }
            guard let column = Self.firstDifference(row, stored, schema) else {
                alreadyPresent += 1
                continue
            }
            guard overwrite else {
                throw MigrationError.conflictingRow(
                    table: schema.name, key: key.map { $0.rendered(as: .longText) }.joined(separator: ", "), column: column)
            }
            replacements.append(row)
        }
        if !fresh.isEmpty {
            let inserter = try writer.inserter(for: schema, columns: schema.columnNames, onConflict: .fail)
            for row in fresh { _ = try inserter.insert(row) }
            _ = try inserter.flush()
        }
        if !replacements.isEmpty {
            let inserter = try writer.inserter(for: schema, columns: schema.columnNames, onConflict: .replace)
            for row in replacements { _ = try inserter.insert(row) }
            _ = try inserter.flush()
        }
        return (fresh.count, replacements.count, alreadyPresent)
    }

    /// The destination's rows with these keys, by key (names come from the catalog, not from input).
    func existingRows(keys: [[Value]], _ plan: MigrationTablePlan, _ writer: any BatchWriter) throws(StoreError) -> [[Value]: [Value]] {
        guard !keys.isEmpty else { return [:] }
        let schema = plan.schema
        let keyCount = plan.keyColumns.count
        let tuple = keyCount == 1 ? "?" : "(" + Array(repeating: "?", count: keyCount).joined(separator: ", ") + ")"
        let target = keyCount == 1 ? plan.keyColumns[0] : "(" + plan.keyColumns.joined(separator: ", ") + ")"
        let sql =
            "SELECT " + schema.columnNames.joined(separator: ", ") + " FROM " + schema.name + " WHERE " + target + " IN ("
            + Array(repeating: tuple, count: keys.count).joined(separator: ", ") + ")"
        let rows = try writer.query(sql, arguments: keys.flatMap { $0 }, columnTypes: schema.columns.map(\.type))
        let keyIndexes = schema.primaryKey.compactMap { schema.columnIndex($0) }
        var byKey: [[Value]: [Value]] = [:]
        for row in rows { byKey[keyIndexes.map { row[$0] }] = row }
        return byKey
    }

    /// The first column whose values differ, or nil when the rows are equal. JSON documents are
    /// compared as documents (a server may store them re-spaced).
    static func firstDifference(_ a: [Value], _ b: [Value], _ schema: TableSchema) -> String? {
        for (i, column) in schema.columns.enumerated() where i < a.count && i < b.count && a[i] != b[i] {
            if case .json(let x) = a[i], case .json(let y) = b[i],
                let dx = try? StrictJSON.parse(Array(x.utf8)), let dy = try? StrictJSON.parse(Array(y.utf8)), dx == dy
            {
                continue
            }
            return column.name
        }
        return nil
    }

    // MARK: - Verification

    /// The checksum of `plan`'s checksum columns over every row of the table in `store`.
    func checksum(_ plan: MigrationTablePlan, in store: any Store, progress: ((MigrationProgress) -> Void)?) throws -> TableChecksum {
        let types = plan.checksumColumns.compactMap { plan.schema.column($0)?.type }
        var sum = TableChecksum(types: types)
        let total = try store.rowCount(plan.name)
        try store.scan(plan.schema, columns: plan.checksumColumns, batchSize: 8192) { rows in
            for row in rows { sum.add(row) }
            progress?(MigrationProgress(phase: .verify, table: plan.name, done: sum.rows, total: max(total, sum.rows)))
        }
        return sum
    }

    // MARK: - HeatWave

    func loadIntoRAPID(progress: ((MigrationProgress) -> Void)?) throws -> MigrationReport.RAPIDLoad {
        guard let mysql = destination as? MySQLStore else { return .notApplicable }
        let server = mysql.capabilities.isMariaDB ? "MariaDB \(mysql.capabilities.version)" : "MySQL \(mysql.capabilities.version)"
        guard mysql.capabilities.heatWave else { return .skipped(reason: "the destination server (\(server)) has no HeatWave") }
        guard useHeatWave else { return .skipped(reason: "the configuration sets use_heatwave_engine to false") }
        let names = plans.map(\.name)
        progress?(MigrationProgress(phase: .load, table: names.joined(separator: ", "), done: 0, total: names.count))
        let (marked, loadedNow) = try mysql.loadIntoRAPID(names)
        progress?(MigrationProgress(phase: .load, table: names.joined(separator: ", "), done: names.count, total: names.count))
        return .loaded(tables: marked, loadedNow: loadedNow, notMarked: names.filter { !marked.contains($0) })
    }
}

public import DecisioningCore

/// The system of record (DESIGN.md §4): schema migration, atomic batch writes with conflict
/// policies, streaming scans, typed queries and, through an extension, run persistence.
///
/// The API is synchronous on purpose: every engine behind it is a blocking C library (SQLite,
/// libmariadb). Async callers run it on `BlockingPool`, never on Swift's cooperative pool, and
/// pass the pool's `CancellationFlag` down so that cancelling their task reaches the database.
public protocol Store: AnyObject, Sendable {
    var url: DatabaseURL { get }

    /// Applies every migration not yet recorded in the database, in order; returns the ids applied now.
    @discardableResult
    func migrate() throws(StoreError) -> [String]

    /// The ids of the migrations recorded in the database, in the order they were applied.
    func appliedMigrations() throws(StoreError) -> [String]

    /// Runs `body` inside one transaction: if it throws, nothing it wrote is kept. The batch commits
    /// through `cancellation` (`CancellationFlag.commit`): once that flag is raised the batch rolls
    /// back with `.cancelled` instead, so work that was given up cannot change the database.
    func writeBatch<T>(cancellation: CancellationFlag?, _ body: (any BatchWriter) throws -> T) throws -> T

    /// Streams a table's rows in primary-key order, `batchSize` rows at a time, typed by `table`'s schema.
    func scan(_ table: TableSchema, columns: [String]?, batchSize: Int, _ body: ([[Value]]) throws -> Void) throws

    /// Runs a read-only query with bound arguments and decodes each column with the given type.
    /// Raising `cancellation` stops the statement in the database and ends the call with `.cancelled`.
    func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
        -> [[Value]]

    func rowCount(_ table: String) throws(StoreError) -> Int

    /// Reads `columns` of `table` into columnar arrays, only the rows after `cursor` when given.
    /// Raising `cancellation` stops the read and ends the call with `.cancelled`.
    func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?) throws(StoreError)
        -> ColumnarScan

    /// How often `table` was appended to and rewritten by this process's writes.
    func version(of table: String) -> TableVersion

    /// Creates a table outside the migrated schema (scratch and test tables), typed as `schema` says.
    func createTable(_ schema: TableSchema) throws(StoreError)

    /// True when the database itself runs analytic plans faster than the in-process column
    /// engine (HeatWave's RAPID engine): the Warehouse then sends plans there first.
    var offloadsAnalytics: Bool { get }

    /// True when the store's inserters tell rows repeating a key of their batch themselves
    /// (`RowInserter.tracksBatchKeys`), so that an ingest keeps no key set of its own.
    var tracksBatchKeys: Bool { get }

    /// Makes `business_embeddings.embedding_vector` hold vectors of `dimension` entries, where the
    /// column's type has a size (MySQL 9 / HeatWave `VECTOR(n)`: n becomes the largest dimension
    /// stored or about to be). A no-op where vectors are blobs.
    func fitVectorColumn(dimension: Int) throws(StoreError)
}

/// What to do when a row's primary key is already present.
public enum ConflictPolicy: String, Sendable, CaseIterable {
    /// Raise `StoreError.duplicateKey`.
    case fail
    /// Keep the existing row and report the new one as skipped (idempotent re-ingest).
    case skip
    /// Overwrite the existing row (upsert by primary key).
    case replace
}

/// Writes inside one `Store.writeBatch` transaction.
public protocol BatchWriter {
    /// Prepares an insert of `columns` (in that order) into `table`; reuse the inserter for every row.
    func inserter(for table: TableSchema, columns: [String], onConflict: ConflictPolicy) throws(StoreError) -> any RowInserter

    /// Executes a statement with bound arguments (for deletes and updates of run records).
    func execute(_ sql: String, arguments: [Value]) throws(StoreError)

    /// Runs a query inside the batch's transaction: it sees what the batch wrote so far, and on
    /// SQLite (a batch holds the write lock) no other writer can change what it read before the
    /// commit. Rows are decoded with `columnTypes`, as `Store.query` decodes them.
    func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType]) throws(StoreError) -> [[Value]]

    /// Prepares a large load into `table`. A store may set the table's secondary indexes aside when
    /// the table is empty and build them again, each with one sort, before the batch commits (or when
    /// `finishBulkLoads` is called); the batch stays atomic because both happen inside it.
    /// - Returns: the names of the indexes set aside (empty when none were).
    func prepareBulkLoad(into table: TableSchema) throws(StoreError) -> [String]

    /// Builds again the indexes that `prepareBulkLoad` set aside. The store does it before commit
    /// in any case; calling it earlier lets the caller time it and see its errors first.
    func finishBulkLoads() throws(StoreError)
}

/// What writing one row did (`RowInserter.write`).
public enum InsertOutcome: Sendable, Hashable {
    /// A new row.
    case inserted
    /// It overwrote a row stored before the batch (`.replace`).
    case replaced
    /// A row stored before the batch has its key; nothing was written (`.skip`).
    case skipped
    /// A row written earlier in this batch has its key: the `ordinal`-th new row (0-based) that the
    /// batch inserted into the table. Nothing was written. Only inserters that `tracksBatchKeys` say this.
    case repeated(ordinal: Int)
}

public protocol RowInserter {
    /// Inserts one row whose values follow the inserter's column order. A store may queue rows
    /// and write them in groups (MySQL's multi-row inserts); queued rows are written by `flush()`
    /// or, at the latest, before the batch commits.
    /// - Returns: false when the row was skipped as already present; true when it was written or queued.
    func insert(_ row: [Value]) throws(StoreError) -> Bool

    /// Writes queued rows now. Returns how many of the rows `insert` reported as written or queued
    /// turned out to be skipped as already present.
    func flush() throws(StoreError) -> Int

    /// True when a refusal thrown by `insert` concerns exactly the row given (SQLite), so a caller
    /// may reject that row and go on. False when rows are written in groups (MySQL): a refusal then
    /// concerns a group sent earlier, surfaces at a later row, and can only fail the batch.
    var refusesSingleRows: Bool { get }

    /// True when `write` tells a row whose key was written earlier in the same batch
    /// (`.repeated`) from one whose key was stored before it, so that the caller need not keep every
    /// key of the batch. False: `write` reports both as `.skipped` (or refuses both).
    var tracksBatchKeys: Bool { get }

    /// Writes one row like `insert`, saying what happened. For `.replace` with `tracksBatchKeys`, a
    /// row repeating a key of this batch is not written (`.repeated`), so it cannot overwrite the first.
    func write(_ row: [Value]) throws(StoreError) -> InsertOutcome

    /// Values bound in place, without a `Value` per value, for stores that can (SQLite); nil otherwise.
    var binder: (any RowBinder)? { get }
}

extension RowInserter {
    public func flush() throws(StoreError) -> Int { 0 }
    public var refusesSingleRows: Bool { true }
    public var tracksBatchKeys: Bool { false }
    public func write(_ row: [Value]) throws(StoreError) -> InsertOutcome { try insert(row) ? .inserted : .skipped }
    public var binder: (any RowBinder)? { nil }
}

extension BatchWriter {
    public func prepareBulkLoad(into table: TableSchema) throws(StoreError) -> [String] { [] }
    public func finishBulkLoads() throws(StoreError) {}
}

/// Binds the values of one row into an inserter's statement, position by position (0-based, in the
/// inserter's column order), then writes it: the fast path of bulk loads, with no `Value` per value.
/// Every position must be bound before each `writeBound`; a row given up halfway is simply bound over.
public protocol RowBinder: AnyObject {
    func bindNull(_ position: Int)
    func bindInteger(_ value: Int64, _ position: Int)
    /// A DECIMAL in units of its scale.
    func bindDecimal(_ units: Int64, _ position: Int)
    func bindBoolean(_ value: Bool, _ position: Int)
    func bindDouble(_ value: Double, _ position: Int)
    /// UTF-8 text; the bytes must stay valid and unchanged until `writeBound` returns.
    func bindText(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int)
    func bindDay(_ day: Day, _ position: Int)
    func bindTimestamp(_ timestamp: Timestamp, _ position: Int)
    /// Any value (JSON, vectors, defaults): the slow path.
    func bind(_ value: Value, _ position: Int)
    /// Writes the bound row; the outcome as `RowInserter.write` says it.
    func writeBound() throws(StoreError) -> InsertOutcome
}

extension Store {
    public var offloadsAnalytics: Bool { false }
    public var tracksBatchKeys: Bool { false }
    public func fitVectorColumn(dimension: Int) throws(StoreError) {}

    public func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType]) throws(StoreError) -> [[Value]] {
        try query(sql, arguments: arguments, columnTypes: columnTypes, cancellation: nil)
    }

    public func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?) throws(StoreError) -> ColumnarScan {
        try scanColumnar(table, columns: columns, after: cursor, cancellation: nil)
    }

    /// `writeBatch` that nothing cancels.
    public func writeBatch<T>(_ body: (any BatchWriter) throws -> T) throws -> T {
        try writeBatch(cancellation: nil, body)
    }

    public func scan(_ table: TableSchema, batchSize: Int = 8192, _ body: ([[Value]]) throws -> Void) throws {
        try scan(table, columns: nil, batchSize: batchSize, body)
    }
}

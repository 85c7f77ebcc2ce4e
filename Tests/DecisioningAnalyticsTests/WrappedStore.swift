import DecisioningCore
import DecisioningStore

/// A test store around a SQLite store: everything it does not implement goes to `base`.
protocol WrappedStore: Store {
    var base: SQLiteStore { get }
}

extension WrappedStore {
    var url: DatabaseURL { base.url }
    func migrate() throws(StoreError) -> [String] { try base.migrate() }
    func appliedMigrations() throws(StoreError) -> [String] { try base.appliedMigrations() }
    func writeBatch<T>(cancellation: CancellationFlag?, _ body: (any BatchWriter) throws -> T) throws -> T {
        try base.writeBatch(cancellation: cancellation, body)
    }
    func scan(_ table: TableSchema, columns: [String]?, batchSize: Int, _ body: ([[Value]]) throws -> Void) throws {
        try base.scan(table, columns: columns, batchSize: batchSize, body)
    }
    func query(_ sql: String, arguments: [Value], columnTypes: [ColumnType], cancellation: CancellationFlag?) throws(StoreError)
        -> [[Value]]
    {
        try base.query(sql, arguments: arguments, columnTypes: columnTypes, cancellation: cancellation)
    }
    func rowCount(_ table: String) throws(StoreError) -> Int { try base.rowCount(table) }
    func scanColumnar(_ table: TableSchema, columns: [String], after cursor: Int64?, cancellation: CancellationFlag?) throws(StoreError)
        -> ColumnarScan
    {
        try base.scanColumnar(table, columns: columns, after: cursor, cancellation: cancellation)
    }
    func version(of table: String) -> TableVersion { base.version(of: table) }
    func createTable(_ schema: TableSchema) throws(StoreError) { try base.createTable(schema) }
}

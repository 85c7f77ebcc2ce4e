public import DecisioningCore

/// A Store that keeps durable change marks in the database itself (migration 0003: a random identity
/// token, and per table a counter of rows updated or deleted, bumped by triggers), so that a reader
/// in a later process can tell whether a columnar copy it saved is still the table's content.
///
/// Inserts are not counted: they are found by the rowid cursor (rows after it), so ingest pays
/// nothing for the marks. What the marks detect and miss is listed in docs/ARCHITECTURE.md
/// (the Warehouse's column snapshot).
public protocol ChangeCountingStore: Store {
    /// Reads, in one read transaction, the table's change marks and `columns` of the rows after
    /// `cursor` (every row when nil). With `probe`, also counts the table's rows and reads the row
    /// whose rowid is `probe` (the last row a snapshot holds), for checking a snapshot.
    /// - Returns: nil when the table keeps no change counter (a table outside the migrated schema,
    ///   or a database not yet migrated to 0003).
    func scanColumnarMarked(
        _ table: TableSchema, columns: [String], after cursor: Int64?, probe: Int64?, cancellation: CancellationFlag?
    ) throws(StoreError) -> MarkedColumnarScan?
}

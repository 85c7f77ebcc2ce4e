/// Where the Warehouse's columnar copy of a table came from when it was last read (`Warehouse.source(of:)`).
public enum TableSource: Sendable, Hashable {
    /// Read whole from the Store: no snapshot yet, snapshots off, or a reload within the process.
    case database
    /// Mapped from the column snapshot, with the rows appended since it was written read from the Store.
    case snapshot(appendedRows: Int)
    /// A snapshot existed but could not be used (stale, damaged, another database's, lacking
    /// columns): the table was read whole from the Store and the snapshot written anew.
    case rebuilt(reason: String)
}

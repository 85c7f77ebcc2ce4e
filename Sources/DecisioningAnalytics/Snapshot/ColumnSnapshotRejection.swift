/// Why a column snapshot file was not used. None of these is an error for the caller: the Warehouse
/// logs the reason, reads the table from the Store instead and writes a new snapshot.
enum ColumnSnapshotRejection: Error, CustomStringConvertible, Equatable {
    /// No snapshot file for the table yet.
    case missing
    /// The file could not be opened or mapped.
    case unreadable(String)
    case notASnapshot
    case formatVersion(UInt32)
    /// Shorter than its header says: a write cut short.
    case truncated(String)
    /// A checksum or a structure check failed.
    case corrupt(String)
    /// Written for another database file (its identity token differs).
    case otherDatabase
    /// The table's schema or the applied migrations changed since it was written.
    case schemaChanged
    /// Rows were updated or deleted since (the table's change counter moved).
    case rewritten(saved: Int64, now: Int64)
    /// The rows it holds are no longer the table's rows up to its cursor (a replace, an insert with an
    /// explicit rowid, a restored backup…): counted rows or the last row differ.
    case rowsDiffer(String)
    /// Holds fewer columns than the load needs (the table is read with both sets).
    case lacksColumns([String])

    var description: String {
        switch self {
        case .missing: return "no snapshot yet"
        case .unreadable(let reason): return "unreadable (\(reason))"
        case .notASnapshot: return "not a column snapshot file"
        case .formatVersion(let v): return "format version \(v), this build reads \(ColumnSnapshotHeader.formatVersion)"
        case .truncated(let reason): return "truncated: \(reason)"
        case .corrupt(let reason): return "corrupt: \(reason)"
        case .otherDatabase: return "written for another database file at this path"
        case .schemaChanged: return "the table's schema or the migrations changed"
        case .rewritten(let saved, let now): return "rows were updated or deleted since (change counter \(saved) → \(now))"
        case .rowsDiffer(let reason): return "the table's rows differ from the snapshot's (\(reason))"
        case .lacksColumns(let names): return "it lacks the columns \(names.joined(separator: ", "))"
        }
    }

    /// Damage (worth a warning) rather than the ordinary staleness of a snapshot.
    var isDamage: Bool {
        switch self {
        case .unreadable, .notASnapshot, .truncated, .corrupt: return true
        default: return false
        }
    }
}

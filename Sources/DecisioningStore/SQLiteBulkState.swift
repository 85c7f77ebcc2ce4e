/// What one SQLite write batch remembers about its bulk loads.
final class SQLiteBulkState {
    /// Per table, its largest rowid before the batch wrote to it.
    var bases: [String: Int64] = [:]
    /// Indexes dropped by `prepareBulkLoad`, to create again before commit, in order.
    var setAside: [(table: String, name: String, sql: String)] = []
    /// Tables whose indexes were set aside in this batch (each at most once).
    var prepared: Set<String> = []
}

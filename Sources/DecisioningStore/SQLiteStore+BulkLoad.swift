extension SQLiteStore {
    /// SQLite's inserters tell keys repeated within a batch by rowid (`SQLiteBatchWriter.inserter`).
    public var tracksBatchKeys: Bool { true }
}

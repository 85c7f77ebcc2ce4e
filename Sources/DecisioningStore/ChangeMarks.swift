/// A table's durable change marks, read in the same transaction as the rows they describe.
public struct ChangeMarks: Sendable, Hashable {
    /// The database's identity token: random, made when the database was migrated to 0003. Another
    /// database file put at the same path (a restored backup of a different database) has another.
    public var identity: String
    /// The ids of the migrations applied, in order: any schema change shows here.
    public var migrations: [String]
    /// How many rows of the table were ever updated or deleted (the triggers' counter).
    public var rewrites: Int64

    public init(identity: String, migrations: [String], rewrites: Int64) {
        self.identity = identity
        self.migrations = migrations
        self.rewrites = rewrites
    }
}

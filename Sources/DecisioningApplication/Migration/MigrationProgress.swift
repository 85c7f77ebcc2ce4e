/// Where a migration is, for a progress bar: the table, its rows handled so far and its total.
public struct MigrationProgress: Sendable {
    public enum Phase: String, Sendable {
        case copy, verify, load
    }

    public var phase: Phase
    public var table: String
    public var done: Int
    public var total: Int
}

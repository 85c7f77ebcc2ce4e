/// What `StoreMigration.run` did: per table, what was copied and how both sides compare, and the
/// HeatWave load.
public struct MigrationReport: Sendable {
    public struct TableResult: Sendable {
        public var table: String
        /// Rows written now (new ones and, with `--overwrite`, replaced ones).
        public var copied: Int
        /// Of those, rows that replaced a different destination row (`--overwrite`).
        public var replaced: Int
        /// Rows the destination already held unchanged (an earlier, interrupted run copied them).
        public var alreadyPresent: Int
        public var source: TableChecksum
        public var destination: TableChecksum

        /// Row counts and checksums are equal on both sides.
        public var verified: Bool { source == destination }
    }

    /// Loading the copied tables into HeatWave's RAPID engine.
    public enum RAPIDLoad: Sendable, Equatable {
        /// The destination is SQLite: there is no secondary engine.
        case notApplicable
        /// The server has no HeatWave (MariaDB, MySQL without a cluster), or the configuration keeps analytics off it.
        case skipped(reason: String)
        /// These tables are in RAPID now (`loadedNow` of them were loaded by this run; HeatWave keeps loaded tables
        /// current by itself); `notMarked` stay on InnoDB only, as the schema does not mark them for RAPID.
        case loaded(tables: [String], loadedNow: [String], notMarked: [String])
    }

    public var from: String
    public var to: String
    public var tables: [TableResult]
    public var rapid: RAPIDLoad
    /// Time spent copying (not verifying).
    public var copySeconds: Double
    public var totalSeconds: Double

    public var verified: Bool { tables.allSatisfy(\.verified) }
    public var copiedRows: Int { tables.map(\.copied).reduce(0, +) }
    public var sourceRows: Int { tables.map(\.source.rows).reduce(0, +) }
}

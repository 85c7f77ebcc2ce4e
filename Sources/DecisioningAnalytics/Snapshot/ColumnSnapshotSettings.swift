public import DecisioningCore
public import Foundation

/// Where a Warehouse keeps its column snapshots: the analytic tables in columnar form, written after
/// a load and memory-mapped by the next process instead of reading the tables from the database.
///
/// Only SQLite stores have them (their change counters tell a stale snapshot, docs/ARCHITECTURE.md);
/// a MySQL store never keeps one. The default is a directory beside the database file,
/// `FILE.columns/` (`sqlite:/data/co.sqlite` → `/data/co.sqlite.columns/`).
public struct ColumnSnapshotSettings: Sendable, Equatable {
    /// The directory for this database's snapshot files; nil when snapshots are off.
    public var directory: String?

    public init(directory: String?) {
        self.directory = directory
    }

    public static let off = ColumnSnapshotSettings(directory: nil)

    /// `off` (or `false`, `0`, `no`) disables snapshots; `on`, `true`, `1`, `yes` or empty follows the
    /// configuration; any other value is a directory to keep them under (one subdirectory per
    /// database file). It wins over the configuration.
    public static let environmentVariable = "DECISIONING_COLUMN_SNAPSHOTS"

    /// The settings for the store at `url`: the environment variable first, then the
    /// `column_snapshots` key of the configuration's SQLite data source with the same path, else
    /// beside the database file. Off for MySQL URLs and on big-endian hosts (the file is little-endian).
    public static func resolve(
        for url: DatabaseURL, configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ColumnSnapshotSettings {
        #if _endian(big)
            return .off
        #else
            guard case .sqlite(let path) = url, path != ":memory:", !path.isEmpty else { return .off }
            let beside = ColumnSnapshotSettings(directory: path + ".columns")
            if let value = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces) {
                switch value.lowercased() {
                case "off", "false", "0", "no": return .off
                case "on", "true", "1", "yes", "": break
                default: return ColumnSnapshotSettings(directory: shared(value, path))
                }
            }
            let source = configuration.dataSources.first { $0.url == url }
            switch source?.columnSnapshots ?? .besideDatabase {
            case .besideDatabase: return beside
            case .off: return .off
            case .directory(let directory): return ColumnSnapshotSettings(directory: shared(directory, path))
            }
        #endif
    }

    /// A database's own subdirectory of a directory that may serve several: its file name and a
    /// hash of its absolute path (`cache/co.sqlite-1a2b3c4d5e6f7a8b`).
    static func shared(_ directory: String, _ databasePath: String) -> String {
        let absolute = URL(fileURLWithPath: databasePath).standardizedFileURL.path
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in absolute.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let name = (absolute as NSString).lastPathComponent
        let hex = String(h, radix: 16)
        return (directory as NSString).appendingPathComponent(name + "-" + String(repeating: "0", count: 16 - hex.count) + hex)
    }
}

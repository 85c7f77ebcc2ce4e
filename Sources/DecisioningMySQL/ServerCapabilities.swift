/// What a MySQL-family server offers, read by `ServerProbe` when the store connects.
public struct ServerCapabilities: Sendable, Hashable, Codable {
    /// `VERSION()`, e.g. `10.11.14-MariaDB-0+deb12u2` or `9.4.0-cloud`.
    public var version: String
    /// `@@version_comment`, e.g. `MySQL Enterprise - Cloud` on HeatWave.
    public var versionComment: String
    public var isMariaDB: Bool
    /// `rapid_plugin_bootstrapped` = YES: the RAPID secondary engine plugin is present.
    public var rapidPluginBootstrapped: Bool
    /// `rapid_cluster_status` = ON: a HeatWave cluster is attached and can run offloaded queries.
    public var rapidClusterOnline: Bool
    /// `rapid_ml_status` = ON: HeatWave AutoML (`sys.ML_TRAIN` …) is available.
    public var rapidMLOnline: Bool
    /// The server has the `VECTOR` type and `STRING_TO_VECTOR()` (MySQL 9, HeatWave).
    public var vectorType: Bool
    /// The server answers `DISTANCE(v1, v2, metric)`: nearest neighbours can be searched in SQL
    /// (HeatWave, MySQL AI; not MySQL 9 Community).
    public var vectorDistance: Bool
    /// `have_ssl` = YES.
    public var tlsAvailable: Bool

    public init(
        version: String, versionComment: String, isMariaDB: Bool, rapidPluginBootstrapped: Bool, rapidClusterOnline: Bool,
        rapidMLOnline: Bool, vectorType: Bool, vectorDistance: Bool = false, tlsAvailable: Bool
    ) {
        self.version = version
        self.versionComment = versionComment
        self.isMariaDB = isMariaDB
        self.rapidPluginBootstrapped = rapidPluginBootstrapped
        self.rapidClusterOnline = rapidClusterOnline
        self.rapidMLOnline = rapidMLOnline
        self.vectorType = vectorType
        self.vectorDistance = vectorType && vectorDistance
        self.tlsAvailable = tlsAvailable
    }

    /// HeatWave can run offloaded analytic queries now.
    public var heatWave: Bool { rapidPluginBootstrapped && rapidClusterOnline }

    /// What the DDL may use.
    public var schema: MySQLSchemaCapabilities {
        MySQLSchemaCapabilities(vectorType: vectorType, rapidEngine: rapidPluginBootstrapped, mariaDB: isMariaDB)
    }
}

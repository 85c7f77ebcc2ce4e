public import DecisioningStore

/// Anything that answers a text query with rows of text: a live `MySQLConnection`, or recorded
/// answers in tests. The probe needs nothing more, so it can be tested without a HeatWave system.
public protocol ProbeSource {
    func textRows(_ sql: String) throws(StoreError) -> [[String?]]
}

extension MySQLConnection: ProbeSource {}

/// Finds out, once per store, what a MySQL-family server offers: which product and version it is,
/// whether a HeatWave cluster (RAPID) and HeatWave AutoML are online, whether it has the `VECTOR`
/// type, and whether it accepts TLS.
///
/// The probe asks at most six cheap questions, none of which touches user data or needs a
/// privilege beyond a login (sources: `../shared/reference/heatwave.md` §1.3):
///
/// 1. `SELECT VERSION(), @@version_comment` — `…-MariaDB…` on MariaDB; `9.4.1-cloud` with
///    `MySQL Enterprise - Cloud` on HeatWave.
/// 2. `SHOW GLOBAL STATUS LIKE 'rapid%'` — `rapid_plugin_bootstrapped` (YES/NO),
///    `rapid_cluster_status` (ON/OFF), `rapid_ml_status` (ON/OFF); an empty set on MariaDB and on
///    MySQL without the HeatWave plugin (https://dev.mysql.com/doc/heatwave/en/heatwave-status-variables.html).
/// 3. `SHOW GLOBAL VARIABLES LIKE 'have_ssl'` — YES, DISABLED or NO. MySQL 8.4.0 removed the
///    variable (https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html), so
///    when it is absent on MySQL the probe reads the main channel's `Enabled` row of
///    `performance_schema.tls_channel_status` (MySQL 8.0.21+) instead.
/// 4. Only on MySQL ≥ 9.0 (not MariaDB, whose 11.7+ `VECTOR` has other functions):
///    `SELECT VECTOR_DIM(STRING_TO_VECTOR('[1,2]'))`, which must answer 2. An error there means
///    no vector support, and is not an error of the probe.
/// 5. Only where 4 answered: `DISTANCE()` of two orthogonal vectors by cosine, which must answer 1.
///    MySQL 9 Community has the `VECTOR` type without `DISTANCE()`, which is HeatWave's (and MySQL
///    AI's): storing embeddings as `VECTOR` and searching them in SQL are different capabilities.
///
/// Why the `VECTOR` answer is confirmed rather than inferred from the version: forks and
/// builds differ, and the schema's `VECTOR(2048)` column must never be created on a server that
/// cannot parse it.
public enum ServerProbe {
    /// The statements, exactly as sent; tests and recorded answers key on these strings.
    public enum Statement {
        public static let version = "SELECT VERSION(), @@version_comment"
        public static let rapidStatus = "SHOW GLOBAL STATUS LIKE 'rapid%'"
        public static let haveSSL = "SHOW GLOBAL VARIABLES LIKE 'have_ssl'"
        public static let tlsChannel =
            "SELECT VALUE FROM performance_schema.tls_channel_status WHERE CHANNEL = 'mysql_main' AND PROPERTY = 'Enabled'"
        public static let vectorCheck = "SELECT VECTOR_DIM(STRING_TO_VECTOR('[1,2]'))"
        public static let distanceCheck = "SELECT DISTANCE(STRING_TO_VECTOR('[1,0]'), STRING_TO_VECTOR('[0,1]'), 'COSINE')"
    }

    public static func probe(_ source: some ProbeSource) throws(StoreError) -> ServerCapabilities {
        let versionRows = try source.textRows(Statement.version)
        guard let first = versionRows.first, let version = first.first ?? nil else {
            throw .engine(operation: "probe server version", code: 0, message: "SELECT VERSION() returned no row")
        }
        let comment = first.count > 1 ? (first[1] ?? "") : ""
        let isMariaDB = version.localizedCaseInsensitiveContains("mariadb") || comment.localizedCaseInsensitiveContains("mariadb")

        // SHOW STATUS answers (Variable_name, Value); names are compared case-insensitively
        // because MySQL prints them in lower case and MariaDB capitalises its own.
        var rapid: [String: String] = [:]
        for row in try source.textRows(Statement.rapidStatus) where row.count >= 2 {
            if let name = row[0] { rapid[name.lowercased()] = (row[1] ?? "").uppercased() }
        }

        let tlsAvailable = try probeTLS(source, isMariaDB: isMariaDB)
        let vectorType = try probeVector(source, version: version, isMariaDB: isMariaDB)
        let vectorDistance =
            vectorType
            ? try answers(source, Statement.distanceCheck) { Double($0).map { abs($0 - 1) < 1e-6 } ?? false }
            : false

        return ServerCapabilities(
            version: version, versionComment: comment, isMariaDB: isMariaDB,
            rapidPluginBootstrapped: rapid["rapid_plugin_bootstrapped"] == "YES",
            rapidClusterOnline: rapid["rapid_cluster_status"] == "ON",
            rapidMLOnline: rapid["rapid_ml_status"] == "ON",
            vectorType: vectorType, vectorDistance: vectorDistance, tlsAvailable: tlsAvailable)
    }

    /// `have_ssl` = YES where the variable exists (MariaDB, MySQL before 8.4); DISABLED means
    /// the server was built with TLS but has no certificate, which is as good as none for us.
    static func probeTLS(_ source: some ProbeSource, isMariaDB: Bool) throws(StoreError) -> Bool {
        let rows = try source.textRows(Statement.haveSSL)
        if let row = rows.first, row.count >= 2 {
            return (row[1] ?? "").uppercased() == "YES"
        }
        guard !isMariaDB else { return false }
        // MySQL 8.4+: the variable is gone; performance_schema may be off or unreadable, in
        // which case the honest answer is "not known to be available".
        do {
            let channel = try source.textRows(Statement.tlsChannel)
            return (channel.first?.first ?? nil)?.uppercased() == "YES"
        } catch {
            if error.kind == .connectionLost { throw error }
            return false
        }
    }

    /// MySQL ≥ 9.0 and not MariaDB, confirmed by `VECTOR_DIM(STRING_TO_VECTOR('[1,2]')) = 2`.
    /// A lost connection is the only error passed on: it says nothing about the server.
    static func probeVector(_ source: some ProbeSource, version: String, isMariaDB: Bool) throws(StoreError) -> Bool {
        guard !isMariaDB, let major = majorVersion(version), major >= 9 else { return false }
        return try answers(source, Statement.vectorCheck) { Int($0) == 2 }
    }

    /// Whether `sql`'s first value passes `check`. An error means the feature is missing (1305: no
    /// such function), except a lost connection, which says nothing about the server.
    static func answers(_ source: some ProbeSource, _ sql: String, _ check: (String) -> Bool) throws(StoreError) -> Bool {
        do {
            let rows = try source.textRows(sql)
            return (rows.first?.first ?? nil).map(check) ?? false
        } catch {
            if error.kind == .connectionLost { throw error }
            return false
        }
    }

    /// `9.4.1-cloud` → 9; `10.11.19-MariaDB-0+deb12u1` → 10.
    public static func majorVersion(_ version: String) -> Int? {
        Int(version.prefix { $0.isNumber })
    }
}

public import DecisioningCore
public import DecisioningMySQL
public import DecisioningStore

/// Opens the Store a `DatabaseURL` names, taking the password and pool settings of the
/// configuration's matching MySQL data source (or the defaults: DECISIONING_DB_PASSWORD, pool 2…20).
/// It neither migrates nor checks that a SQLite file exists: `Application.open` does both.
public enum StoreOpener {
    public static func open(_ url: DatabaseURL, configuration: Configuration) throws -> any Store {
        switch url {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .mysql:
            let source = dataSource(for: url, in: configuration)
            return try MySQLStore(
                options: try mysqlOptions(for: url, configuration: configuration), pool: source?.pool ?? .init(),
                useHeatWave: source?.useHeatWaveEngine ?? true)
        }
    }

    /// The connection options for a mysql:// URL: endpoint, password (from the data source's
    /// environment variable or file, else DECISIONING_DB_PASSWORD) and connect timeout.
    public static func mysqlOptions(for url: DatabaseURL, configuration: Configuration) throws -> MySQLConnectionOptions {
        guard case .mysql(let endpoint) = url else {
            throw ConfigurationError(key: "--database", message: "expected a mysql:// URL, found \(url)")
        }
        let source = dataSource(for: url, in: configuration)
        let password = try MySQLConnectionOptions.password(
            environmentVariable: source?.passwordEnvironmentVariable ?? "DECISIONING_DB_PASSWORD", file: source?.passwordFile)
        return try MySQLConnectionOptions(
            endpoint: endpoint, password: password, connectTimeout: min(source?.pool.connectionTimeout ?? 10, 10))
    }

    /// The enabled data source for the same server and database as `url`.
    public static func dataSource(for url: DatabaseURL, in configuration: Configuration) -> Configuration.DataSource? {
        guard case .mysql(let wanted) = url else { return nil }
        return configuration.dataSources.first { source in
            guard source.enabled, case .mysql(let e)? = source.url else { return false }
            return e.host == wanted.host && e.port == wanted.port && e.database == wanted.database && e.user == wanted.user
        }
    }
}

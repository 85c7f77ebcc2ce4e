public import DecisioningCore
public import DecisioningMySQL
import DecisioningStore
import Foundation

/// The throwaway MariaDB servers `scripts/test.sh` starts for the suite, found through the
/// environment. With DECISIONING_TEST_MYSQL_REQUIRED=1 (CI, `make test`) a missing server fails
/// the tests that need it; without it (a bare `swift test`), those tests are not run.
public struct TestServer: Sendable {
    public var endpoint: DatabaseURL.MySQLEndpoint
    public var password: String
    /// The CA that signed the server's certificate; nil for the server without TLS.
    public var caFile: String?
    /// The server's directory, for `scripts/mariadb-server.sh kill|restart DIR`.
    public var directory: String?

    public struct Missing: Error, CustomStringConvertible {
        public var variable: String
        public var description: String {
            "\(variable) is not set: run the tests through `make test` (scripts/test.sh), which starts MariaDB"
        }
    }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether tests that need a server should run: a server is configured, or one is required.
    public static var enabled: Bool {
        environment["DECISIONING_TEST_MYSQL_URL"] != nil || environment["DECISIONING_TEST_MYSQL_REQUIRED"] == "1"
    }

    /// The main server, with TLS.
    public static func main() throws -> TestServer {
        try server(prefix: "DECISIONING_TEST_MYSQL", ca: environment["DECISIONING_TEST_MYSQL_CA"])
    }

    /// The second server, without TLS, which fault tests may kill and restart.
    public static func plain() throws -> TestServer { try server(prefix: "DECISIONING_TEST_MYSQL_PLAIN", ca: nil) }

    static func server(prefix: String, ca: String?) throws -> TestServer {
        guard let text = environment["\(prefix)_URL"] else { throw Missing(variable: "\(prefix)_URL") }
        guard let password = environment["\(prefix)_PASSWORD"] else { throw Missing(variable: "\(prefix)_PASSWORD") }
        guard case .mysql(let endpoint) = try DatabaseURL(parsing: text) else { throw Missing(variable: "\(prefix)_URL (mysql://…)") }
        return TestServer(endpoint: endpoint, password: password, caFile: ca, directory: environment["\(prefix)_DIR"])
    }

    public func options(database: String? = nil, tls: TLSMode = .disabled, connectTimeout: Double = 5) throws -> MySQLConnectionOptions {
        var endpoint = self.endpoint
        if let database { endpoint.database = database }
        return try MySQLConnectionOptions(
            endpoint: endpoint, password: password, tls: tls, caFile: tls == .verifyIdentity || tls == .verifyCA ? caFile : nil,
            connectTimeout: connectTimeout)
    }

    /// A new, empty database on this server, dropped by `ScratchDatabase.drop()`.
    public func scratchDatabase(
        _ label: String, pool: Configuration.ConnectionPool = .init(minConnections: 1, maxConnections: 8, connectionTimeout: 10),
        insertGroupRows: Int = 500
    ) throws -> ScratchDatabase {
        let name = "t_\(label.filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try MySQLConnection(try options())
        try admin.execute("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4")
        let store = try MySQLStore(options: try options(database: name), pool: pool, insertGroupRows: insertGroupRows)
        return ScratchDatabase(server: self, name: name, store: store)
    }

    /// Runs `scripts/mariadb-server.sh ACTION DIR` (kill, restart, stop) on this server.
    public func control(_ action: String) throws {
        guard let script = Self.environment["DECISIONING_TEST_MYSQL_CONTROL"], let directory else {
            throw Missing(variable: "DECISIONING_TEST_MYSQL_CONTROL")
        }
        // posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit can miss the
        // exit of a script that leaves a daemon behind.
        let arguments = ["/bin/bash", script, action, directory]
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, "/bin/bash", nil, nil, &argv, environ)
        guard spawned == 0 else { throw StoreError.unsupported("cannot start mariadb-server.sh: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else {
            throw StoreError.unsupported("mariadb-server.sh \(action) exited with status \(status)")
        }
    }
}

/// A database of its own for one test.
public struct ScratchDatabase: @unchecked Sendable {
    public let server: TestServer
    public let name: String
    public let store: MySQLStore

    public var url: DatabaseURL {
        var endpoint = server.endpoint
        endpoint.database = name
        return .mysql(endpoint)
    }

    public func drop() {
        store.pool.close()
        guard let options = try? server.options(), let admin = try? MySQLConnection(options) else { return }
        try? admin.execute("DROP DATABASE IF EXISTS `\(name)`")
    }
}

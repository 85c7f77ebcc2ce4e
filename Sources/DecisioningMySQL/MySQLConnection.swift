import CMariaDB
import DecisioningCore
public import DecisioningStore
import Foundation

/// One blocking connection to a MySQL-family server through MariaDB Connector/C.
///
/// A connection is used by one thread at a time; the pool hands it from thread to thread under
/// its lock, hence `@unchecked Sendable`. Every call blocks, so callers run on threads of their
/// own (the Store's contract), never on Swift's cooperative pool.
public final class MySQLConnection: @unchecked Sendable {
    let handle: UnsafeMutablePointer<MYSQL>
    public let options: MySQLConnectionOptions
    /// The server's id for this connection, the argument of `KILL QUERY`.
    public let serverThreadId: UInt
    public let serverVersion: String
    /// The TLS cipher in use, nil on a plain connection.
    public let tlsCipher: String?
    /// Set once an error showed the connection is no longer usable; the pool then discards it.
    public private(set) var isBroken = false
    var lastUsed = ContinuousClock.now

    public init(_ options: MySQLConnectionOptions) throws(StoreError) {
        MariaDBLibrary.initialize()
        guard let handle = mysql_init(nil) else {
            throw .cannotOpen(url: DatabaseURL.mysql(options.endpoint).description, reason: "mysql_init failed: out of memory")
        }
        self.handle = handle
        self.options = options
        let url = DatabaseURL.mysql(options.endpoint).description
        _ = decisioning_mysql_set_uint(handle, MYSQL_OPT_CONNECT_TIMEOUT, Self.wholeSeconds(options.connectTimeout))
        if options.readTimeout > 0 {
            _ = decisioning_mysql_set_uint(handle, MYSQL_OPT_READ_TIMEOUT, UInt32(options.readTimeout.rounded(.up)))
            _ = decisioning_mysql_set_uint(handle, MYSQL_OPT_WRITE_TIMEOUT, UInt32(options.readTimeout.rounded(.up)))
        }
        _ = decisioning_mysql_set_string(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        _ = decisioning_mysql_set_bool(handle, MYSQL_OPT_RECONNECT, 0)
        // UTC for TIMESTAMP columns, and the strict mode whose errors match SQLite's refusals.
        _ = decisioning_mysql_set_string(
            handle, MYSQL_INIT_COMMAND,
            "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"
        )
        switch options.tls {
        case .disabled:
            break
        case .preferred:
            // Connector/C 3.3 negotiates TLS only if asked and falls back to plain when the server has none.
            _ = mysql_ssl_set(handle, nil, nil, nil, nil, nil)
        case .required, .verifyCA, .verifyIdentity:
            _ = mysql_ssl_set(handle, nil, nil, options.caFile, nil, nil)
            _ = decisioning_mysql_set_bool(handle, MYSQL_OPT_SSL_ENFORCE, 1)
            _ = decisioning_mysql_set_bool(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, options.tls.verifiesServer ? 1 : 0)
        }
        if let key = options.serverPublicKeyFile { _ = decisioning_mysql_set_string(handle, MYSQL_SERVER_PUBLIC_KEY, key) }
        let endpoint = options.endpoint
        let connected = mysql_real_connect(
            handle, endpoint.host, endpoint.user, options.password, endpoint.database,
            UInt32(endpoint.port), nil, 0)
        guard connected != nil else {
            let code = Int32(mysql_errno(handle))
            let message = String(cString: mysql_error(handle))
            mysql_close(handle)
            throw .connectionFailed(url: url, code: code, message: message, hint: Self.hint(code: code, options: options))
        }
        serverThreadId = mysql_thread_id(handle)
        serverVersion = String(cString: mysql_get_server_info(handle))
        tlsCipher = mysql_get_ssl_cipher(handle).map { String(cString: $0) }
        if tlsCipher == nil, options.tls != .disabled, options.tls != .preferred {
            // Never send a query in the clear when TLS was required, whatever the connector decided.
            throw .connectionFailed(
                url: url, code: 2026, message: "TLS is required, but the server did not negotiate it",
                hint: Self.hint(code: 2026, options: options))
        }
    }

    deinit { mysql_close(handle) }

    /// What to check for a failed connection, by the client or server error code.
    static func hint(code: Int32, options: MySQLConnectionOptions) -> String {
        switch code {
        case 1045:
            return
                "Check the user name and the password (read from DECISIONING_DB_PASSWORD, the variable password_env names, or password_file)"
        case 1044, 1049: return "Check that database '\(options.endpoint.database)' exists and the user may use it"
        case 2002, 2003:
            return
                "Check that the server runs and listens on \(options.endpoint.host):\(options.endpoint.port), and that no firewall drops the connection (waited at most \(Self.wholeSeconds(options.connectTimeout)) s)"
        case 2005: return "Check the host name '\(options.endpoint.host)'"
        case 2026:
            return options.tls == .disabled
                ? "TLS failed"
                : "TLS mode \(options.tls.rawValue) could not be satisfied: check that the server has TLS enabled (have_ssl=YES on MariaDB and MySQL 8.0; performance_schema.tls_channel_status on 8.4+) and, for verify_ca / verify_identity, that the CA file signed the server's certificate and the host name matches it"
        case 1251, 2059, 2061:
            return
                "The server asked for an authentication plugin the client could not complete; caching_sha2_password over plain TCP needs TLS or server_public_key=PATH"
        default: return "Check the server's error log"
        }
    }

    // MARK: - Errors

    func error(_ operation: String) -> StoreError {
        let code = Int32(mysql_errno(handle))
        return Self.error(code: code, message: String(cString: mysql_error(handle)), operation: operation, connection: self)
    }

    static func error(code: Int32, message: String, operation: String, connection: MySQLConnection) -> StoreError {
        switch code {
        // Gone, unreadable, or out of step: 2006/2013/2055 lost, 5013/5014 network read/write
        // failures, 2014 commands out of sync, 1053 server shutting down, 1927 connection killed,
        // 4031 disconnected for inactivity (MySQL 8.0.24+). The pool must not lend it again.
        case 2006, 2013, 2055, 5013, 5014, 2014, 1053, 1927, 4031:
            connection.isBroken = true
            return .connectionLost(operation: operation, code: code, message: message)
        case 1317:
            return .cancelled(operation: operation)
        default:
            return .engine(operation: operation, code: code, message: message)
        }
    }

    // MARK: - Text protocol

    /// Runs statements that return no rows (DDL, SET, transaction control).
    public func execute(_ sql: String) throws(StoreError) {
        lastUsed = .now
        let status = sql.utf8CString.withUnsafeBufferPointer { mysql_real_query(handle, $0.baseAddress, UInt(sql.utf8.count)) }
        guard status == 0 else { throw error(Self.summary(sql)) }
        if let result = mysql_store_result(handle) { mysql_free_result(result) }
    }

    /// Runs a query and returns every row as text (small answers: probes, SHOW statements).
    public func textRows(_ sql: String) throws(StoreError) -> [[String?]] {
        var rows: [[String?]] = []
        try stream(sql) { row in
            rows.append((0..<row.count).map { row[$0].map { String(decoding: $0, as: UTF8.self) } })
        }
        return rows
    }

    /// Streams a query's rows without buffering the result (`mysql_use_result`): each row's bytes
    /// are valid only inside `body`. When `body` throws, the connection is given up (`isBroken`)
    /// rather than drained.
    public func stream(_ sql: String, _ body: (MySQLTextRow) throws -> Void) throws(StoreError) {
        lastUsed = .now
        let status = sql.utf8CString.withUnsafeBufferPointer { mysql_real_query(handle, $0.baseAddress, UInt(sql.utf8.count)) }
        guard status == 0 else { throw error(Self.summary(sql)) }
        guard let result = mysql_use_result(handle) else {
            if mysql_field_count(handle) == 0 { return }
            throw error(Self.summary(sql))
        }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        var failure: (any Error)?
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            do {
                try body(MySQLTextRow(values: row, lengths: lengths, count: count))
            } catch {
                failure = error
                break
            }
        }
        if failure != nil {
            // The rest of the result is still on its way. Reading it only to throw it away could
            // mean reading the rest of a table: give up the connection instead (the pool replaces it).
            isBroken = true
            _ = shutdown(mysql_get_socket(handle), Int32(SHUT_RDWR))
        } else if mysql_errno(handle) != 0 {
            throw error(Self.summary(sql))
        }
        if let failure {
            if let storeError = failure as? StoreError { throw storeError }
            throw .engine(operation: Self.summary(sql), code: 0, message: "\(failure)")
        }
    }

    /// Checks that the server still answers, within `timeout` seconds. Without a limit a frozen
    /// server or a dropped NAT mapping would hold the caller for as long as TCP keeps retrying, so
    /// a deadline shuts the socket down when the time is up; the connection then counts as broken.
    public func ping(timeout: Double) -> Bool {
        let socket = duplicateSocket()
        defer { socket.close() }
        let watchdog = Deadline(seconds: timeout) { socket.shutdown() }
        let answered = mysql_ping(handle) == 0
        // An answer that came as the deadline fired still leaves a shut-down socket behind.
        let alive = !watchdog.finish() && answered
        if !alive { isBroken = true }
        return alive
    }

    /// A second descriptor for this connection's socket, for other threads to shut it down with:
    /// Connector/C closes its own descriptor when a read fails, and the number may then be reused
    /// by another connection, while the duplicate keeps naming this socket until it is closed.
    func duplicateSocket() -> DuplicateSocket {
        DuplicateSocket(descriptor: dup(mysql_get_socket(handle)))
    }

    public func prepare(_ sql: String) throws(StoreError) -> MySQLStatement {
        lastUsed = .now
        return try MySQLStatement(connection: self, sql: sql)
    }

    /// The first words of a statement, to name it in errors without repeating long SQL or data.
    static func summary(_ sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return words.count > 60 ? String(words.prefix(60)) + "…" : words
    }

    /// Quotes an identifier with backticks.
    public static func quote(_ identifier: String) -> String { "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`" }

    /// A timeout as the connector takes it: whole seconds from 1 to an hour (a NaN or an infinity
    /// that reached here by another road becomes the bound, never a trap).
    static func wholeSeconds(_ seconds: Double) -> UInt32 {
        guard seconds.isFinite else { return seconds.isNaN ? 10 : 3_600 }
        return UInt32(min(3_600, max(1, seconds.rounded(.up))))
    }
}

/// One row of a streamed text-protocol result; nil for SQL NULL.
public struct MySQLTextRow {
    let values: MYSQL_ROW
    let lengths: UnsafeMutablePointer<UInt>
    public let count: Int

    public subscript(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let p = values[column] else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: Int(lengths[column]))
    }
}

/// A duplicated socket descriptor another thread may shut down (see `duplicateSocket`).
struct DuplicateSocket: Sendable {
    let descriptor: Int32

    /// Ends every read and write on the socket at once; the connection then counts as lost.
    func shutdown() {
        if descriptor >= 0 { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }
}

/// Initialises Connector/C once per process, before the first connection from any thread.
public enum MariaDBLibrary {
    private static let initialized: Bool = {
        guard decisioning_mysql_library_init() == 0 else { return false }
        // Connector/C loads an authentication plugin the first time a server asks for it, and two
        // threads doing that at once race: the loser gets "already loaded" and its login fails with
        // 2059. Loading them here, once, before any connection, leaves logins only looking them up.
        if let handle = mysql_init(nil) {
            for name in loadableAuthenticationPlugins {
                _ = mysql_client_find_plugin(handle, name, decisioning_client_authentication_plugin)
            }
            mysql_close(handle)
        }
        return true
    }()

    static func initialize() { precondition(initialized, "mysql_library_init failed") }

    /// The client authentication plugins worth knowing about that are not built into Connector/C:
    /// `caching_sha2_password` is what MySQL 8.4/9 and HeatWave accounts use by default.
    public static let loadableAuthenticationPlugins = ["caching_sha2_password", "sha256_password", "client_ed25519"]

    /// Which of `names` Connector/C can load from its plugin directory, as a login would when a
    /// server asks for them. A plugin missing here makes such logins fail with error 2059.
    public static func authenticationPlugins(_ names: [String] = loadableAuthenticationPlugins) -> [String] {
        initialize()
        guard let handle = mysql_init(nil) else { return [] }
        defer { mysql_close(handle) }
        return names.filter { mysql_client_find_plugin(handle, $0, decisioning_client_authentication_plugin) != nil }
    }
}

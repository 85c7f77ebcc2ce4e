/// Where the system of record lives: `sqlite:PATH` or `mysql://USER@HOST:PORT/DB?tls=MODE`.
///
/// A URL never carries a password: one found in it (`user:secret@` or `?password=`) is rejected,
/// and errors show the URL redacted, so a secret cannot leak into logs or shell history. Only the
/// options in `mysqlOptions` are accepted: a misspelled `tls` is an error, never plain TCP. Passwords come from the environment or a secret file (see `Configuration`).
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case mysql(MySQLEndpoint)

    public struct MySQLEndpoint: Sendable, Hashable {
        public var user: String
        public var host: String
        public var port: Int
        public var database: String
        public var options: [String: String]

        public init(user: String, host: String, port: Int = 3306, database: String, options: [String: String] = [:]) {
            self.user = user
            self.host = host
            self.port = port
            self.database = database
            self.options = options
        }
    }

    public static let defaultURL = DatabaseURL.sqlite(path: "decisioning.sqlite")

    /// The options a `mysql://` URL may carry. Anything else is an error, so a misspelled `tls`
    /// cannot silently leave the connection on plain TCP.
    public static let mysqlOptions = ["tls", "ca", "server_public_key", "connect_timeout"]

    public init(parsing text: String) throws(ConfigurationError) {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(key: "--database", message: message) }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw fail("the URL contains a control character; expected sqlite:PATH or mysql://USER@HOST:PORT/DB")
        }
        let lowered = text.lowercased()
        if lowered.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") {
                // sqlite://HOST/PATH names a host; only sqlite:///ABSOLUTE (an empty host) is a file.
                path = String(path.dropFirst(2))
                guard path.hasPrefix("/") else {
                    throw fail(
                        "sqlite://\(TerminalText.quoted(path)) names a host, which SQLite has none of; write sqlite:\(TerminalText.quoted(path)) for a relative path or sqlite:///PATH for an absolute one"
                    )
                }
            }
            guard !path.isEmpty else { throw fail("sqlite: needs a file path, e.g. sqlite:decisioning.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard lowered.hasPrefix("mysql://") else {
            throw fail("expected sqlite:PATH or mysql://USER@HOST:PORT/DB, found '\(Self.redacted(text))'")
        }
        var rest = Substring(text.dropFirst("mysql://".count))
        var options: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                if ["password", "pass", "pwd", "passwd", "secret"].contains(name.lowercased()) {
                    throw fail(
                        "passwords are not accepted in the URL; set DECISIONING_DB_PASSWORD or a password file (password_env, password_file)"
                    )
                }
                guard Self.mysqlOptions.contains(name) else {
                    let hint = Self.mysqlOptions.first { $0 == name.lowercased() }.map { " (options are lower-case: \($0))" } ?? ""
                    throw fail(
                        "unknown URL option '\(TerminalText.quoted(name))'\(hint); known options: \(Self.mysqlOptions.joined(separator: ", "))"
                    )
                }
                guard parts.count == 2, !parts[1].isEmpty else { throw fail("URL option '\(name)' needs a value: \(name)=VALUE") }
                guard options[name] == nil else { throw fail("URL option '\(name)' is given twice") }
                options[name] = String(parts[1])
            }
            rest = rest[..<q]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw fail("mysql URL needs a user: mysql://USER@HOST:PORT/DB")
        }
        let user = rest[..<at]
        if user.contains(":") {
            throw fail(
                "passwords are not accepted in the URL; set DECISIONING_DB_PASSWORD or a password file (password_env, password_file)")
        }
        guard !user.isEmpty else { throw fail("mysql URL needs a user: mysql://USER@HOST:PORT/DB") }
        let hostPart = rest[rest.index(after: at)...]
        let slash = hostPart.firstIndex(of: "/")
        let authority = slash.map { hostPart[..<$0] } ?? hostPart
        let database = slash.map { String(hostPart[hostPart.index(after: $0)...]) } ?? ""
        var host = String(authority)
        var port = 3306
        if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            let digits = authority[authority.index(after: colon)...]
            guard digits.allSatisfy(\.isASCII), let p = Int(digits), (1...65535).contains(p) else {
                throw fail("port must be a number from 1 to 65535, found '\(TerminalText.quoted(String(digits)))'")
            }
            port = p
        }
        guard !host.isEmpty, !database.isEmpty else {
            throw fail("mysql URL needs a host and a database: mysql://USER@HOST:PORT/DB")
        }
        guard !database.contains("/") else { throw fail("the database name may not contain '/': mysql://USER@HOST:PORT/DB") }
        self = .mysql(MySQLEndpoint(user: String(user), host: host, port: port, database: database, options: options))
    }

    /// `text` with anything that may be a secret replaced by `***`: the part after a colon in the
    /// user information and the value of any option, so an error can show what was given.
    public static func redacted(_ text: String) -> String {
        var out = text
        if let scheme = out.range(of: "://") {
            let afterScheme = out[scheme.upperBound...]
            let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
            if let at = afterScheme[..<authorityEnd].lastIndex(of: "@"), let colon = afterScheme[..<at].firstIndex(of: ":") {
                out.replaceSubrange(out.index(after: colon)..<at, with: "***")
            }
        }
        if let q = out.firstIndex(of: "?") {
            let query = out[out.index(after: q)...].split(separator: "&").map { pair -> String in
                guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
                return String(pair[..<eq]) + "=***"
            }
            out = String(out[...q]) + query.joined(separator: "&")
        }
        return TerminalText.quoted(out, limit: 200)
    }

    public var description: String {
        switch self {
        // A path that starts with // needs the empty host written out, or it would read as one.
        case .sqlite(let path): return path.hasPrefix("//") ? "sqlite://\(path)" : "sqlite:\(path)"
        case .mysql(let e):
            let query = e.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            return "mysql://\(e.user)@\(e.host):\(e.port)/\(e.database)" + (query.isEmpty ? "" : "?" + query)
        }
    }
}

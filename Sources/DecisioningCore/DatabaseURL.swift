/// Where the system of record lives: `sqlite:PATH` or `mysql://USER@HOST:PORT/DB?tls=MODE`.
///
/// A URL never carries a password: one found in it is rejected, so it cannot leak into logs or
/// shell history. Passwords come from the environment or a secret file (see `Configuration`).
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

    public init(parsing text: String) throws(ConfigurationError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw ConfigurationError(key: "--database", message: "sqlite: needs a file path, e.g. sqlite:decisioning.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("mysql://") else {
            throw ConfigurationError(key: "--database", message: "expected sqlite:PATH or mysql://USER@HOST:PORT/DB, found '\(text)'")
        }
        var rest = Substring(text.dropFirst("mysql://".count))
        var options: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                options[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            rest = rest[..<q]
        }
        guard let at = rest.firstIndex(of: "@") else {
            throw ConfigurationError(key: "--database", message: "mysql URL needs a user: mysql://USER@HOST:PORT/DB")
        }
        let user = rest[..<at]
        if user.contains(":") {
            throw ConfigurationError(key: "--database", message: "passwords are not accepted in the URL; set DECISIONING_DB_PASSWORD or a password file")
        }
        let hostPart = rest[rest.index(after: at)...]
        let slash = hostPart.firstIndex(of: "/")
        let authority = slash.map { hostPart[..<$0] } ?? hostPart
        let database = slash.map { String(hostPart[hostPart.index(after: $0)...]) } ?? ""
        var host = String(authority)
        var port = 3306
        if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
                throw ConfigurationError(key: "--database", message: "port must be a number from 1 to 65535")
            }
            port = p
        }
        guard !host.isEmpty, !database.isEmpty else {
            throw ConfigurationError(key: "--database", message: "mysql URL needs a host and a database: mysql://USER@HOST:PORT/DB")
        }
        self = .mysql(MySQLEndpoint(user: String(user), host: host, port: port, database: database, options: options))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .mysql(let e):
            let query = e.options.keys.sorted().map { "\($0)=\(e.options[$0]!)" }.joined(separator: "&")
            return "mysql://\(e.user)@\(e.host):\(e.port)/\(e.database)" + (query.isEmpty ? "" : "?" + query)
        }
    }
}

public import DecisioningCore
public import Foundation

/// How a connection protects itself on the wire, as MySQL's `--ssl-mode` names the choices.
public enum TLSMode: String, Sendable, CaseIterable {
    /// Plain TCP, never TLS.
    case disabled
    /// TLS when the server offers it, plain otherwise.
    case preferred
    /// TLS or no connection; the certificate is not checked.
    case required
    /// TLS with the server's certificate checked against `ca`. Connector/C checks the host name
    /// together with the chain, so this is as strict as `verifyIdentity`.
    case verifyCA = "verify_ca"
    /// TLS with the certificate chain checked against `ca` and the host name matched.
    case verifyIdentity = "verify_identity"

    var verifiesServer: Bool { self == .verifyCA || self == .verifyIdentity }
}

/// Everything needed to open a connection. `description` never shows the password.
public struct MySQLConnectionOptions: Sendable, CustomStringConvertible {
    public var endpoint: DatabaseURL.MySQLEndpoint
    public var password: String?
    public var tls: TLSMode
    /// PEM file of the certificate authority that signed the server's certificate.
    public var caFile: String?
    /// PEM file of the server's RSA public key, for `caching_sha2_password` over plain TCP.
    public var serverPublicKeyFile: String?
    /// Seconds to wait for the TCP connection and the handshake.
    public var connectTimeout: Double
    /// Seconds a read or write on the socket may block before the connection counts as lost
    /// (0: no limit, for long analytic statements).
    public var readTimeout: Double

    public init(
        endpoint: DatabaseURL.MySQLEndpoint, password: String?, tls: TLSMode? = nil, caFile: String? = nil,
        serverPublicKeyFile: String? = nil, connectTimeout: Double = 10, readTimeout: Double = 0
    ) throws(ConfigurationError) {
        self.endpoint = endpoint
        self.password = password
        if let tls {
            self.tls = tls
        } else if let text = endpoint.options["tls"] {
            guard let mode = TLSMode(rawValue: text) else {
                throw ConfigurationError(
                    key: "tls", message: "expected \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            }
            self.tls = mode
        } else {
            self.tls = .preferred
        }
        self.caFile = caFile ?? endpoint.options["ca"]
        self.serverPublicKeyFile = serverPublicKeyFile ?? endpoint.options["server_public_key"]
        if let text = endpoint.options["connect_timeout"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 3_600 else {
                throw ConfigurationError(
                    key: "connect_timeout", message: "expected a number of seconds from 0.001 to 3600, found '\(TerminalText.quoted(text))'"
                )
            }
            self.connectTimeout = seconds
        } else {
            self.connectTimeout = connectTimeout
        }
        self.readTimeout = readTimeout
        if self.tls.verifiesServer && self.caFile == nil {
            throw ConfigurationError(
                key: "tls",
                message:
                    "\(self.tls.rawValue) needs the certificate authority's PEM file: add ca=PATH to the URL or ca_file to the configuration"
            )
        }
        if let ca = self.caFile, !FileManager.default.isReadableFile(atPath: ca) {
            throw ConfigurationError(key: "ca", message: "cannot read the CA file '\(ca)'")
        }
    }

    /// Reads the password the way the configuration says: the environment variable `variable`
    /// (DECISIONING_DB_PASSWORD unless `password_env` names another), else the secret file.
    public static func password(
        environmentVariable variable: String, file: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> String? {
        if let value = environment[variable] { return value }
        guard let file else { return nil }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(key: "password_file", message: "cannot read the password file '\(file)'")
        }
        return text.trimmingCharacters(in: .newlines)
    }

    public var description: String {
        "\(DatabaseURL.mysql(endpoint)) tls=\(tls.rawValue)\(caFile.map { " ca=\($0)" } ?? "") password=\(password == nil ? "none" : "set")"
    }
}

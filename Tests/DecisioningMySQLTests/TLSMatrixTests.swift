import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// Every TLS mode against both test servers, the one with TLS and the one without.
///
/// What each pair must do comes from what the test knows of the server (`scripts/mariadb-server.sh
/// start --tls` gives the main server a certificate for `localhost` and `127.0.0.1` signed by a CA of
/// its own; the plain server runs with `--skip-ssl`) and of the mode, never from the connection under
/// test. Whether a session is encrypted is then checked three ways that do not depend on one
/// another: the connector's report (`tlsCipher`), the server's own view of the session
/// (`Ssl_cipher`, `Ssl_version`), and a user the server admits only over TLS (`REQUIRE SSL`).
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct TLSMatrixTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case tls, plain
        var description: String { rawValue }
        func server() throws -> TestServer { self == .tls ? try TestServer.main() : try TestServer.plain() }
    }

    /// The expected outcome, from the server's kind and the mode alone.
    enum Outcome: Equatable { case encrypted, unencrypted, refused }

    static func expected(_ kind: Kind, _ mode: TLSMode) -> Outcome {
        switch (kind, mode) {
        case (_, .disabled): return .unencrypted
        case (.tls, _): return .encrypted
        case (.plain, .preferred): return .unencrypted
        case (.plain, .required), (.plain, .verifyCA), (.plain, .verifyIdentity): return .refused
        }
    }

    /// The main server's CA: the plain server has none, and a mode that verifies needs one to get as
    /// far as the handshake (where it must then fail because the server offers no TLS).
    static func options(_ server: TestServer, _ mode: TLSMode, user: String? = nil, password: String? = nil) throws
        -> MySQLConnectionOptions
    {
        var endpoint = server.endpoint
        if let user { endpoint.user = user }
        let ca = try TestServer.main().caFile
        return try MySQLConnectionOptions(
            endpoint: endpoint, password: password ?? server.password, tls: mode,
            caFile: mode == .verifyCA || mode == .verifyIdentity ? ca : nil, connectTimeout: 5)
    }

    static func isTLSRefusal(_ error: any Error, _ mode: TLSMode) -> Bool {
        guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
        let code = storeError.code ?? 0
        let hint = storeError.hint ?? ""
        return code == 2026 && hint.contains("TLS mode \(mode.rawValue)") && hint.contains("TLS enabled")
    }

    /// A user the server lets in only over TLS, dropped by the returned closure.
    static func tlsOnlyUser(on server: TestServer) throws -> (name: String, password: String, drop: () -> Void) {
        let name = "tlsonly_\(UInt32.random(in: 0...UInt32.max))"
        let password = "pw\(UInt64.random(in: 0...UInt64.max))"
        let admin = try MySQLConnection(try server.options())
        try admin.execute("CREATE USER '\(name)'@'%' IDENTIFIED BY '\(password)' REQUIRE SSL")
        try admin.execute("GRANT SELECT ON `\(server.endpoint.database)`.* TO '\(name)'@'%'")
        return (name, password, { try? admin.execute("DROP USER IF EXISTS '\(name)'@'%'") })
    }

    @Test func theTestKnowsWhichServerOffersTLS() throws {
        // The premise of the matrix, from the servers' configuration (not from a session's state).
        for kind in Kind.allCases {
            let admin = try MySQLConnection(try kind.server().options())
            let haveSSL = try admin.textRows("SHOW GLOBAL VARIABLES LIKE 'have_ssl'").first?[1]
            #expect(haveSSL == (kind == .tls ? "YES" : "DISABLED"), "server \(kind)")
        }
        #expect(try TestServer.main().caFile != nil)
    }

    @Test(arguments: Kind.allCases, TLSMode.allCases)
    func eachModeConnectsAndEncryptsAsTheServerAndModeDictate(_ kind: Kind, _ mode: TLSMode) throws {
        let server = try kind.server()
        let expected = Self.expected(kind, mode)
        let options = try Self.options(server, mode)
        guard expected != .refused else {
            #expect {
                _ = try MySQLConnection(options)
            } throws: { Self.isTLSRefusal($0, mode) }
            return
        }
        let connection = try MySQLConnection(options)
        let encrypted = expected == .encrypted
        // 1. The connector.
        #expect((connection.tlsCipher != nil) == encrypted, "connector's cipher: \(connection.tlsCipher ?? "none")")
        // 2. The server's view of this session.
        let status = Dictionary(
            uniqueKeysWithValues: try connection.textRows("SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_cipher', 'Ssl_version')")
                .map { ($0[0] ?? "", $0[1] ?? "") })
        #expect(status["Ssl_cipher", default: ""].isEmpty == !encrypted, "server's Ssl_cipher: \(status["Ssl_cipher", default: ""])")
        #expect(
            status["Ssl_version", default: ""].hasPrefix("TLS") == encrypted, "server's Ssl_version: \(status["Ssl_version", default: ""])")
        if encrypted { #expect(status["Ssl_cipher"] == connection.tlsCipher) }
        // 3. A user the server admits only over TLS, connecting with the same mode.
        let user = try Self.tlsOnlyUser(on: server)
        defer { user.drop() }
        let tlsOnly = try Self.options(server, mode, user: user.name, password: user.password)
        if encrypted {
            let admitted = try MySQLConnection(tlsOnly)
            #expect(try admitted.textRows("SELECT CURRENT_USER()").first?[0] == "\(user.name)@%")
        } else {
            #expect {
                _ = try MySQLConnection(tlsOnly)
            } throws: { error in
                guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
                let code = storeError.code ?? 0
                return code == 1045
            }
        }
    }

    /// A name that reaches the TLS server (it listens on 127.0.0.1) but is not in its certificate
    /// (DNS:localhost, IP:127.0.0.1). `127.1` is 127.0.0.1 in inet_aton's short form, which the
    /// resolver accepts and a certificate check compares as a host name; the machine's own name
    /// often resolves to 127.0.0.1 as well.
    static func aliasOfLoopbackNotInTheCertificate() -> String? {
        for candidate in ["127.1", ProcessInfo.processInfo.hostName] where candidate != "localhost" && candidate != "127.0.0.1" {
            var hints = addrinfo()
            hints.ai_family = AF_INET
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(candidate, nil, &hints, &result) == 0, let first = result else { continue }
            defer { freeaddrinfo(result) }
            let address = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            if UInt32(bigEndian: address) == 0x7F00_0001 { return candidate }
        }
        return nil
    }

    @Test func aHostNameNotInTheCertificateIsRefusedWhenTheIdentityIsVerified() throws {
        let server = try TestServer.main()
        let alias = try #require(Self.aliasOfLoopbackNotInTheCertificate(), "no name other than localhost/127.0.0.1 resolves to 127.0.0.1")
        var endpoint = server.endpoint
        endpoint.host = alias
        func options(_ mode: TLSMode) throws -> MySQLConnectionOptions {
            try MySQLConnectionOptions(
                endpoint: endpoint, password: server.password, tls: mode,
                caFile: mode == .required ? nil : server.caFile, connectTimeout: 5)
        }
        // The alias reaches the server and TLS works over it when the certificate is not checked ...
        let unchecked = try MySQLConnection(try options(.required))
        #expect(unchecked.tlsCipher != nil)
        // ... and the right name, 127.0.0.1, passes the check: only the name makes the difference.
        #expect(try MySQLConnection(try Self.options(server, .verifyIdentity)).tlsCipher != nil)
        // verify_identity refuses the alias; so does verify_ca, which Connector/C makes as strict (TLSMode.verifyCA).
        for mode in [TLSMode.verifyIdentity, .verifyCA] {
            #expect("\(mode) via \(alias)") {
                _ = try MySQLConnection(try options(mode))
            } throws: { error in
                guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
                let code = storeError.code ?? 0
                let message = storeError.message
                let hint = storeError.hint ?? ""
                return code == 2026 && hint.contains("host name matches") && !message.isEmpty
            }
        }
    }

    @Test func aVerifyingModeWithoutACAIsAConfigurationErrorNamingCA() throws {
        let server = try TestServer.main()
        for mode in [TLSMode.verifyCA, .verifyIdentity] {
            #expect {
                _ = try MySQLConnectionOptions(endpoint: server.endpoint, password: server.password, tls: mode)
            } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.key == "tls" && error.message.contains(mode.rawValue) && error.message.contains("ca=PATH")
            }
        }
        // The same through the URL, and a CA file that cannot be read names `ca`.
        var endpoint = server.endpoint
        endpoint.options = ["tls": "verify_ca"]
        #expect(
            throws: ConfigurationError(
                key: "tls",
                message: "verify_ca needs the certificate authority's PEM file: add ca=PATH to the URL or ca_file to the configuration")
        ) {
            _ = try MySQLConnectionOptions(endpoint: endpoint, password: nil)
        }
        endpoint.options = ["tls": "verify_identity", "ca": "/nonexistent/ca.pem"]
        #expect {
            _ = try MySQLConnectionOptions(endpoint: endpoint, password: nil)
        } throws: { ($0 as? ConfigurationError)?.key == "ca" && "\($0)".contains("/nonexistent/ca.pem") }
    }

    @Test func urlOptionsChooseTheModeAndTheConnectionFollowsThem() throws {
        // tls and ca from the URL alone (no explicit arguments) reach the connector.
        let server = try TestServer.main()
        let url =
            "mysql://\(server.endpoint.user)@127.0.0.1:\(server.endpoint.port)/\(server.endpoint.database)?tls=verify_identity&ca=\(try #require(server.caFile))&connect_timeout=3"
        guard case .mysql(let endpoint) = try DatabaseURL(parsing: url) else {
            Issue.record("not a mysql URL")
            return
        }
        let options = try MySQLConnectionOptions(endpoint: endpoint, password: server.password)
        #expect(options.tls == .verifyIdentity && options.caFile == server.caFile && options.connectTimeout == 3)
        #expect(try MySQLConnection(options).tlsCipher != nil)
        // tls=disabled from the URL: a plain session on the TLS server.
        guard
            case .mysql(let plainEndpoint) = try DatabaseURL(
                parsing: "mysql://\(server.endpoint.user)@127.0.0.1:\(server.endpoint.port)/\(server.endpoint.database)?tls=disabled")
        else {
            Issue.record("not a mysql URL")
            return
        }
        let plain = try MySQLConnection(try MySQLConnectionOptions(endpoint: plainEndpoint, password: server.password))
        #expect(plain.tlsCipher == nil)
        #expect(try plain.textRows("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?[1] ?? "" == "")
    }
}

/// `DatabaseURL(parsing:)` and `MySQLConnectionOptions` reading `tls`, `ca`, `server_public_key` and
/// `connect_timeout`. No server needed.
@Suite struct TLSOptionParsingTests {
    static func endpoint(_ query: String) throws -> DatabaseURL.MySQLEndpoint {
        guard case .mysql(let endpoint) = try DatabaseURL(parsing: "mysql://app@db.example:3306/prod" + (query.isEmpty ? "" : "?" + query))
        else {
            throw ConfigurationError(key: "test", message: "not a mysql URL")
        }
        return endpoint
    }

    /// A readable file to stand for a PEM file (options check only that it can be read).
    static func readableFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tls-opt-\(UUID().uuidString).pem").path
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theFourOptionsAreParsedExactlyAndReadByTheConnectionOptions() throws {
        let pem = try Self.readableFile()
        defer { try? FileManager.default.removeItem(atPath: pem) }
        let endpoint = try Self.endpoint("tls=verify_ca&ca=\(pem)&server_public_key=/keys/server.pub&connect_timeout=2.5")
        #expect(endpoint.options == ["tls": "verify_ca", "ca": pem, "server_public_key": "/keys/server.pub", "connect_timeout": "2.5"])
        #expect(endpoint.host == "db.example" && endpoint.port == 3306 && endpoint.database == "prod" && endpoint.user == "app")
        let options = try MySQLConnectionOptions(endpoint: endpoint, password: nil)
        #expect(options.tls == .verifyCA)
        #expect(options.caFile == pem)
        #expect(options.serverPublicKeyFile == "/keys/server.pub")
        #expect(options.connectTimeout == 2.5)
        // Every mode by its URL spelling.
        for mode in TLSMode.allCases {
            let options = try MySQLConnectionOptions(endpoint: try Self.endpoint("tls=\(mode.rawValue)&ca=\(pem)"), password: nil)
            #expect(options.tls == mode)
        }
        // Without options: preferred, no CA, no key, the caller's timeout.
        let defaults = try MySQLConnectionOptions(endpoint: try Self.endpoint(""), password: nil, connectTimeout: 7)
        #expect(defaults.tls == .preferred && defaults.caFile == nil && defaults.serverPublicKeyFile == nil && defaults.connectTimeout == 7)
    }

    @Test(arguments: ["TLS=required", "Tls=required", "CA=/x.pem", "Server_Public_Key=/k", "CONNECT_TIMEOUT=5"])
    func upperCaseOptionsAreRefusedNamingTheLowerCaseOne(_ query: String) throws {
        let name = String(query.split(separator: "=")[0])
        #expect {
            _ = try DatabaseURL(parsing: "mysql://app@db.example:3306/prod?" + query)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "--database" && error.message.contains("'\(name)'")
                && error.message.contains("lower-case: \(name.lowercased())")
        }
    }

    @Test(arguments: [
        ("ssl-mode=REQUIRED", "ssl-mode"), ("sslmode=require", "sslmode"), ("ssl_ca=/x", "ssl_ca"), ("timeout=3", "timeout"),
        ("tls=", "tls"), ("ca", "ca"), ("connect_timeout=", "connect_timeout"), ("tls=required&tls=disabled", "tls"),
        ("ca=/a&ca=/b", "ca"),
    ])
    func unknownEmptyOrRepeatedOptionsAreRefusedNamingThem(_ query: String, _ name: String) throws {
        #expect("\(query)") {
            _ = try DatabaseURL(parsing: "mysql://app@db.example:3306/prod?" + query)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "--database" && error.message.contains("'\(name)'")
        }
    }

    @Test(arguments: ["VERIFY_CA", "Required", "strict", "verify-ca", "true", "1", "ssl"])
    func aTLSValueOutsideTheModesIsAConfigurationErrorNamingTLS(_ value: String) throws {
        #expect {
            _ = try MySQLConnectionOptions(endpoint: try Self.endpoint("tls=\(value)"), password: nil)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "tls" && error.message.contains("'\(value)'")
                && TLSMode.allCases.allSatisfy { error.message.contains($0.rawValue) }
        }
    }

    @Test(arguments: ["0", "-1", "abc", "nan", "5s", "", " 5"])
    func aConnectTimeoutThatIsNotAPositiveNumberIsAConfigurationErrorNamingIt(_ value: String) throws {
        var endpoint = try Self.endpoint("tls=disabled")
        endpoint.options["connect_timeout"] = value
        #expect("connect_timeout=\(value)") {
            _ = try MySQLConnectionOptions(endpoint: endpoint, password: nil)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "connect_timeout" && error.message.contains("'\(value)'")
        }
    }

    @Test(arguments: ["inf", "infinity", "1e300", "5000000000"])
    func aConnectTimeoutTooLargeForTheConnectorIsAConfigurationError(_ value: String) throws {
        // MySQLConnection converts the timeout to UInt32 seconds: a value beyond that would trap at connect time
        // instead of failing as a configuration error.
        var endpoint = try Self.endpoint("tls=disabled")
        endpoint.options["connect_timeout"] = value
        #expect("connect_timeout=\(value)") {
            _ = try MySQLConnectionOptions(endpoint: endpoint, password: nil)
        } throws: { error in (error as? ConfigurationError)?.key == "connect_timeout" }
    }

    @Test func aCAFileThatCannotBeReadIsAConfigurationErrorNamingCA() throws {
        #expect {
            _ = try MySQLConnectionOptions(endpoint: try Self.endpoint("tls=required&ca=/nonexistent/ca.pem"), password: nil)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == "ca" && error.message.contains("/nonexistent/ca.pem")
        }
    }

    @Test func explicitArgumentsWinOverTheURLButAURLTimeoutWinsOverTheDefault() throws {
        let pem = try Self.readableFile()
        defer { try? FileManager.default.removeItem(atPath: pem) }
        let endpoint = try Self.endpoint("tls=disabled&connect_timeout=9&server_public_key=/url.pub")
        let options = try MySQLConnectionOptions(
            endpoint: endpoint, password: nil, tls: .verifyIdentity, caFile: pem, serverPublicKeyFile: "/arg.pub")
        #expect(options.tls == .verifyIdentity && options.caFile == pem && options.serverPublicKeyFile == "/arg.pub")
        // connect_timeout from the URL is read even when the caller passes its own default.
        #expect(options.connectTimeout == 9)
    }
}

import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import Foundation
import Testing

/// Logins with `caching_sha2_password`, the authentication of MySQL 8.4/9 and HeatWave, against
/// `Tests/Servers/caching_sha2_server.py`, which speaks that handshake as MySQL does (MariaDB has no
/// such plugin). Each login reports the path it took: full over TLS, full with RSA, or fast.
@Suite(.serialized) struct CachingSHA2LoginTests {
    /// The login server in a directory of its own, stopped and removed by `stop()`.
    final class LoginServer {
        let directory: String
        let pid: pid_t
        let port: Int

        init(tls: Bool) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("sha2-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Servers/caching_sha2_server.py").path
            let arguments = ["python3", script, directory] + (tls ? ["--tls"] : [])
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for p in argv { free(p) } }
            var child: pid_t = 0
            let spawned = posix_spawnp(&child, "python3", nil, nil, &argv, environ)
            guard spawned == 0 else { throw StoreError.unsupported("cannot start python3 \(script): error \(spawned)") }
            pid = child
            let portFile = directory + "/port"
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: portFile) && Date() < deadline {
                var status: Int32 = 0
                if waitpid(child, &status, WNOHANG) == child {
                    throw StoreError.unsupported("caching_sha2_server.py exited with status \(status)")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) else {
                kill(child, SIGKILL)
                throw StoreError.unsupported("caching_sha2_server.py did not start within 30 s")
            }
            self.port = port
        }

        func options(user: String, password: String, tls: TLSMode, publicKey: Bool = false) throws -> MySQLConnectionOptions {
            let endpoint = DatabaseURL.MySQLEndpoint(user: user, host: "127.0.0.1", port: port, database: "app", options: [:])
            return try MySQLConnectionOptions(
                endpoint: endpoint, password: password, tls: tls,
                caFile: tls == .verifyIdentity ? directory + "/ca.pem" : nil,
                serverPublicKeyFile: publicKey ? directory + "/public.pem" : nil, connectTimeout: 10)
        }

        /// How the server says the login went: "user:full-tls", "user:full-rsa" or "user:fast".
        func login(_ options: MySQLConnectionOptions) throws -> String? {
            try MySQLConnection(options).textRows("SELECT CURRENT_USER()").first?.first ?? nil
        }

        func stop() {
            // SIGKILL: a child spawned from a Swift thread inherits its blocked signals, SIGTERM among them.
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test func theFirstLoginAuthenticatesFullyOverTLSAndTheNextTakesTheFastPath() throws {
        let server = try LoginServer(tls: true)
        defer { server.stop() }
        let options = try server.options(user: "app", password: "s3cret-app", tls: .verifyIdentity)
        #expect(try server.login(options) == "app:full-tls")
        #expect(try server.login(options) == "app:fast")
    }

    @Test func overPlainTCPThePasswordTravelsEncryptedWithTheServersKey() throws {
        let server = try LoginServer(tls: false)
        defer { server.stop() }
        #expect(
            try server.login(try server.options(user: "rsa", password: "s3cret-rsa", tls: .disabled, publicKey: true)) == "rsa:full-rsa")
        // Without the key file, Connector/C asks the server for its key first.
        #expect(try server.login(try server.options(user: "ask", password: "s3cret-ask", tls: .disabled)) == "ask:full-rsa")
        #expect(try server.login(try server.options(user: "ask", password: "s3cret-ask", tls: .disabled)) == "ask:fast")
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() throws {
        let server = try LoginServer(tls: true)
        defer { server.stop() }
        #expect {
            _ = try server.login(try server.options(user: "app", password: "not-the-password", tls: .required))
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .connectionFailed, storeError.code == 1045 else { return false }
            let hint = storeError.hint ?? ""
            return !"\(error)".contains("not-the-password") && hint.contains("DECISIONING_DB_PASSWORD")
        }
    }
}

import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// Connections, TLS, the pool and cancellation against the real MariaDB servers.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct ConnectionTests {
    @Test func verifyIdentityConnectsOverTLSWithTheServersCA() throws {
        let server = try TestServer.main()
        let connection = try MySQLConnection(try server.options(tls: .verifyIdentity))
        #expect(connection.tlsCipher != nil)
        let cipher = try connection.textRows("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        #expect(cipher.first?[1] == connection.tlsCipher)
        let plain = try MySQLConnection(try server.options(tls: .disabled))
        #expect(plain.tlsCipher == nil)
    }

    @Test func aCertificateFromAnotherAuthorityIsRefused() throws {
        let server = try TestServer.main()
        var options = try server.options(tls: .verifyIdentity)
        options.caFile = "/etc/ssl/certs/ca-certificates.crt"
        #expect {
            _ = try MySQLConnection(options)
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
            let code = storeError.code ?? 0
            return code == 2026
        }
    }

    @Test func requiredTLSFailsClearlyWhenTheServerHasNone() throws {
        let plain = try TestServer.plain()
        #expect {
            _ = try MySQLConnection(try plain.options(tls: .required))
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
            let code = storeError.code ?? 0
            let hint = storeError.hint ?? ""
            return code == 2026 && hint.contains("TLS enabled")
        }
        // preferred falls back to plain TCP on the same server.
        let preferred = try MySQLConnection(try plain.options(tls: .preferred))
        #expect(preferred.tlsCipher == nil)
    }

    @Test func aWrongPasswordNamesWhereThePasswordComesFrom() throws {
        let server = try TestServer.main()
        var options = try server.options()
        options.password = "not-the-password"
        let clock = ContinuousClock()
        let started = clock.now
        #expect {
            _ = try MySQLConnection(options)
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
            let code = storeError.code ?? 0
            let hint = storeError.hint ?? ""
            return code == 1045 && hint.contains("DECISIONING_DB_PASSWORD") && !"\(error)".contains("not-the-password")
        }
        #expect(clock.now - started < .seconds(options.connectTimeout + 5))
    }

    @Test func anUnreachableHostFailsWithinTheConnectTimeout() throws {
        let server = try TestServer.main()
        for host in ["10.255.255.1", "127.0.0.1"] {
            var options = try server.options(connectTimeout: 2)
            options.endpoint.host = host
            if host == "127.0.0.1" { options.endpoint.port = 1 }  // nothing listens there
            let clock = ContinuousClock()
            let started = clock.now
            #expect {
                _ = try MySQLConnection(options)
            } throws: { error in
                guard let storeError = error as? StoreError, storeError.kind == .connectionFailed else { return false }
                let code = storeError.code ?? 0
                let hint = storeError.hint ?? ""
                return (code == 2002 || code == 2003) && hint.contains("listens on \(host)")
            }
            #expect(clock.now - started < .seconds(10))
        }
    }

    @Test func thePoolWaitsThenTimesOutAndReplacesBrokenConnections() throws {
        let db = try TestServer.main().scratchDatabase("pool", pool: .init(minConnections: 1, maxConnections: 2, connectionTimeout: 0.5))
        defer { db.drop() }
        let pool = db.store.pool
        let a = try pool.acquire("a")
        let b = try pool.acquire("b")
        #expect(pool.openCount == 2)
        #expect {
            _ = try pool.acquire("c")
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .timedOut else { return false }
            let operation = storeError.operation ?? ""
            return operation == "c"
        }
        pool.release(a)
        pool.release(b)

        // With health checks on every hand-out, a connection the server killed is replaced.
        let checked = try ConnectionPool(
            options: try db.server.options(database: db.name), pool: .init(minConnections: 2, maxConnections: 2, connectionTimeout: 2),
            healthCheckAfter: .zero)
        defer { checked.close() }
        let x = try checked.acquire("x")
        let y = try checked.acquire("y")
        let dead = y.serverThreadId
        try x.execute("KILL \(dead)")
        checked.release(x)
        checked.release(y)
        let first = try checked.acquire("first")
        let second = try checked.acquire("second")
        #expect(first.serverThreadId != dead && second.serverThreadId != dead)
        #expect(try first.textRows("SELECT 1") == [["1"]] && second.textRows("SELECT 2") == [["2"]])
        checked.release(first)
        checked.release(second)
        #expect(checked.openCount == 2)
    }

    @Test func aReadIsRetriedOnceAfterTheConnectionWasLost() throws {
        let db = try TestServer.main().scratchDatabase("retry", pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 5))
        defer { db.drop() }
        let victim = try db.store.pool.acquire("victim")
        let id = victim.serverThreadId
        db.store.pool.release(victim)
        let other = try MySQLConnection(try db.server.options())
        try other.execute("KILL \(id)")
        Thread.sleep(forTimeInterval: 0.2)
        // The pool hands out the dead connection (it was used a moment ago, so no ping); the read
        // fails with a lost connection and is run again on a new one.
        let rows = try db.store.query("SELECT CONNECTION_ID()", arguments: [], columnTypes: [.integer])
        #expect(rows.count == 1 && rows[0][0] != .integer(Int64(id)))
    }

    @Test func theRetryAfterALostConnectionTakesANewOneNotAnotherStaleOne() throws {
        let db = try TestServer.main().scratchDatabase("stale", pool: .init(minConnections: 2, maxConnections: 2, connectionTimeout: 5))
        defer { db.drop() }
        let a = try db.store.pool.acquire("a")
        let b = try db.store.pool.acquire("b")
        let killed = [a.serverThreadId, b.serverThreadId]
        db.store.pool.release(a)
        db.store.pool.release(b)
        // Both idle connections die at once, as in a server restart or a failover.
        let admin = try MySQLConnection(try db.server.options())
        for id in killed { try admin.execute("KILL \(id)") }
        Thread.sleep(forTimeInterval: 0.2)
        let rows = try db.store.query("SELECT CONNECTION_ID()", arguments: [], columnTypes: [.integer])
        #expect(rows.count == 1 && !killed.map { Value.integer(Int64($0)) }.contains(rows[0][0]))
    }

    @Test func cancellingTheTaskKillsTheRunningStatement() async throws {
        let db = try TestServer.main().scratchDatabase("cancel")
        defer { db.drop() }
        let store = db.store
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task { try await store.query("SELECT SLEEP(30)", arguments: [], columnTypes: [.integer]) }
        try await Task.sleep(for: .milliseconds(500))
        task.cancel()
        await #expect {
            _ = try await task.value
        } throws: { error in
            guard (error as? StoreError)?.kind == .cancelled else { return false }
            return true
        }
        #expect(clock.now - started < .seconds(15))
        // The connection is usable again.
        #expect(try await store.query("SELECT 1", arguments: [], columnTypes: [.integer]) == [[.integer(1)]])
    }

    @Test func raisingACancellationFlagKillsTheStatementOnTheServer() throws {
        let db = try TestServer.main().scratchDatabase("flag", pool: .init(minConnections: 1, maxConnections: 1, connectionTimeout: 3))
        defer { db.drop() }
        let store = db.store
        let flag = CancellationFlag()
        // A thread of its own, not Dispatch: this synchronous test holds one of the cooperative pool's threads.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.5)
            flag.cancel()
        }
        let clock = ContinuousClock()
        let started = clock.now
        #expect {
            _ = try store.query("SELECT SLEEP(30)", arguments: [], columnTypes: [.integer], cancellation: flag)
        } throws: { error in
            guard (error as? StoreError)?.kind == .cancelled else { return false }
            return true
        }
        #expect(clock.now - started < .seconds(15))
        // The pool's only connection is free again, well within its 3 s timeout: the statement is gone.
        #expect(try store.query("SELECT 1", arguments: [], columnTypes: [.integer]) == [[.integer(1)]])
        #expect(try Self.sleepingStatements(db) == 0)
    }

    /// Statements of `db`'s database that are still sleeping on the server.
    static func sleepingStatements(_ db: ScratchDatabase) throws -> Int {
        let admin = try MySQLConnection(try db.server.options())
        let rows = try admin.textRows(
            "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '\(db.name)' AND info LIKE 'SELECT SLEEP%'")
        return Int(rows.first?.first??.description ?? "") ?? -1
    }

    @Test func thePasswordComesFromTheNamedVariableOrTheSecretFile() throws {
        #expect(
            try MySQLConnectionOptions.password(environmentVariable: "MY_DB_PW", file: nil, environment: ["MY_DB_PW": "s3cret"]) == "s3cret"
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)").path
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try MySQLConnectionOptions.password(environmentVariable: "MY_DB_PW", file: file, environment: [:]) == "from-file")
        let server = try TestServer.main()
        let options = try server.options()
        #expect(!options.description.contains(server.password))
    }
}

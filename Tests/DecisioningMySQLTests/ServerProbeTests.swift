import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// A server that answers from a recording: SQL text → rows, or the error the server gave.
///
/// It also notes every statement it was asked, so tests can check that the probe stays within its
/// few cheap questions, and an unrecorded statement fails the test instead of being guessed at.
struct RecordedServer: ProbeSource {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var statements: [String] = []
        func append(_ sql: String) { lock.withLock { statements.append(sql) } }
        var asked: [String] { lock.withLock { statements } }
    }

    var answers: [String: Result<[[String?]], StoreError>]
    let log = Log()

    init(_ answers: [String: Result<[[String?]], StoreError>]) { self.answers = answers }

    var asked: [String] { log.asked }

    func textRows(_ sql: String) throws(StoreError) -> [[String?]] {
        log.append(sql)
        guard let answer = answers[sql] else {
            Issue.record("the probe asked an unrecorded statement: \(sql)")
            throw .engine(operation: sql, code: 1064, message: "not in the recording")
        }
        return try answer.get()
    }
}

/// Answers recorded from (or, for HeatWave, modelled on the documentation of) real servers.
enum Recordings {
    typealias S = ServerProbe.Statement

    static func noSuchFunction(_ name: String) -> Result<[[String?]], StoreError> {
        .failure(.engine(operation: "SELECT VECTOR_DIM(STRING_TO_VECTOR('[1,2]'))", code: 1305, message: "FUNCTION \(name) does not exist"))
    }

    /// MariaDB 10.11 as Debian 12 ships it (answers reproduced on the test server).
    static let mariaDB1011: [String: Result<[[String?]], StoreError>] = [
        S.version: .success([["10.11.19-MariaDB-0+deb12u1", "Debian 12"]]),
        S.rapidStatus: .success([]),
        S.haveSSL: .success([["have_ssl", "YES"]]),
    ]

    /// The `rapid%` status of a HeatWave DB system with a running cluster, after the sample in
    /// https://dev.mysql.com/doc/heatwave/en/heatwave-status-variables.html (values illustrative).
    static func rapidStatus(bootstrapped: String, cluster: String, ml: String, service: String) -> [[String?]] {
        [
            ["rapid_change_propagation_status", cluster],
            ["rapid_cluster_ready_number", cluster == "ON" ? "1" : "0"],
            ["rapid_cluster_status", cluster],
            ["rapid_core_count", cluster == "ON" ? "32" : "0"],
            ["rapid_heap_usage", "0"],
            ["rapid_load_progress", "100.000000"],
            ["rapid_ml_operation_count", "0"],
            ["rapid_ml_status", ml],
            ["rapid_plugin_bootstrapped", bootstrapped],
            ["rapid_preload_stats_status", "Available"],
            ["rapid_query_offload_count", "0"],
            ["rapid_service_status", service],
        ]
    }

    /// HeatWave on OCI, MySQL 9.4.1: `have_ssl` is gone since 8.4.0, TLS shows in
    /// `performance_schema.tls_channel_status`; VECTOR is there.
    static let heatWave94: [String: Result<[[String?]], StoreError>] = [
        S.version: .success([["9.4.1-cloud", "MySQL Enterprise - Cloud"]]),
        S.rapidStatus: .success(rapidStatus(bootstrapped: "YES", cluster: "ON", ml: "ON", service: "ONLINE")),
        S.haveSSL: .success([]),
        S.tlsChannel: .success([["Yes"]]),
        S.vectorCheck: .success([["2"]]),
        S.distanceCheck: .success([["1"]]),
    ]

    /// MySQL 9.4 Community: the VECTOR type and its conversions, but no DISTANCE() (HeatWave's).
    static let mysql94Community: [String: Result<[[String?]], StoreError>] = [
        S.version: .success([["9.4.0", "MySQL Community Server - GPL"]]),
        S.rapidStatus: .success([]),
        S.haveSSL: .success([]),
        S.tlsChannel: .success([["Yes"]]),
        S.vectorCheck: .success([["2"]]),
        S.distanceCheck: noSuchFunction("DISTANCE"),
    ]

    /// The same DB system with its HeatWave cluster stopped: the plugin is bootstrapped, nothing can offload.
    static var heatWave94ClusterOff: [String: Result<[[String?]], StoreError>] {
        var answers = heatWave94
        answers[S.rapidStatus] = .success(rapidStatus(bootstrapped: "YES", cluster: "OFF", ml: "OFF", service: "OFFLINE"))
        return answers
    }

    /// MySQL 8.4 LTS Community without HeatWave: no `rapid%` status, no `have_ssl`, no VECTOR (not asked).
    static let mysql84: [String: Result<[[String?]], StoreError>] = [
        S.version: .success([["8.4.6", "MySQL Community Server - GPL"]]),
        S.rapidStatus: .success([]),
        S.haveSSL: .success([]),
        S.tlsChannel: .success([["Yes"]]),
    ]
}

@Suite struct ServerProbeTests {
    typealias S = ServerProbe.Statement

    @Test func mariaDB1011HasNeitherHeatWaveNorVector() throws {
        let server = RecordedServer(Recordings.mariaDB1011)
        let capabilities = try ServerProbe.probe(server)
        #expect(capabilities.isMariaDB)
        #expect(capabilities.version == "10.11.19-MariaDB-0+deb12u1")
        #expect(capabilities.versionComment == "Debian 12")
        #expect(!capabilities.rapidPluginBootstrapped && !capabilities.rapidClusterOnline && !capabilities.rapidMLOnline)
        #expect(!capabilities.heatWave)
        #expect(!capabilities.vectorType)
        #expect(capabilities.tlsAvailable)
        #expect(capabilities.schema == .mariaDB)
        // Three questions; the vector check is never sent to MariaDB.
        #expect(server.asked == [S.version, S.rapidStatus, S.haveSSL])
    }

    @Test func heatWave94HasTheClusterAutoMLAndVector() throws {
        let server = RecordedServer(Recordings.heatWave94)
        let capabilities = try ServerProbe.probe(server)
        #expect(!capabilities.isMariaDB)
        #expect(capabilities.versionComment == "MySQL Enterprise - Cloud")
        #expect(capabilities.rapidPluginBootstrapped)
        #expect(capabilities.rapidClusterOnline)
        #expect(capabilities.rapidMLOnline)
        #expect(capabilities.heatWave)
        #expect(capabilities.vectorType)
        #expect(capabilities.vectorDistance)
        #expect(capabilities.tlsAvailable)
        #expect(capabilities.schema == .heatWave)
        #expect(server.asked == [S.version, S.rapidStatus, S.haveSSL, S.tlsChannel, S.vectorCheck, S.distanceCheck])
    }

    @Test func mysql9CommunityStoresVectorsButCannotSearchThem() throws {
        let capabilities = try ServerProbe.probe(RecordedServer(Recordings.mysql94Community))
        #expect(capabilities.vectorType)
        #expect(!capabilities.vectorDistance)
        #expect(!capabilities.heatWave)
        // The column can still be VECTOR(2048): storing is what the schema needs.
        #expect(capabilities.schema == MySQLSchemaCapabilities(vectorType: true, rapidEngine: false, mariaDB: false))
    }

    @Test func mysql84WithoutHeatWave() throws {
        let server = RecordedServer(Recordings.mysql84)
        let capabilities = try ServerProbe.probe(server)
        #expect(!capabilities.isMariaDB)
        #expect(!capabilities.heatWave)
        #expect(!capabilities.rapidPluginBootstrapped)
        #expect(!capabilities.vectorType)
        #expect(capabilities.tlsAvailable)
        #expect(capabilities.schema == MySQLSchemaCapabilities(vectorType: false, rapidEngine: false, mariaDB: false))
        #expect(!server.asked.contains(S.vectorCheck), "VECTOR is not asked for before 9.0")
    }

    @Test func heatWaveWithTheClusterStoppedHasThePluginButNoOffload() throws {
        let capabilities = try ServerProbe.probe(RecordedServer(Recordings.heatWave94ClusterOff))
        #expect(capabilities.rapidPluginBootstrapped)
        #expect(!capabilities.rapidClusterOnline)
        #expect(!capabilities.rapidMLOnline)
        #expect(!capabilities.heatWave)
        // The DDL may still say SECONDARY_ENGINE=RAPID: the engine exists, only the cluster is down.
        #expect(capabilities.schema == MySQLSchemaCapabilities(vectorType: true, rapidEngine: true, mariaDB: false))
    }

    @Test func anErrorOnTheVectorCheckMeansNoVector() throws {
        var answers = Recordings.mysql84
        answers[S.version] = .success([["9.1.0", "MySQL Community Server - GPL"]])
        answers[S.vectorCheck] = Recordings.noSuchFunction("STRING_TO_VECTOR")
        let server = RecordedServer(answers)
        let capabilities = try ServerProbe.probe(server)
        #expect(!capabilities.vectorType && !capabilities.vectorDistance)
        #expect(!server.asked.contains(S.distanceCheck), "no DISTANCE() without VECTOR")

        answers[S.vectorCheck] = .success([["3"]])  // a wrong answer is no support either
        #expect(try !ServerProbe.probe(RecordedServer(answers)).vectorType)
    }

    @Test func mariaDBNeverCountsAsVectorEvenWithAHighVersion() throws {
        // MariaDB 11.7+ has its own VECTOR with other functions (VEC_FromText …), not MySQL's.
        var answers = Recordings.mariaDB1011
        answers[S.version] = .success([["11.8.2-MariaDB", "mariadb.org binary distribution"]])
        let server = RecordedServer(answers)
        #expect(try !ServerProbe.probe(server).vectorType)
        #expect(!server.asked.contains(S.vectorCheck))
    }

    @Test func tlsIsAvailableOnlyWhenEnabled() throws {
        var answers = Recordings.mariaDB1011
        answers[S.haveSSL] = .success([["have_ssl", "DISABLED"]])
        #expect(try !ServerProbe.probe(RecordedServer(answers)).tlsAvailable)

        // MySQL 8.4+ with performance_schema off: the TLS state is unknown, reported as not available.
        var mysql = Recordings.mysql84
        mysql[S.tlsChannel] = .failure(.engine(operation: "SELECT VALUE FROM", code: 1142, message: "SELECT command denied"))
        #expect(try !ServerProbe.probe(RecordedServer(mysql)).tlsAvailable)
    }

    @Test func aLostConnectionIsAnErrorNotAnAnswer() throws {
        var answers = Recordings.heatWave94
        answers[S.vectorCheck] = .failure(.connectionLost(operation: "SELECT VECTOR_DIM", code: 2013, message: "Lost connection"))
        #expect(throws: StoreError.self) { try ServerProbe.probe(RecordedServer(answers)) }

        answers = Recordings.heatWave94
        answers[S.version] = .success([])
        #expect(throws: StoreError.self) { try ServerProbe.probe(RecordedServer(answers)) }
    }

    @Test func majorVersions() {
        #expect(ServerProbe.majorVersion("9.4.1-cloud") == 9)
        #expect(ServerProbe.majorVersion("10.11.19-MariaDB-0+deb12u1") == 10)
        #expect(ServerProbe.majorVersion("8.4.6") == 8)
        #expect(ServerProbe.majorVersion("cloud") == nil)
    }
}

/// The test MariaDB server named by the environment, as `make test` and CI provide it:
/// `DECISIONING_TEST_MYSQL_URL` (mysql://decisioning@127.0.0.1:PORT/decisioning_test) and
/// `DECISIONING_TEST_MYSQL_PASSWORD`. With `DECISIONING_TEST_MYSQL_REQUIRED=1` a missing server is
/// a failure, not a skip; with neither variable set (a plain local `swift test`) live tests skip.
/// The live server of `make test`, through the shared `TestServer` lookup.
enum LiveServer {
    static var shouldRun: Bool { TestServer.enabled }
    static func connect() throws -> MySQLConnection { try MySQLConnection(try TestServer.main().options()) }
}

/// The probe against the real MariaDB server: what it finds there is what production finds on MariaDB.
@Suite(.enabled(if: LiveServer.shouldRun)) struct LiveServerProbeTests {
    /// Passes statements through to the connection and notes them.
    struct Recording: ProbeSource {
        let connection: MySQLConnection
        let log = RecordedServer.Log()
        func textRows(_ sql: String) throws(StoreError) -> [[String?]] {
            log.append(sql)
            return try connection.textRows(sql)
        }
    }

    @Test func liveMariaDBHasNoHeatWaveAndNoVector() throws {
        let connection = try LiveServer.connect()
        let source = Recording(connection: connection)
        let capabilities = try ServerProbe.probe(source)
        print("live probe: \(capabilities)")
        #expect(capabilities.isMariaDB)
        #expect(capabilities.version.contains("MariaDB"))
        #expect(capabilities.version == connection.serverVersion)
        #expect(!capabilities.rapidPluginBootstrapped && !capabilities.rapidClusterOnline && !capabilities.rapidMLOnline)
        #expect(!capabilities.heatWave)
        #expect(!capabilities.vectorType)
        #expect(capabilities.schema == .mariaDB)
        #expect(source.log.asked == [ServerProbe.Statement.version, ServerProbe.Statement.rapidStatus, ServerProbe.Statement.haveSSL])
        let haveSSL = try connection.textRows(ServerProbe.Statement.haveSSL).first?[1] ?? nil
        #expect(capabilities.tlsAvailable == (haveSSL == "YES"))
    }

    /// The probe treats an error on the vector check as "no vector"; MariaDB shows which error that is.
    @Test func liveMariaDBRefusesTheVectorCheck() throws {
        let connection = try LiveServer.connect()
        #expect {
            _ = try connection.textRows(ServerProbe.Statement.vectorCheck)
        } throws: { error in
            guard let storeError = error as? StoreError, storeError.kind == .engine else { return false }
            let code = storeError.code ?? 0
            return code == 1305
        }
        // The connection stays usable after the refused statement.
        #expect(try connection.textRows("SELECT 1") == [["1"]])
    }
}

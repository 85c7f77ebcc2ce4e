import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningMySQL
import DecisioningService
import DecisioningStore
import Foundation

/// `decisioning doctor --database URL`: what the database offers and where each kind of work will
/// run there. It opens one connection and probes the server; it neither creates nor migrates the
/// schema, so it is the first thing to run against a new database or a HeatWave DB system.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Show what the database offers (version, TLS, HeatWave, AutoML, VECTOR) and where analytics, ML and vector search will run.",
        discussion: "Does not create or migrate the schema. Exits non-zero, with the connection error, when the server cannot be reached.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try global.loadConfiguration()
        try probeStore(configuration)
        print("memory: \(Self.hugePages(HugePages.current()))")
        print("allocator: \(Self.allocator(AllocatorTuning.current(), probe: AllocatorTuning.probe()))")
        if let reader = LanguageModelReader.configured(configuration, transport: HTTPChatTransport()) {
            let s = reader.settings
            let key = s.apiKeyEnvironmentVariable.map { "API key from \($0)" } ?? "no API key"
            print("questions: language model \(s.model) at \(s.completionsURL) (\(key), timeout \(DoctorReport.seconds(s.timeoutSeconds)))")
            print("  probe: \(await reader.probe())")
        } else {
            print("questions: deterministic interpreter only (no questions.llm)")
        }
    }

    func probeStore(_ configuration: Configuration) throws {
        let url = try global.databaseURL(configuration)
        switch url {
        case .sqlite(let path):
            for line in DoctorReport.sqlite(path: path, file: Self.sqliteFile(path: path)) { print(line) }
        case .mysql:
            let options = try StoreOpener.mysqlOptions(for: url, configuration: configuration)
            print("store: MySQL-family server at \(url) (tls mode \(options.tls.rawValue))")
            let connection = try MySQLConnection(options)
            let capabilities = try ServerProbe.probe(connection)
            var rapidTables: [String]?
            if capabilities.heatWave { rapidTables = Self.rapidTables(connection, schema: options.endpoint.database) }
            let lines = DoctorReport.mysql(
                capabilities, tlsCipher: connection.tlsCipher, rapidTables: rapidTables,
                clientPlugins: MariaDBLibrary.authenticationPlugins())
            for line in lines { print(line) }
        }
    }

    /// Whether this process's allocator asks for transparent huge pages, and why.
    static func hugePages(_ decision: HugePages.Decision) -> String {
        guard case .keep(let reason) = decision else {
            return "huge pages for the allocator were not set up (the process could not execute itself again)"
        }
        switch reason {
        case .requested(let tunables):
            return "the allocator asks for transparent huge pages (GLIBC_TUNABLES=\(TerminalText.quoted(tunables)))"
        case .userSet(let tunables):
            return "GLIBC_TUNABLES sets glibc.malloc.hugetlb itself (\(TerminalText.quoted(tunables))); left as it is"
        case .tunableDropped:
            return
                "huge pages for the allocator were requested, but GLIBC_TUNABLES did not reach the restarted process (glibc drops it for privileged processes)"
        case .optedOut:
            return "huge pages for the allocator are off (\(HugePages.optOutVariable)=off)"
        case .unknownOptOut(let value):
            return
                "huge pages for the allocator are not requested: \(HugePages.optOutVariable) is '\(TerminalText.quoted(value))', and only on and off are known"
        case .kernelAlways:
            return "the kernel uses transparent huge pages for all large blocks (always)"
        case .kernelMode(let mode):
            return "the kernel grants no transparent huge pages (\(TerminalText.quoted(mode)))"
        case .noKernelSetting:
            return "the kernel reports no transparent huge pages (\(HugePages.settingPath))"
        }
    }

    /// What the process set of glibc's allocator at start (`AllocatorTuning`), why not, and what a
    /// block of `AllocatorTuning.probeBytes` shows the allocator does now.
    static func allocator(_ decision: AllocatorTuning.Decision, probe: AllocatorTuning.Probe) -> String {
        let decided: String
        switch decision {
        case .set(let parameters, let userSet):
            let set = parameters.map { parameter in
                switch parameter {
                case .mmapThreshold: "blocks under \(parameter.bytes >> 20) MiB come from the heaps and are reused"
                case .topPad: "\(parameter.bytes >> 20) MiB stay free at the top of each heap"
                }
            }
            let named = userSet.map { parameter in
                switch parameter {
                case .mmapThreshold: "the mapping threshold"
                case .topPad: "the top pad or trim threshold"
                }
            }
            let user = named.isEmpty ? "" : "; you set \(named.joined(separator: " and ")) yourself"
            decided = "\(set.joined(separator: ", ")) (\(AllocatorTuning.optOutVariable)=off for glibc's defaults)\(user)"
        case .keep(.userSet):
            decided = "you set the allocator's mapping threshold and top pad yourself; left as they are"
        case .keep(.optedOut):
            decided = "glibc's defaults (\(AllocatorTuning.optOutVariable)=off)"
        case .keep(.unknownOptOut(let value)):
            decided =
                "glibc's defaults: \(AllocatorTuning.optOutVariable) is '\(TerminalText.quoted(value))', and only on and off are known"
        }
        let size = "\(AllocatorTuning.probeBytes >> 20) MiB"
        switch probe {
        case .heap: return "\(decided); checked: a \(size) block came from a heap"
        case .mapped: return "\(decided); checked: a \(size) block was mapped on its own"
        case .unknown: return "\(decided); not checked (the allocator is not glibc's, or no memory)"
        }
    }

    /// SQLite's version and the file's page size when the file exists; nil otherwise (doctor must not create the file).
    static func sqliteFile(path: String) -> DoctorReport.SQLiteFile? {
        guard FileManager.default.fileExists(atPath: path), let store = try? SQLiteStore(path: path),
            let rows = try? store.query(
                "SELECT sqlite_version(), (SELECT page_size FROM pragma_page_size())", arguments: [],
                columnTypes: [.text(maxLength: 32), .integer]),
            let row = rows.first, row.count == 2, case .integer(let pageSize) = row[1]
        else { return nil }
        return DoctorReport.SQLiteFile(version: row[0].description, pageSize: Int(pageSize))
    }

    /// "name: LOAD_STATUS (progress %)" for each table HeatWave holds of `schema`, or the reason
    /// it could not be read (performance_schema off, missing grant) as the only line.
    static func rapidTables(_ connection: MySQLConnection, schema: String) -> [String] {
        do {
            let statement = try HeatWaveStatements.loadedTables(schema: schema)
            let rows = try connection.prepare(statement.sql)
                .query(statement.bindings, columnTypes: [.text(maxLength: 64), .text(maxLength: 64), .double, .integer])
            return rows.map { row in
                let progress = row[2].isNull ? "" : String(format: " %.0f%%", Double(row[2].description) ?? 0)
                return "\(row[0]): \(row[1])\(progress), \(row[3]) rows"
            }
        } catch {
            return ["(cannot read performance_schema.rpd_tables: \(error))"]
        }
    }
}

/// The doctor's text, as pure functions of what was found, so that it says the same thing the
/// store does: HeatWave offload only with a running cluster, AutoML only with `rapid_ml_status`
/// ON, `DISTANCE()` only with the `VECTOR` type.
enum DoctorReport {
    static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }

    static func mysql(_ c: ServerCapabilities, tlsCipher: String?, rapidTables: [String]?, clientPlugins: [String]) -> [String] {
        let product = c.isMariaDB ? "MariaDB" : (c.rapidPluginBootstrapped ? "MySQL HeatWave" : "MySQL")
        let missing = MariaDBLibrary.loadableAuthenticationPlugins.filter { !clientPlugins.contains($0) }
        var lines = [
            "server: \(product) \(c.version)\(c.versionComment.isEmpty ? "" : " (\(c.versionComment))")",
            "connection TLS: \(tlsCipher.map { "cipher \($0)" } ?? "none (plain TCP)")",
            "client authentication plugins: mysql_native_password (built in)"
                + clientPlugins.map { ", \($0)" }.joined()
                + (missing.isEmpty ? "" : "; cannot load \(missing.joined(separator: ", ")) (install libmariadb3's plugins)"),
            "capabilities:",
            "  HeatWave RAPID plugin (rapid_plugin_bootstrapped): \(yesNo(c.rapidPluginBootstrapped))",
            "  HeatWave cluster online (rapid_cluster_status): \(yesNo(c.rapidClusterOnline))",
            "  HeatWave AutoML online (rapid_ml_status): \(yesNo(c.rapidMLOnline))",
            "  VECTOR type: \(yesNo(c.vectorType))",
            "  DISTANCE() on vectors: \(yesNo(c.vectorDistance))",
            "  server accepts TLS: \(yesNo(c.tlsAvailable))",
            "where work runs:",
        ]
        let fallback = HeatWaveStatements.offloadFallbackErrors.sorted().map(String.init).joined(separator: ", ")
        if c.heatWave {
            lines.append(
                "  analytics: HeatWave RAPID (use_secondary_engine = FORCED); a plan that cannot offload (errors \(fallback)) falls back to the column engine, and says so"
            )
        } else if c.rapidPluginBootstrapped {
            lines.append(
                "  analytics: column engine (in-process), loaded from the server; the HeatWave cluster is offline, so nothing offloads until it is started"
            )
        } else {
            lines.append("  analytics: column engine (in-process), loaded from the server")
        }
        lines.append(
            c.rapidMLOnline
                ? "  ML: in-process learners; HeatWave AutoML is online (HeatWaveWorkflow.trainAndPredict), the agents do not call it yet"
                : "  ML: in-process learners (anomaly detection, supervised models, forecasting)")
        if c.vectorDistance {
            lines.append(
                "  vector search: \(inProcessVectorSearch); DISTANCE() on VECTOR columns is available, the search is not pushed down to it yet"
            )
        } else if c.vectorType {
            lines.append("  vector search: \(inProcessVectorSearch); VECTOR columns but no DISTANCE() (MySQL Community)")
        } else {
            lines.append("  vector search: \(inProcessVectorSearch); the server has no VECTOR type")
        }
        let schema = c.schema
        lines.append("schema choices:")
        lines.append(
            schema.vectorType
                ? "  embeddings: VECTOR(2048)"
                : "  embeddings: LONGBLOB of float32 (no VECTOR type on this server)")
        lines.append(
            schema.rapidEngine
                ? "  analytic tables: SECONDARY_ENGINE=RAPID"
                : "  analytic tables: InnoDB only (no SECONDARY_ENGINE)")
        if let rapidTables {
            lines.append("tables in HeatWave:")
            lines.append(contentsOf: rapidTables.isEmpty ? ["  none loaded yet"] : rapidTables.map { "  " + $0 })
        }
        return lines
    }

    /// Where every store searches vectors today (docs/similarity.md).
    static let inProcessVectorSearch =
        "in process: exact k-NN over project case vectors (Discovery's precedents, `similar`), text search over event notes and project descriptions (`search`), HNSW for `vectors`"

    /// What doctor read of an existing SQLite file.
    struct SQLiteFile {
        var version: String
        var pageSize: Int
    }

    static func sqlite(path: String, file: SQLiteFile?) -> [String] {
        [
            "store: SQLite, embedded, file \(path)"
                + (file.map { " (SQLite \($0.version), \(pages($0.pageSize)))" } ?? " (does not exist yet; `decisioning init` creates it)"),
            "where work runs:",
            "  analytics: column engine (in-process), loaded from the SQLite file; SQL on SQLite when asked (query --on sql)",
            "  ML: in-process learners (anomaly detection, supervised models, forecasting)",
            "  vector search: \(inProcessVectorSearch)",
            "schema choices:",
            "  embeddings: BLOB of float32",
            "  no secondary engine (HeatWave needs a mysql:// database)",
        ]
    }

    /// The file's page size, and what a file made now would get when that differs.
    static func pages(_ size: Int) -> String {
        let kib = "\(size >> 10) KiB pages"
        guard size != SQLiteStore.pageSize else { return kib }
        return "\(kib); files made now get \(SQLiteStore.pageSize >> 10) KiB, docs/ARCHITECTURE.md says how to convert"
    }
}

public import Foundation

/// The run configuration, in the seed's JSON shape: `data_sources`, `agents`, `workflow`, `output`.
///
/// Every key is validated and every error names the key. Secrets are never read from this file:
/// a `password` key is an error; `password_env` names the environment variable to read instead.
public struct Configuration: Sendable, Equatable {
    public struct ConnectionPool: Sendable, Equatable {
        public var minConnections = 2
        public var maxConnections = 20
        /// Seconds to wait for a connection.
        public var connectionTimeout: Double = 30

        public init(minConnections: Int = 2, maxConnections: Int = 20, connectionTimeout: Double = 30) {
            self.minConnections = minConnections
            self.maxConnections = maxConnections
            self.connectionTimeout = connectionTimeout
        }
    }

    public struct DataSource: Sendable, Equatable {
        public var name: String
        public var type: String
        public var enabled = true
        /// `sqlite:PATH` or `mysql://…`, built from `config`.
        public var url: DatabaseURL?
        public var passwordEnvironmentVariable = "DECISIONING_DB_PASSWORD"
        public var passwordFile: String?
        public var useHeatWaveEngine = true
        public var pool = ConnectionPool()
        public var features: [String: Bool] = [:]
        /// Where the Warehouse keeps column snapshots of a SQLite source (`config.column_snapshots`).
        public var columnSnapshots = ColumnSnapshots.besideDatabase
    }

    /// `config.column_snapshots` of a SQLite data source: `true` (the default) keeps the Warehouse's
    /// column snapshots beside the database file (`FILE.columns/`), `false` keeps none, a string
    /// names a directory to keep them under. Not part of `canonicalDescription`: where a cache
    /// lives changes no result.
    public enum ColumnSnapshots: Sendable, Equatable {
        case besideDatabase
        case off
        case directory(String)
    }

    public struct Agent: Sendable, Equatable {
        public var enabled = true
        /// Seconds before the orchestrator abandons the agent.
        public var timeout: Double = 120
        public var retries = 1
        public var options: [String: Bool] = [:]
        public var thresholds: [String: Double] = [:]

        public init(enabled: Bool = true, timeout: Double = 120, retries: Int = 1, thresholds: [String: Double] = [:]) {
            self.enabled = enabled
            self.timeout = timeout
            self.retries = retries
            self.thresholds = thresholds
        }
    }

    public struct Workflow: Sendable, Equatable {
        public var maxConcurrentAgents = 3
        public var retryBackoffSeconds: Double = 0.5
        public var defaultAnalysis = "strategic_business_health"
        public var seed: UInt64 = 42
        /// Cron expressions in UTC (`workflow.schedule`): `decisioning serve` runs the flow at each
        /// occurrence, as of the occurrence's date.
        public var schedule: [String] = []
        /// Whether an occurrence missed while the server was down runs once at start (`workflow.catch_up`).
        public var catchUp = true
    }

    public struct Output: Sendable, Equatable {
        public var directory = "out"
        public var formats = ["json", "markdown", "html", "dashboard"]
    }

    /// The analyses a run can perform (`run --analysis`, `workflow.default_analysis`).
    public static let analyses = ["strategic_business_health"]

    /// The allowed range of a threshold (inclusive) and its default.
    public struct Threshold: Sendable, Equatable {
        public var range: ClosedRange<Double>
        public var defaultValue: Double
        public var unit: String
        public var wholeNumber: Bool

        public init(_ range: ClosedRange<Double>, default value: Double, unit: String, wholeNumber: Bool = false) {
            self.range = range
            self.defaultValue = value
            self.unit = unit
            self.wholeNumber = wholeNumber
        }
    }

    /// Longest agent timeout accepted: a day. A larger value is a typo, not a plan.
    public static let maxAgentTimeout: Double = 86_400

    public var dataSources: [DataSource] = []
    /// The settings of the agents the configuration names (`agents.<name>`); `agent(_:)` gives the
    /// defaults for the others.
    public var agents: [String: Agent] = [:]
    public var workflow = Workflow()
    public var output = Output()
    /// `decisioning serve`: where it listens, how long a shutdown waits, limits (`service`).
    public var service = Service()
    /// The alerts' lifecycle and the webhooks that hear of them (`alerts`).
    public var alerts = Alerts()
    /// `decisioning ask`: additions to the semantic model (`questions`).
    public var questions = Questions()

    public init() {}

    /// A stable text form of every setting (dictionaries sorted), for digests that identify a configuration.
    public var canonicalDescription: String {
        func sorted<V>(_ d: [String: V]) -> String { d.keys.sorted().map { "\($0)=\(d[$0]!)" }.joined(separator: ",") }
        var parts: [String] = []
        for source in dataSources {
            parts.append(
                "source \(source.name) \(source.type) enabled=\(source.enabled) url=\(source.url?.description ?? "") env=\(source.passwordEnvironmentVariable) file=\(source.passwordFile ?? "") heatwave=\(source.useHeatWaveEngine) pool=\(source.pool.minConnections)/\(source.pool.maxConnections)/\(source.pool.connectionTimeout) features[\(sorted(source.features))]"
            )
        }
        for name in agents.keys.sorted() {
            let a = agents[name]!
            parts.append(
                "agent \(name) enabled=\(a.enabled) timeout=\(a.timeout) retries=\(a.retries) options[\(sorted(a.options))] thresholds[\(sorted(a.thresholds))]"
            )
        }
        parts.append(
            "workflow \(workflow.maxConcurrentAgents) \(workflow.retryBackoffSeconds) \(workflow.defaultAnalysis) \(workflow.seed)")
        parts.append("output \(output.directory) \(output.formats.joined(separator: ","))")
        return parts.joined(separator: "\n")
    }

    /// The first enabled data source, which a command uses when `--database` is not given.
    public var primaryDataSource: DataSource? { dataSources.first { $0.enabled } }

    public func agent(_ name: String) -> Agent { agents[name] ?? Agent() }

    /// Reads and parses `file`; `agents` are what `agents.<name>` may name (the agent registry's schemas).
    public static func load(file: String, agents: [AgentSchema]) throws(ConfigurationError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError(file: file, key: "(file)", message: "cannot read the file; check the path given to --config")
        }
        do {
            return try parse(data, agents: agents)
        } catch var error {
            error.file = file
            throw error
        }
    }

    /// Parses a configuration document; `agents` are what `agents.<name>` may name, each with the
    /// thresholds it reads (the agent registry's schemas).
    public static func parse(_ data: Data, agents: [AgentSchema]) throws(ConfigurationError) -> Configuration {
        let root: JSONValue
        do {
            root = try StrictJSON.parse(Array(data))
        } catch {
            throw ConfigurationError(key: "(document)", message: "not valid JSON: \(error)")
        }
        var reader = ConfigurationReader(agents: agents)
        return try reader.read(root)
    }
}

/// Walks the decoded JSON tree with the current key path, so each error names its key. Sections of
/// their own (service, alerts) are read in `ConfigurationReader+<Section>.swift`.
struct ConfigurationReader {
    typealias Object = [String: JSONValue]

    /// The agents `agents.<name>` may name.
    let agents: [Configuration.AgentSchema]

    func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(key: key, message: message) }

    func object(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Object {
        guard case .object(let object) = value else { throw fail(key, "expected an object, found \(describe(value))") }
        return object
    }

    func checkKeys(_ object: Object, allowed: [String], _ key: String) throws(ConfigurationError) {
        for name in object.keys.sorted() where !allowed.contains(name) {
            let shown = name.isEmpty ? "\"\"" : TerminalText.quoted(name)
            let path = key.isEmpty ? shown : "\(key).\(shown)"
            if name == "password" {
                throw fail(
                    path,
                    "passwords are not read from the configuration file; set the environment variable named by password_env (default DECISIONING_DB_PASSWORD) or password_file"
                )
            }
            throw fail(path, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    func describe(_ value: JSONValue) -> String { value.summary }

    func bool(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Bool {
        if case .bool(let b) = value { return b }
        throw fail(key, "expected true or false, found \(describe(value))")
    }

    func number(_ value: JSONValue, _ key: String, in range: ClosedRange<Double>, what: String) throws(ConfigurationError) -> Double {
        guard case .number(let n) = value, range.contains(n) else { throw fail(key, "expected \(what), found \(describe(value))") }
        return n
    }

    func integer(_ value: JSONValue, _ key: String, min: Int, max: Int = 1 << 53, what: String) throws(ConfigurationError) -> Int {
        let d = try number(value, key, in: Double(min)...Double(max), what: what)
        guard d == d.rounded() else { throw fail(key, "expected \(what), found \(describe(value))") }
        return Int(d)
    }

    func format(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value) }

    func string(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> String {
        guard case .string(let s) = value, !s.isEmpty else { throw fail(key, "expected a non-empty string, found \(describe(value))") }
        return s
    }

    mutating func read(_ root: JSONValue) throws(ConfigurationError) -> Configuration {
        let top = try object(root, "(document)")
        try checkKeys(top, allowed: ["data_sources", "agents", "workflow", "output", "service", "alerts", "questions"], "")
        var config = Configuration()
        if let sources = top["data_sources"] {
            guard case .array(let list) = sources else { throw fail("data_sources", "expected an array, found \(describe(sources))") }
            for (i, item) in list.enumerated() { config.dataSources.append(try dataSource(item, "data_sources[\(i)]")) }
        }
        if let agents = top["agents"] {
            let object = try object(agents, "agents")
            try checkKeys(object, allowed: self.agents.map(\.name), "agents")
            for (name, value) in object { config.agents[name] = try agent(value, name) }
        }
        if let workflow = top["workflow"] { config.workflow = try self.workflow(workflow, "workflow") }
        if let output = top["output"] { config.output = try self.output(output, "output") }
        if let service = top["service"] { config.service = try self.service(service, "service") }
        if let alerts = top["alerts"] { config.alerts = try self.alerts(alerts, "alerts") }
        if let questions = top["questions"] { config.questions = try self.questions(questions, "questions") }
        return config
    }

    func dataSource(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.DataSource {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["name", "type", "enabled", "config", "features"], key)
        guard let nameValue = o["name"] else { throw fail("\(key).name", "missing; every data source needs a name") }
        guard let typeValue = o["type"] else { throw fail("\(key).type", "missing; expected sqlite, mysql or mysql_heatwave") }
        let type = try string(typeValue, "\(key).type")
        guard ["sqlite", "mysql", "mysql_heatwave"].contains(type) else {
            throw fail("\(key).type", "expected sqlite, mysql or mysql_heatwave, found \"\(type)\"")
        }
        var source = Configuration.DataSource(name: try string(nameValue, "\(key).name"), type: type)
        if let e = o["enabled"] { source.enabled = try bool(e, "\(key).enabled") }
        if let f = o["features"] {
            let features = try object(f, "\(key).features")
            let known = ["analytics_acceleration", "ml_capabilities", "vector_search", "real_time_processing"]
            try checkKeys(features, allowed: known, "\(key).features")
            for (name, flag) in features { source.features[name] = try bool(flag, "\(key).features.\(name)") }
        }
        let c = try object(o["config"] ?? .object([:]), "\(key).config")
        let ck = "\(key).config"
        if type == "sqlite" {
            try checkKeys(c, allowed: ["path", "column_snapshots"], ck)
            guard let path = c["path"] else { throw fail("\(ck).path", "missing; the SQLite file to use") }
            source.url = .sqlite(path: try string(path, "\(ck).path"))
            switch c["column_snapshots"] {
            case nil, .bool(true): source.columnSnapshots = .besideDatabase
            case .bool(false): source.columnSnapshots = .off
            case .string(let directory) where !directory.isEmpty: source.columnSnapshots = .directory(directory)
            case let value?:
                throw fail(
                    "\(ck).column_snapshots",
                    "expected true (beside the database file), false (none) or a directory, found \(describe(value))")
            }
            return source
        }
        try checkKeys(
            c,
            allowed: [
                "host", "port", "database", "user", "use_heatwave_engine", "connection_pool", "password_env", "password_file", "tls",
                "ca_file",
            ], ck)
        for required in ["host", "database", "user"] where c[required] == nil {
            throw fail("\(ck).\(required)", "missing; a MySQL data source needs host, database and user")
        }
        let port =
            try c["port"].map { v throws(ConfigurationError) in try integer(v, "\(ck).port", min: 1, what: "a port from 1 to 65535") }
            ?? 3306
        guard port <= 65535 else { throw fail("\(ck).port", "expected a port from 1 to 65535, found \(port)") }
        var options: [String: String] = [:]
        if let tls = c["tls"] {
            let mode = try string(tls, "\(ck).tls")
            guard ["disabled", "preferred", "required", "verify_ca", "verify_identity"].contains(mode) else {
                throw fail("\(ck).tls", "expected disabled, preferred, required, verify_ca or verify_identity, found \"\(mode)\"")
            }
            options["tls"] = mode
        }
        if let ca = c["ca_file"] { options["ca"] = try string(ca, "\(ck).ca_file") }
        source.url = .mysql(
            .init(
                user: try string(c["user"]!, "\(ck).user"), host: try string(c["host"]!, "\(ck).host"), port: port,
                database: try string(c["database"]!, "\(ck).database"), options: options))
        if let env = c["password_env"] { source.passwordEnvironmentVariable = try string(env, "\(ck).password_env") }
        if let file = c["password_file"] { source.passwordFile = try string(file, "\(ck).password_file") }
        if let h = c["use_heatwave_engine"] { source.useHeatWaveEngine = try bool(h, "\(ck).use_heatwave_engine") }
        if let p = c["connection_pool"] {
            let pk = "\(ck).connection_pool"
            let pool = try object(p, pk)
            try checkKeys(pool, allowed: ["min_connections", "max_connections", "connection_timeout"], pk)
            if let v = pool["min_connections"] {
                source.pool.minConnections = try integer(
                    v, "\(pk).min_connections", min: 0, max: 1_000, what: "a whole number of connections from 0 to 1000")
            }
            if let v = pool["max_connections"] {
                source.pool.maxConnections = try integer(
                    v, "\(pk).max_connections", min: 1, max: 1_000, what: "a whole number of connections from 1 to 1000")
            }
            if let v = pool["connection_timeout"] {
                source.pool.connectionTimeout = try number(
                    v, "\(pk).connection_timeout", in: 0.001...3_600, what: "a number of seconds from 0.001 to 3600")
            }
            guard source.pool.minConnections <= source.pool.maxConnections else {
                throw fail(
                    "\(pk).min_connections", "is \(source.pool.minConnections), more than max_connections (\(source.pool.maxConnections))")
            }
        }
        return source
    }

    func agent(_ value: JSONValue, _ name: String) throws(ConfigurationError) -> Configuration.Agent {
        let key = "agents.\(name)"
        let o = try object(value, key)
        let flags = ["heatwave_optimized", "parallel_queries", "use_ml_predictions"]
        try checkKeys(o, allowed: ["enabled", "timeout", "retries", "thresholds"] + flags, key)
        var agent = Configuration.Agent()
        if let v = o["enabled"] { agent.enabled = try bool(v, "\(key).enabled") }
        if let v = o["timeout"] {
            let what = "a number of seconds from 0.001 to \(Int(Configuration.maxAgentTimeout)) (a day)"
            agent.timeout = try number(v, "\(key).timeout", in: 0.001...Configuration.maxAgentTimeout, what: what)
        }
        if let v = o["retries"] {
            agent.retries = try integer(v, "\(key).retries", min: 0, max: 100, what: "a whole number of retries from 0 to 100")
        }
        for flag in flags { if let v = o[flag] { agent.options[flag] = try bool(v, "\(key).\(flag)") } }
        if let t = o["thresholds"] {
            let thresholds = try object(t, "\(key).thresholds")
            let known = agents.first { $0.name == name }?.thresholds ?? [:]
            for name in thresholds.keys.sorted() {
                let path = "\(key).thresholds.\(name)"
                guard let spec = known[name] else {
                    let names = known.keys.sorted()
                    throw fail(
                        path,
                        names.isEmpty
                            ? "unknown threshold; this agent reads no thresholds"
                            : "unknown threshold; expected one of: \(names.joined(separator: ", "))")
                }
                let range = "from \(format(spec.range.lowerBound)) to \(format(spec.range.upperBound))"
                let what = spec.wholeNumber ? "a whole number \(range) (\(spec.unit))" : "a number \(range) (\(spec.unit))"
                let value = try number(thresholds[name] ?? .null, path, in: spec.range, what: what)
                guard !spec.wholeNumber || value == value.rounded() else { throw fail(path, "expected \(what), found \(format(value))") }
                agent.thresholds[name] = value
            }
        }
        return agent
    }

    func workflow(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Workflow {
        let o = try object(value, key)
        try checkKeys(
            o, allowed: ["max_concurrent_agents", "retry_backoff_seconds", "default_analysis", "seed", "schedule", "catch_up"], key)
        var w = Configuration.Workflow()
        if let v = o["max_concurrent_agents"] {
            w.maxConcurrentAgents = try integer(v, "\(key).max_concurrent_agents", min: 1, max: 64, what: "a whole number from 1 to 64")
        }
        if let v = o["retry_backoff_seconds"] {
            w.retryBackoffSeconds = try number(v, "\(key).retry_backoff_seconds", in: 0...3_600, what: "a number of seconds from 0 to 3600")
        }
        if let v = o["default_analysis"] {
            let name = try string(v, "\(key).default_analysis")
            guard Configuration.analyses.contains(name) else {
                throw fail(
                    "\(key).default_analysis", "expected one of: \(Configuration.analyses.joined(separator: ", ")), found \(describe(v))")
            }
            w.defaultAnalysis = name
        }
        if let v = o["seed"] { w.seed = UInt64(try integer(v, "\(key).seed", min: 0, what: "a whole number, 0 or more")) }
        if let v = o["schedule"] { w.schedule = try schedule(v, "\(key).schedule") }
        if let v = o["catch_up"] { w.catchUp = try bool(v, "\(key).catch_up") }
        return w
    }

    func output(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Output {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["directory", "formats"], key)
        var out = Configuration.Output()
        if let v = o["directory"] { out.directory = try string(v, "\(key).directory") }
        if let v = o["formats"] {
            guard case .array(let list) = v else { throw fail("\(key).formats", "expected an array of strings, found \(describe(v))") }
            let known = ["json", "markdown", "html", "dashboard"]
            out.formats = []
            for (i, item) in list.enumerated() {
                let f = try string(item, "\(key).formats[\(i)]")
                guard known.contains(f) else {
                    throw fail("\(key).formats[\(i)]", "expected one of \(known.joined(separator: ", ")), found \"\(f)\"")
                }
                out.formats.append(f)
            }
        }
        return out
    }
}

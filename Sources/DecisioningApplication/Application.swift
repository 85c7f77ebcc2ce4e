public import DecisioningAgents
public import DecisioningAnalytics
public import DecisioningCore
public import DecisioningStore
import Foundation
public import Logging

/// The application layer: the use cases the command line, the HTTP service and the MCP server share.
/// Front ends parse and print; everything they do with a store, a flow or an analysis is here.
///
/// An `Application` is one opened, migrated store with its configuration: open it once
/// (`Application.open`), then call its use cases — generate if empty, start a flow, list and load
/// runs, run a named analysis, ingest files, summarise the database. The calls block on the
/// database (every engine is a blocking C library); async front ends call them on the bounded
/// `BlockingPool.shared` (`BlockingPool.shared.run`), except `startFlow`, which is asynchronous itself.
public struct Application: Sendable {
    /// The release, as `decisioning --version` and the MCP server report it.
    public static let version = "0.1.0"

    public let store: any Store
    public let url: DatabaseURL
    public let configuration: Configuration
    public let logger: Logger
    /// Shared by the flows and analyses of this application, so tables loaded once stay loaded.
    public let warehouse: Warehouse

    public init(store: any Store, url: DatabaseURL, configuration: Configuration, logger: Logger = Application.silentLogger) {
        self.store = store
        self.url = url
        self.configuration = configuration
        self.logger = logger
        self.warehouse = Warehouse(
            store: store, logger: logger, snapshots: ColumnSnapshotSettings.resolve(for: url, configuration: configuration))
        // Every agent that may run at once, and every connection the store may hold, gets a thread.
        BlockingPool.shared.reserve(
            configuration.workflow.maxConcurrentAgents + (configuration.primaryDataSource?.pool.maxConnections ?? 0) + 2)
    }

    /// What opening may do to the database.
    public enum Access: Sendable {
        /// Create the database when it does not exist (init, generate, ingest, demo).
        case createIfMissing
        /// Only open a database that exists: a command that reads must not create an empty one.
        case existing
    }

    /// The configuration in `file`, or the defaults when there is none; `agents.<name>` must name an
    /// agent of `registry`, and its thresholds be the agent's own.
    public static func loadConfiguration(file: String?, registry: AgentRegistry = .standard) throws -> Configuration {
        guard let file else { return Configuration() }
        let configuration = try registry.loadConfiguration(file: file)
        // The semantic model's additions are checked now, so that every command refuses a bad one by its key.
        do {
            _ = try SemanticModel.forConfiguration(configuration)
        } catch var error {
            error.file = file
            throw error
        }
        return configuration
    }

    /// The database to use: `explicit` (a URL given by the user), else the configuration's first
    /// data source, else `sqlite:decisioning.sqlite`.
    public static func databaseURL(_ explicit: String?, configuration: Configuration) throws -> DatabaseURL {
        if let explicit { return try DatabaseURL(parsing: explicit) }
        return configuration.primaryDataSource?.url ?? .defaultURL
    }

    /// Opens and migrates the store `database` (a URL, or nil for the configuration's) names.
    public static func open(
        database: String?, configuration: Configuration, access: Access = .createIfMissing,
        logger: Logger = Application.silentLogger
    ) throws -> Application {
        try open(databaseURL(database, configuration: configuration), configuration: configuration, access: access, logger: logger)
    }

    /// Opens and migrates the store at `url`. With `.existing`, a SQLite file that does not exist
    /// is refused (`ApplicationError.noDatabase`) instead of being created empty.
    public static func open(
        _ url: DatabaseURL, configuration: Configuration, access: Access = .createIfMissing,
        logger: Logger = Application.silentLogger
    ) throws -> Application {
        if access == .existing, case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            throw ApplicationError.noDatabase(path: path)
        }
        logger.debug("opening store", metadata: ["db.url": "\(url)"])
        let store = try StoreOpener.open(url, configuration: configuration)
        let applied = try store.migrate()
        if !applied.isEmpty { logger.info("applied migrations", metadata: ["db.migrations": "\(applied.joined(separator: ","))"]) }
        return Application(store: store, url: url, configuration: configuration, logger: logger)
    }

    /// A logger that drops everything (the default when a front end gives none).
    public static var silentLogger: Logger { Logger(label: "decisioning") { _ in SwiftLogNoOpLogHandler() } }
}

/// What a use case refuses, with what to do about it. `description` is the message a front end shows.
public enum ApplicationError: Error, CustomStringConvertible, Equatable {
    /// A command that reads found no database file.
    case noDatabase(path: String)
    /// `runAnalysis` was given a name that is no named analysis.
    case unknownAnalysis(name: String, choices: [String])
    /// `startFlow` was given an analysis the flow does not perform.
    case unknownFlowAnalysis(name: String, offered: [String])
    /// `loadRun` found no run with this id.
    case runNotFound(id: String)
    /// The run is stored, but without results (or with results that cannot be read).
    case runUnreadable(id: String, reason: String)
    /// `ingest` was given a table that is no business table.
    case unknownTable(name: String, choices: [String])

    public var description: String {
        switch self {
        case .noDatabase(let path):
            return
                "no database at \(TerminalText.quoted(path)); create one with `decisioning init --database sqlite:\(TerminalText.quoted(path))` (then generate or ingest data) or `decisioning demo`, or check the path"
        case .unknownAnalysis(let name, let choices):
            return "unknown analysis '\(TerminalText.quoted(name))'; choose one of: \(choices.joined(separator: ", "))"
        case .unknownFlowAnalysis(let name, let offered):
            return "unknown analysis '\(TerminalText.quoted(name))'; the flow offers: \(offered.joined(separator: ", "))"
        case .runNotFound(let id):
            return "no run '\(TerminalText.quoted(id))' in this database; list the stored runs to find its id, or check the database"
        case .runUnreadable(let id, let reason):
            return "run '\(TerminalText.quoted(id))' is stored without readable results (\(reason)); run the flow again"
        case .unknownTable(let name, let choices):
            return "unknown table '\(TerminalText.quoted(name))'; choose one of: \(choices.joined(separator: ", "))"
        }
    }
}

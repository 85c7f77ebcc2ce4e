import ArgumentParser
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Logging

/// Options every command takes: where the data lives, the configuration file, how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The database: sqlite:PATH or mysql://USER@HOST:PORT/DB?tls=MODE (default: the configuration's first data source, else sqlite:decisioning.sqlite).")
    var database: String?

    @Option(name: .long, help: "A JSON configuration file in the seed's shape (data_sources, agents, workflow, output).")
    var config: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = LogLevelArgument(.notice)

    func validate() throws {
        if let database { _ = try DatabaseURL(parsing: database) }
    }

    func loadConfiguration() throws -> Configuration {
        guard let config else { return Configuration() }
        return try Configuration.load(file: config)
    }

    func databaseURL(_ configuration: Configuration) throws -> DatabaseURL {
        if let database { return try DatabaseURL(parsing: database) }
        return configuration.primaryDataSource?.url ?? .defaultURL
    }

    /// Where the generator's planted truth for `url` is kept: beside a SQLite file, or in the
    /// working directory for a server database (`HOST_PORT_DB.truth.json`).
    static func truthPath(for url: DatabaseURL) -> String {
        switch url {
        case .sqlite(let path): return GroundTruth.path(besideDatabase: path)
        case .mysql(let e): return "\(e.host)_\(e.port)_\(e.database).truth.json"
        }
    }

    func makeLogger() -> Logger {
        var logger = Logger(label: "decisioning") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = logLevel.level
        return logger
    }

    /// Opens and migrates the store the options name. A command that only reads (`existing`)
    /// refuses a SQLite file that does not exist instead of creating an empty database.
    func openStore(logger: Logger, existing: Bool = false) throws -> (any Store, DatabaseURL) {
        let configuration = try loadConfiguration()
        let url = try databaseURL(configuration)
        if existing, case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            throw CommandError(
                "no database at \(TerminalText.quoted(path)); create one with `decisioning init --database sqlite:\(TerminalText.quoted(path))` (then generate or ingest data) or `decisioning demo`, or check the path")
        }
        logger.debug("opening store", metadata: ["db.url": "\(url)"])
        let store = try StoreOpener.open(url, configuration: configuration)
        let applied = try store.migrate()
        if !applied.isEmpty { logger.info("applied migrations", metadata: ["db.migrations": "\(applied.joined(separator: ","))"]) }
        return (store, url)
    }
}

/// A log level argument (swift-log's levels by name).
struct LogLevelArgument: ExpressibleByArgument {
    var level: Logger.Level
    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }
    init(_ level: Logger.Level) { self.level = level }
    var defaultValueDescription: String { level.rawValue }
}

/// A calendar date argument in YYYY-MM-DD form.
struct DayArgument: ExpressibleByArgument {
    var day: Day
    init?(argument: String) {
        guard let day = Day(iso: argument) else { return nil }
        self.day = day
    }

    static var today: Day {
        let seconds = Int64(Date().timeIntervalSince1970)
        return Timestamp(seconds: seconds).day
    }
}


/// A command's own error: printed as `Error: MESSAGE` with exit code 1.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import ArgumentParser
import DecisioningApplication
import DecisioningCore
import Foundation
import Logging

/// Options every command takes: where the data lives, the configuration file, how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The database: sqlite:PATH or mysql://USER@HOST:PORT/DB?tls=MODE (default: the configuration's first data source, else sqlite:decisioning.sqlite)."
    )
    var database: String?

    @Option(name: .long, help: "A JSON configuration file in the seed's shape (data_sources, agents, workflow, output).")
    var config: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = LogLevelArgument(.notice)

    func validate() throws {
        if let database { _ = try DatabaseURL(parsing: database) }
    }

    func loadConfiguration() throws -> Configuration { try Application.loadConfiguration(file: config) }

    func databaseURL(_ configuration: Configuration) throws -> DatabaseURL {
        try Application.databaseURL(database, configuration: configuration)
    }

    func makeLogger() -> Logger {
        var logger = Logger(label: "decisioning") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = logLevel.level
        return logger
    }

    /// Opens and migrates the store the options name. A command that only reads (`existing`)
    /// refuses a SQLite file that does not exist instead of creating an empty database.
    func open(logger: Logger, existing: Bool = false) throws -> Application {
        try Application.open(
            database: database, configuration: loadConfiguration(), access: existing ? .existing : .createIfMissing, logger: logger)
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

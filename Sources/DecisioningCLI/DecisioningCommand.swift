public import ArgumentParser
import DecisioningApplication
import DecisioningCore

/// `decisioning`: turns operational data into ranked, evidence-backed decisions.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct DecisioningCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decisioning",
        abstract: "Turn a company's operational data into ranked, evidence-backed decisions.",
        version: Application.version,
        subcommands: [
            DemoCommand.self, InitCommand.self, GenerateCommand.self, IngestCommand.self, QueryCommand.self, AskCommand.self,
            SQLCommand.self,
            RunCommand.self, RunsCommand.self, BenchCommand.self, DoctorCommand.self, ForecastCommand.self, ServeCommand.self,
            KeysCommand.self, MCPCommand.self, MigrateCommand.self, SimilarCommand.self, EmbeddingsCommand.self,
            VectorsCommand.self, EmbedCommand.self, SearchCommand.self,
        ])

    public init() {}

    /// The entry point: parses the command line and runs the command, async ones included.
    public static func entry() async {
        do {
            try refuseHelpForUnknownCommands(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// `decisioning help NAME [SUBNAME…]` for a name that is no command: argument-parser prints the
    /// top-level help and exits 0, which hides the typo from a script. Each name is looked up among
    /// the subcommands of the one before it (`help bench flow`).
    static func refuseHelpForUnknownCommands(_ arguments: [String]) throws {
        guard arguments.first == "help", arguments.count > 1 else { return }
        var level: [any ParsableCommand.Type] = configuration.subcommands
        var path: [String] = []
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let names = level.compactMap { $0.configuration.commandName }
            guard let command = level.first(where: { $0.configuration.commandName == name }) else {
                let under = path.isEmpty ? "" : " under '\(path.joined(separator: " "))'"
                throw ValidationError(
                    "no command '\(TerminalText.quoted(name))'\(under) to show help for; commands: \(names.joined(separator: ", "))")
            }
            path.append(name)
            level = command.configuration.subcommands
        }
    }
}

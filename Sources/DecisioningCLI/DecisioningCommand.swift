public import ArgumentParser

/// `decisioning`: turns operational data into ranked, evidence-backed decisions.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct DecisioningCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decisioning",
        abstract: "Turn a company's operational data into ranked, evidence-backed decisions.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, InitCommand.self, GenerateCommand.self, IngestCommand.self, QueryCommand.self, SQLCommand.self, RunCommand.self, BenchCommand.self, DoctorCommand.self])

    public init() {}

    /// The entry point: parses the command line and runs the command, async ones included.
    public static func entry() async {
        do {
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
}

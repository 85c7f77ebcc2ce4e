public import ArgumentParser

/// `decisioning`: turns operational data into ranked, evidence-backed decisions.
public struct DecisioningCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decisioning",
        abstract: "Turn a company's operational data into ranked, evidence-backed decisions.",
        version: "0.1.0",
        subcommands: [DemoCommand.self, InitCommand.self, GenerateCommand.self, IngestCommand.self, QueryCommand.self, SQLCommand.self, BenchCommand.self])

    public init() {}
}

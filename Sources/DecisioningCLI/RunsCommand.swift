import ArgumentParser
import DecisioningApplication
import DecisioningCore
import Foundation

/// Lists the runs stored in the database, newest first, or prints one run's stored results.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the stored runs, newest first, or print one run's results.",
        discussion: "With --id, prints the run's results.json exactly as it was stored.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Print the stored results.json of this run instead of the list.")
    var id: String?

    @Option(help: "The most runs to list (1 to 100000).")
    var limit = 20

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000, found \(limit)") }
    }

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        if let id {
            FileHandle.standardOutput.write(try app.loadRunJSON(id: id))
            print()
            return
        }
        let runs = try app.listRuns(limit: limit)
        switch format {
        case .text:
            print(RunsText.table(runs))
        case .json:
            print(try RunsText.json(runs))
        }
    }
}

import ArgumentParser
import DecisioningApplication
import DecisioningStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the database (if needed) and apply pending migrations.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let url = try global.databaseURL(configuration)
        let store = try StoreOpener.open(url, configuration: configuration)
        let applied = try store.migrate()
        let all = try store.appliedMigrations()
        print(
            applied.isEmpty
                ? "\(url): schema is current (\(all.count) migrations: \(all.joined(separator: ", ")))"
                : "\(url): applied \(applied.joined(separator: ", "))")
        logger.debug("init done")
    }
}

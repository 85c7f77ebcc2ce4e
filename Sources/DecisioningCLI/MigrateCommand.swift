import ArgumentParser
import DecisioningApplication
import DecisioningCore
import Foundation

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the business tables from one store to another (SQLite ⇄ MySQL/MariaDB/HeatWave), resumably, and verify the copy.",
        discussion: """
            Each table is copied in primary-key order, one destination transaction per batch. Interrupted (even by kill -9), \
            the same command continues: rows the destination already holds unchanged are not written again. A destination \
            row with a source row's key but other values stops the migration with the table and key named, unless \
            --overwrite replaces it. At the end, row counts and checksums over the keys and DECIMAL (money) columns are \
            compared per table and printed; on HeatWave the copied analytic tables are then loaded into RAPID. \
            Passwords never go in a URL: they come from the configuration's data source for that URL (password_env, \
            password_file), else DECISIONING_DB_PASSWORD.
            """)

    @Option(help: "The source store: sqlite:PATH or mysql://USER@HOST:PORT/DB?tls=MODE. It must exist.")
    var from: String

    @Option(help: "The destination store (created and migrated when it is a new SQLite file or an empty database).")
    var to: String

    @Option(
        parsing: .upToNextOption,
        help: "The tables to copy, space- or comma-separated (default: all): \(MigrationTablePlan.allowedTables.joined(separator: ", ")).")
    var tables: [String] = []

    @Option(help: "Rows per batch (one destination transaction each), 1 to 10000.")
    var batchSize = 1000

    @Flag(help: "Replace destination rows whose key a source row has but whose values differ, instead of stopping.")
    var overwrite = false

    @Option(name: .long, help: "A JSON configuration file: its data_sources give each mysql:// URL its password and pool.")
    var config: String?

    var tableNames: [String] { tables.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        for (option, text) in [("--from", from), ("--to", to)] {
            do throws(ConfigurationError) { _ = try DatabaseURL(parsing: text) } catch {
                throw ValidationError("\(option): \(error.message)")
            }
        }
        do throws(MigrationError) { _ = try MigrationTablePlan.plans(for: tableNames) } catch { throw ValidationError(error.description) }
        guard StoreMigration.batchSizes.contains(batchSize) else {
            throw ValidationError(MigrationError.invalidBatchSize(given: batchSize, allowed: StoreMigration.batchSizes).description)
        }
    }

    func run() throws {
        let configuration = try Application.loadConfiguration(file: config)
        let migration = try StoreMigration.open(
            from: try DatabaseURL(parsing: from), to: try DatabaseURL(parsing: to), configuration: configuration,
            tables: tableNames.isEmpty ? nil : tableNames, batchSize: batchSize, overwrite: overwrite)
        let progress = ProgressReporter(label: "migrate")
        do {
            _ = try migration.run(
                progress: { step in
                    progress.update(
                        done: Int64(step.done), total: Int64(step.total),
                        detail: "\(step.phase.rawValue) \(step.table): \(step.done) of \(step.total)")
                },
                report: { report in
                    progress.finish()
                    print(MigrationText.report(report))
                })
        } catch {
            progress.finish()
            throw error
        }
    }
}

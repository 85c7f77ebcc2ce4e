import ArgumentParser
import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load CSV or JSONL files into a table, atomically and idempotently.",
        discussion: """
            CSV files need a header row with the table's column names; JSONL files hold one JSON object per line.
            All files of one call are one batch: a bad value aborts it and nothing is written, unless
            --max-rejected allows skipping some bad rows. Rows whose primary key is already present are skipped
            (re-running an ingest changes nothing) unless --upsert replaces them.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The table to load: \(Catalog.businessTables.map(\.name).joined(separator: ", ")).")
    var table: String

    @Flag(help: "Replace rows whose primary key is already present instead of skipping them.")
    var upsert = false

    @Option(help: "Skip up to this many invalid rows (reported) instead of aborting the batch.")
    var maxRejected = 0

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Argument(help: "CSV (.csv) or JSONL (.jsonl, .ndjson) files.")
    var files: [String]

    func validate() throws {
        guard let schema = Catalog.table(named: table), Catalog.businessTables.contains(schema) else {
            throw ValidationError("unknown table '\(table)'; choose one of: \(Catalog.businessTables.map(\.name).joined(separator: ", "))")
        }
        guard maxRejected >= 0 else { throw ValidationError("--max-rejected must be 0 or more") }
    }

    func run() throws {
        let logger = global.makeLogger()
        let (store, _) = try global.openStore(logger: logger)
        let schema = Catalog.table(named: table)!
        let progress = ProgressReporter(label: "ingest \(table)")
        let ingestor = Ingestor(
            store: store, table: schema,
            options: IngestOptions(onConflict: upsert ? .replace : .skip, maxRejected: maxRejected),
            progress: { done, total in progress.update(done: done, total: total, detail: "\(done >> 20) of \(total >> 20) MiB") })
        let summary: IngestSummary
        do {
            summary = try ingestor.ingest(files: files)
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        switch format {
        case .json:
            let object: [String: Any] = [
                "table": summary.table, "inserted": summary.inserted, "skipped": summary.skipped, "rejected": summary.rejected,
                "files": summary.files, "bytes": summary.bytes, "seconds": summary.seconds,
                "errors": summary.errors.map(\.description),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        case .text:
            print("\(summary.table): \(summary.inserted) inserted, \(summary.skipped) skipped as already present, \(summary.rejected) rejected"
                + String(format: " (%d rows from %d file%@ in %.2f s, %.0f rows/s)", summary.rows, summary.files, summary.files == 1 ? "" : "s", summary.seconds, summary.rowsPerSecond))
            for error in summary.errors { print("  rejected: \(error)") }
            if summary.rejected > summary.errors.count { print("  … and \(summary.rejected - summary.errors.count) more") }
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

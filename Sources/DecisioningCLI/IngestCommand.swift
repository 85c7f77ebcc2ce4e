import ArgumentParser
import DecisioningApplication
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

    @Option(help: "text or json (the report on standard output, also when the ingest fails).")
    var format: OutputFormat = .text

    @Option(
        help:
            "csv or jsonl: the format of every input file, whatever its name (e.g. /dev/stdin). Without it the extension decides (.csv, .jsonl, .ndjson); a name without one is read as JSONL when it starts with '{', else as CSV."
    )
    var inputFormat: InputFormatArgument?

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
        let app = try global.open(logger: logger)
        let progress = ProgressReporter(label: "ingest \(table)")
        let summary: IngestSummary
        do {
            summary = try app.ingest(
                table: table, files: files,
                options: IngestOptions(onConflict: upsert ? .replace : .skip, maxRejected: maxRejected, format: inputFormat?.format),
                progress: { done, total in progress.update(done: done, total: total, detail: "\(done >> 20) of \(total >> 20) MiB") },
                notice: { message in logger.notice("\(message)") })
        } catch {
            progress.finish()
            if format == .json { try IngestCommand.printFailure(error, table: table) }
            throw error
        }
        progress.finish()
        switch format {
        case .json:
            print(IngestReport.succeeded(summary).canonicalText)
        case .text:
            let replaced = upsert ? "\(summary.replaced) replaced, " : ""
            print(
                "\(summary.table): \(summary.inserted) inserted, \(replaced)\(summary.skipped) skipped as already present, \(summary.rejected) rejected"
                    + String(
                        format: " (%d rows from %d file%@ in %.2f s, %.0f rows/s)", summary.rows, summary.files,
                        summary.files == 1 ? "" : "s", summary.seconds, summary.rowsPerSecond))
            for error in summary.errors { print("  rejected: \(error)") }
            if summary.rejected > summary.errors.count { print("  … and \(summary.rejected - summary.errors.count) more") }
        }
    }
}

extension IngestCommand {
    /// `{"status":"failed","table":…,"error":{…}}` on standard output for `--format json`; the error
    /// also goes to standard error and the exit status is not 0, as for text.
    static func printFailure(_ error: any Error, table: String) throws {
        print(IngestReport.failed(error, table: table).canonicalText)
    }
}

enum InputFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl

    var format: InputFormat { self == .csv ? .csv : .jsonl }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

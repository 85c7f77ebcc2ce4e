public import DecisioningCore
public import DecisioningStore
import Foundation

/// Loads CSV and JSON Lines files into one table of a `Store`, validating every value against the
/// table's schema.
///
/// All files of one `ingest(files:)` call form one atomic batch: either every good row is written
/// or, when the batch is aborted, nothing is. Format follows `IngestOptions.format`, else the
/// extension: `.csv` (a header row naming columns, RFC 4180 quoting), `.jsonl` or `.ndjson` (one JSON
/// object per line); a name without an extension is JSON Lines when its first character is `{`, else CSV.
public final class Ingestor {
    public let store: any Store
    public let table: TableSchema
    public let options: IngestOptions
    private let progress: ((Int64, Int64) -> Void)?

    private let notice: (@Sendable (String) -> Void)?

    /// - Parameters:
    ///   - progress: called with (bytes done, bytes total) every 65,536 rows and after each file.
    ///   - notice: called, possibly on another thread, with a message when the ingest waits (for a writer to open a FIFO it reads).
    public init(
        store: any Store, table: TableSchema, options: IngestOptions = IngestOptions(),
        progress: ((_ bytesDone: Int64, _ bytesTotal: Int64) -> Void)? = nil,
        notice: (@Sendable (String) -> Void)? = nil
    ) {
        self.store = store
        self.table = table
        self.options = options
        self.progress = progress
        self.notice = notice
    }

    typealias Format = InputFormat

    /// Validates and writes the rows of `files` in one transaction.
    ///
    /// - Throws: `IngestError` for a missing, unreadable or malformed file and, in strict mode
    ///   (`maxRejected` 0), for the first bad row; `IngestAborted` when more rows are bad than
    ///   `maxRejected` allows. In every case nothing was written. Errors of the store itself (it cannot
    ///   start or commit the transaction) propagate unchanged.
    public func ingest(files paths: [String]) throws -> IngestSummary {
        let clock = ContinuousClock()
        let started = clock.now
        precondition(table.columns.count <= 64, "ingest handles tables of at most 64 columns")
        let formats = try paths.map { path throws(IngestError) -> Format? in
            if let format = options.format { return format }
            return try Ingestor.format(of: path)
        }
        var inputs: [InputFile] = []
        var seen: [FileIdentity: String] = [:]
        for path in paths {
            let input = try InputFile(path: path, bufferSize: options.readBufferSize, waiting: notice)
            if let first = seen.updateValue(path, forKey: input.identity) {
                let how = first == path ? "is given twice" : "is the same file as '\(TerminalText.escaped(first, escapeTabs: true))'"
                throw IngestError(file: path, line: 0, message: "\(how); give each file once (its rows would otherwise be read twice)")
            }
            inputs.append(input)
        }
        let totalBytes = inputs.reduce(0) { $0 + $1.size }
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
        // A store that tracks the batch's keys tells replaced rows itself.
        let storedKeys = options.onConflict == .replace && !store.tracksBatchKeys ? try primaryKeys() : nil

        var summary = try store.writeBatch { writer in
            let batch = IngestBatch(
                table: table, writer: writer, options: options, files: paths, now: now,
                totalBytes: totalBytes, progress: progress)
            batch.storedKeys = storedKeys
            if options.rebuildIndexes { _ = try writer.prepareBulkLoad(into: table) }
            for (index, input) in inputs.enumerated() {
                batch.current = input
                let start = try Encoding.start(of: input)
                switch try formats[index] ?? Encoding.sniff(input, from: start) {
                case .csv: try CSVLoader(input: input, fileIndex: index, batch: batch).load(from: start)
                case .jsonl: try JSONLLoader(input: input, fileIndex: index, batch: batch).load(from: start)
                }
                batch.doneBytes += input.size
                batch.current = nil
                batch.reportProgress(batch.doneBytes)
            }
            try batch.finish()
            return batch.summary
        }
        summary.files = paths.count
        summary.bytes = totalBytes
        summary.seconds = (clock.now - started).seconds
        return summary
    }

    /// The format the file name tells, or nil when it has no extension (the content then decides).
    static func format(of path: String) throws(IngestError) -> Format? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst().last?.lowercased()
        switch ext {
        case "csv": return .csv
        case "jsonl", "ndjson": return .jsonl
        case nil: return nil
        case let ext?:
            throw IngestError(
                file: path, line: 0,
                message: "cannot tell the format from the file name (\(TerminalText.singleQuoted("." + ext))); "
                    + "use .csv, .jsonl or .ndjson, or name the format (--input-format csv|jsonl)")
        }
    }

    /// The primary keys already in the table, as `IngestBatch.key` forms them, so that an upsert can
    /// count replaced rows apart from inserted ones (the stores report a written row either way).
    private func primaryKeys() throws -> Set<String> {
        var keys = Set<String>()
        let positions = Array(table.primaryKey.indices)
        try store.scan(table, columns: table.primaryKey, batchSize: 8192) { rows in
            for row in rows { keys.insert(IngestBatch.key(row, positions)) }
        }
        return keys
    }
}

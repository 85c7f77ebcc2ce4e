public import DecisioningCore
public import DecisioningStore
import Foundation

/// Loads CSV and JSON Lines files into one table of a `Store`, validating every value against the
/// table's schema.
///
/// All files of one `ingest(files:)` call form one atomic batch: either every good row is written
/// or, when the batch is aborted, nothing is. Format follows the extension: `.csv` (a header row
/// naming columns, RFC 4180 quoting), `.jsonl` or `.ndjson` (one JSON object per line).
public final class Ingestor {
    public let store: any Store
    public let table: TableSchema
    public let options: IngestOptions
    private let progress: ((Int64, Int64) -> Void)?

    /// - Parameter progress: called with (bytes done, bytes total) every 65,536 rows and after each file.
    public init(store: any Store, table: TableSchema, options: IngestOptions = IngestOptions(),
                progress: ((_ bytesDone: Int64, _ bytesTotal: Int64) -> Void)? = nil) {
        self.store = store
        self.table = table
        self.options = options
        self.progress = progress
    }

    enum Format { case csv, jsonl }

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
        let formats = try paths.map { path throws(IngestError) in try Ingestor.format(of: path) }
        let inputs = try paths.map { path throws(IngestError) in try InputFile(path: path, bufferSize: options.readBufferSize) }
        let totalBytes = inputs.reduce(0) { $0 + $1.size }
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))

        var summary = try store.writeBatch { writer in
            let batch = IngestBatch(table: table, writer: writer, options: options, files: paths, now: now,
                                    totalBytes: totalBytes, progress: progress)
            for (index, input) in inputs.enumerated() {
                batch.current = input
                switch formats[index] {
                case .csv: try CSVLoader(input: input, fileIndex: index, batch: batch).load()
                case .jsonl: try JSONLLoader(input: input, fileIndex: index, batch: batch).load()
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
        let elapsed = (clock.now - started).components
        summary.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return summary
    }

    static func format(of path: String) throws(IngestError) -> Format {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst().last?.lowercased()
        switch ext {
        case "csv": return .csv
        case "jsonl", "ndjson": return .jsonl
        default:
            let found = ext.map { "'.\($0)'" } ?? "no extension"
            throw IngestError(file: path, line: 0, message: "cannot tell the format from the file name (\(found)); use .csv, .jsonl or .ndjson")
        }
    }
}

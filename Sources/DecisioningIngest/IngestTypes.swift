import DecisioningCore
public import DecisioningStore

/// How an ingest treats rows already in the table and rows that fail validation.
public struct IngestOptions: Sendable, Hashable {
    /// What happens to a row whose primary key is already in the table (from before this ingest):
    /// `.skip` keeps the stored row, so re-ingesting a file is idempotent; `.replace` overwrites it
    /// (upsert); `.fail` rejects the row.
    public var onConflict: ConflictPolicy
    /// How many bad rows may be skipped. 0 is strict: the first bad row aborts the whole batch and
    /// nothing is written. N > 0 skips up to N bad rows (counted in `IngestSummary.rejected`, their
    /// errors kept) and aborts the batch, writing nothing, when a row beyond that is bad.
    public var maxRejected: Int
    /// Bytes read from a file at a time (a record larger than this grows the buffer).
    public var readBufferSize: Int
    /// The format of every file; nil follows each file's extension (`.csv`, `.jsonl`, `.ndjson`) and,
    /// for a name without an extension (`/dev/stdin`, a FIFO), the first character of its content.
    public var format: InputFormat?
    /// Whether a load into an empty table may set its secondary indexes aside and build them once at
    /// the end, inside the same transaction (`BatchWriter.prepareBulkLoad`). False keeps every index
    /// up to date row by row; the result is the same table and indexes either way.
    public var rebuildIndexes: Bool

    public init(
        onConflict: ConflictPolicy = .skip, maxRejected: Int = 0, readBufferSize: Int = 4 << 20, format: InputFormat? = nil,
        rebuildIndexes: Bool = true
    ) {
        self.onConflict = onConflict
        self.maxRejected = maxRejected
        self.readBufferSize = readBufferSize
        self.format = format
        self.rebuildIndexes = rebuildIndexes
    }
}

/// The format of an input file.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV with a header row.
    case csv
    /// JSON Lines: one JSON object per line.
    case jsonl
}

/// What one `Ingestor.ingest(files:)` call did.
public struct IngestSummary: Sendable, Hashable {
    /// At most this many rejected rows' errors are kept in `errors`.
    public static let maxReportedErrors = 100

    public var table: String
    /// Rows written whose primary key was not in the table before.
    public var inserted: Int = 0
    /// Rows that overwrote a stored row with the same primary key (`.replace`, i.e. `--upsert`).
    public var replaced: Int = 0
    /// Rows left out because a row with the same primary key was already in the table (`.skip`).
    public var skipped: Int = 0
    /// Bad rows left out (only when `IngestOptions.maxRejected` > 0).
    public var rejected: Int = 0
    /// The rejected rows' errors, in input order, the first `maxReportedErrors` of them.
    public var errors: [IngestError] = []
    public var files: Int = 0
    /// Bytes read from the input files.
    public var bytes: Int64 = 0
    /// Wall-clock time of the whole call, transaction commit included.
    public var seconds: Double = 0

    public init(table: String) { self.table = table }

    /// Data rows read: inserted, replaced, skipped and rejected.
    public var rows: Int { inserted + replaced + skipped + rejected }

    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
}

/// One problem with the input, located by file, line and, when it concerns one value, column.
///
/// `description` reads like a compiler diagnostic:
/// `projects.csv:17: column 'start_date': expected a date as YYYY-MM-DD, found '2024-13-01'`.
public struct IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path as it was given to `ingest(files:)`.
    public var file: String
    /// The 1-based physical line (where a multi-line CSV record starts); 0 for problems with the whole file.
    public var line: Int
    public var column: String?
    public var message: String

    public init(file: String, line: Int, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The error as one line; control characters in the path or in quoted data are escaped (`\u{1B}`),
    /// so that printing it cannot act on a terminal.
    public var description: String {
        let location =
            line > 0 ? "\(TerminalText.escaped(file, escapeTabs: true)):\(line): " : "\(TerminalText.escaped(file, escapeTabs: true)): "
        guard let column else { return location + TerminalText.escaped(message, escapeTabs: true) }
        return location + "column '\(TerminalText.escaped(column, escapeTabs: true))': " + TerminalText.escaped(message, escapeTabs: true)
    }
}

/// Thrown when more rows were bad than `IngestOptions.maxRejected` allows; nothing was written.
public struct IngestAborted: Error, Sendable, Hashable, CustomStringConvertible {
    public var maxRejected: Int
    /// The bad rows' errors, in input order, the first `IngestSummary.maxReportedErrors` of them.
    public var errors: [IngestError]

    public init(maxRejected: Int, errors: [IngestError]) {
        self.maxRejected = maxRejected
        self.errors = errors
    }

    public var description: String {
        var text = "more than \(maxRejected) bad row\(maxRejected == 1 ? "" : "s"); the ingest was aborted and nothing was written"
        for error in errors { text += "\n  " + error.description }
        return text
    }
}

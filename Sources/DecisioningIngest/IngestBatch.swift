import DecisioningCore
import DecisioningStore

/// The state of one ingest call inside its transaction: column parsers, the primary keys seen so
/// far, the counters and the rejected rows.
final class IngestBatch {
    let table: TableSchema
    let parsers: [ColumnParser]
    let writer: any BatchWriter
    let options: IngestOptions
    let files: [String]
    /// Columns that every header or JSON object must name: required columns and the primary key.
    let requiredMask: UInt64
    var summary: IngestSummary

    /// Primary keys written or skipped in this batch, with where they were first seen
    /// (file index in the upper 24 bits, line in the lower 40).
    private var keys: [String: UInt64] = [:]
    /// Where each row this batch inserted came from, by ordinal (for inserters that `tracksBatchKeys`).
    private var locations = RowLocations()
    /// Whether the inserters tell keys repeated within the batch themselves.
    private var tracked = false
    /// With `.replace`: the primary keys the table held before this batch (in the form of `keys`),
    /// so that a written row counts as replaced rather than inserted.
    var storedKeys: Set<String>?
    /// Every inserter opened in this batch, with the file it was opened for, to flush before commit.
    private var inserters: [(any RowInserter, Int)] = []
    private let progress: ((Int64, Int64) -> Void)?
    private let totalBytes: Int64
    /// Bytes of the files already finished.
    var doneBytes: Int64 = 0
    private var rowsSinceProgress = 0
    static let progressInterval = 65_536

    init(
        table: TableSchema, writer: any BatchWriter, options: IngestOptions, files: [String], now: Timestamp,
        totalBytes: Int64, progress: ((Int64, Int64) -> Void)?
    ) {
        self.table = table
        self.writer = writer
        self.options = options
        self.files = files
        self.totalBytes = totalBytes
        self.progress = progress
        parsers = table.columns.map {
            ColumnParser($0, now: now, isKey: ColumnDomain.isKey($0, of: table), domain: ColumnDomain.of(table.name, $0.name))
        }
        var mask: UInt64 = 0
        for (i, column) in table.columns.enumerated() where column.isRequired || table.primaryKey.contains(column.name) {
            mask |= 1 << UInt64(i)
        }
        requiredMask = mask
        summary = IngestSummary(table: table.name)
    }

    /// The columns named by `mask`, in table order.
    func columnNames(_ mask: UInt64) -> [String] {
        table.columns.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { table.columns[$0].name }
    }

    /// Positions of the primary-key columns within a row holding the columns of `mask` in table order.
    func keyPositions(_ mask: UInt64) -> [Int] {
        table.primaryKeyIndexes.map { index in (0..<index).filter { mask & (1 << UInt64($0)) != 0 }.count }
    }

    /// The error for a header or object that lacks required columns, or nil.
    func missingColumnsMessage(_ mask: UInt64) -> String? {
        let missing = requiredMask & ~mask
        guard missing != 0 else { return nil }
        let names = columnNames(missing).map { "'\($0)'" }
        let noun = names.count == 1 ? "column" : "columns"
        return "missing required \(noun) \(names.joined(separator: ", ")) for table \(table.name)"
    }

    func unknownColumnMessage(_ name: String) -> String {
        "unknown column \(TerminalText.singleQuoted(name)); table \(table.name) has columns: \(table.columnNames.joined(separator: ", "))"
    }

    func inserter(_ columns: [String], file: String) throws(IngestError) -> any RowInserter {
        do {
            let inserter = try writer.inserter(for: table, columns: columns, onConflict: options.onConflict)
            tracked = inserter.tracksBatchKeys
            inserters.append((inserter, files.firstIndex(of: file) ?? 0))
            return inserter
        } catch {
            throw IngestError(file: file, line: 0, message: "cannot insert into table \(table.name): \(error)")
        }
    }

    /// Writes the rows a store queued (MySQL's multi-row inserts) and corrects the counts for rows
    /// that turned out to be present already. A refused group is reported at the row whose key the
    /// server names, when the batch has seen that key.
    func finish() throws {
        for (inserter, file) in inserters {
            do {
                let skipped = try inserter.flush()
                summary.inserted -= skipped
                summary.skipped += skipped
            } catch {
                throw groupRefusal(error, file: file)
            }
        }
        inserters.removeAll()
        try writer.finishBulkLoads()
    }

    /// The error for a refusal of rows written in a group: the batch fails as a whole. A duplicate
    /// key is reported at the row of this batch that carries it, when there is one.
    func groupRefusal(_ error: StoreError, file: Int) -> IngestError {
        if error.kind == .duplicateKey, let key = error.key, let location = keys[key.replacingOccurrences(of: ", ", with: "\u{1F}")] {
            return IngestError(
                file: files[Int(location >> 40)], line: Int(location & 0xFF_FFFF_FFFF),
                message: "primary key \(TerminalText.singleQuoted(key)) is already in table \(table.name)")
        }
        return IngestError(file: files[file], line: 0, message: "the database refused a group of rows, so nothing was written: \(error)")
    }

    /// Sizes the primary-key table for `rows` more rows, so that it does not grow step by step.
    func expect(rows: Int) {
        guard !tracked else { return }  // the store tracks the batch's keys: `keys` stays small
        let wanted = keys.count + rows
        if wanted > keys.capacity { keys.reserveCapacity(wanted) }
    }

    /// Called by a loader after `rows` rows that took `bytes` bytes: estimates the rest of the file from them.
    func expect(rows: Int, inBytes bytes: Int64, remainingBytes: Int64) {
        guard rows > 0, bytes > 0 else { return }
        let estimate = Double(remainingBytes) / (Double(bytes) / Double(rows))
        expect(rows: Int(min(estimate * 1.05, 100_000_000)))
    }

    /// Records a bad row: in strict mode it becomes the thrown error, otherwise it is counted until
    /// there are more than `maxRejected`.
    func reject(_ error: IngestError) throws {
        guard options.maxRejected > 0 else { throw error }
        summary.rejected += 1
        if summary.errors.count < IngestSummary.maxReportedErrors { summary.errors.append(error) }
        if summary.rejected > options.maxRejected {
            throw IngestAborted(maxRejected: options.maxRejected, errors: summary.errors)
        }
        tick()
    }

    /// Writes one validated row, unless its primary key already came earlier in this batch.
    func write(_ row: [Value], keyPositions: [Int], inserter: any RowInserter, file: Int, line: Int) throws {
        if inserter.tracksBatchKeys {
            try write(key: IngestBatch.key(row, keyPositions), file: file, line: line) { () throws(StoreError) in try inserter.write(row) }
            return
        }
        let key = IngestBatch.key(row, keyPositions)
        let location = UInt64(file) << 40 | UInt64(line)
        if let first = keys.updateValue(location, forKey: key) {
            keys[key] = first
            let shown = key.replacingOccurrences(of: "\u{1F}", with: ", ")
            try reject(
                IngestError(
                    file: files[file], line: line,
                    message:
                        "duplicate primary key \(TerminalText.singleQuoted(shown)) (first seen at \(files[Int(first >> 40)]):\(first & 0xFF_FFFF_FFFF))"
                )
            )
            return
        }
        do {
            if try inserter.insert(row) {
                if let storedKeys, storedKeys.contains(key) { summary.replaced += 1 } else { summary.inserted += 1 }
            } else {
                summary.skipped += 1
            }
        } catch {
            // Rejecting this row is right only when the refusal was about this row alone.
            guard inserter.refusesSingleRows else { throw groupRefusal(error, file: file) }
            keys.removeValue(forKey: key)
            let shown = key.replacingOccurrences(of: "\u{1F}", with: ", ")
            try rejectRefused(error, key: shown, file: file, line: line)
            return
        }
        tick()
    }

    /// Rejects the row the store refused (a key already there, a constraint), or stops the batch on any other error.
    func rejectRefused(_ error: StoreError, key shown: String, file: Int, line: Int) throws {
        switch error.kind {
        case .duplicateKey:
            try reject(
                IngestError(
                    file: files[file], line: line,
                    message: "primary key \(TerminalText.singleQuoted(shown)) is already in table \(table.name)"))
        case .constraint:
            try reject(IngestError(file: files[file], line: line, message: "the database refused the row: \(error.message)"))
        case .engine where (error.code ?? 0) & 0xFF == 19:  // SQLITE_CONSTRAINT with an extended code
            try reject(IngestError(file: files[file], line: line, message: "the database refused the row: \(error.message)"))
        default:
            throw IngestError(file: files[file], line: line, message: "database error: \(error)")
        }
    }

    /// Writes one row through an inserter that `tracksBatchKeys`: the store tells keys repeated in
    /// this batch, so only the keys of rows that were skipped or replaced are kept here (none on a
    /// first load). `key` is asked for only when needed.
    func write(key: @autoclosure () -> String, file: Int, line: Int, _ write: () throws(StoreError) -> InsertOutcome) throws {
        let location = UInt64(file) << 40 | UInt64(line)
        var known: String?
        if options.onConflict == .replace, !keys.isEmpty {
            // Checked before writing: a second occurrence must not overwrite what the first replaced.
            let k = key()
            known = k
            if let first = keys[k] {
                try rejectDuplicate(k, file: file, line: line, first: first)
                return
            }
        }
        let outcome: InsertOutcome
        do {
            outcome = try write()
        } catch {
            let shown = (known ?? key()).replacingOccurrences(of: "\u{1F}", with: ", ")
            try rejectRefused(error, key: shown, file: file, line: line)
            return
        }
        switch outcome {
        case .inserted:
            locations.append(file: file, line: line)
            summary.inserted += 1
        case .replaced, .skipped:
            let k = known ?? key()
            if let first = keys.updateValue(location, forKey: k) {
                // Only `.skip` gets here with a repeat: the store skipped it as stored before the batch.
                keys[k] = first
                try rejectDuplicate(k, file: file, line: line, first: first)
                return
            }
            if outcome == .replaced { summary.replaced += 1 } else { summary.skipped += 1 }
        case .repeated(let ordinal):
            let first = locations[ordinal]
            try rejectDuplicate(known ?? key(), file: file, line: line, first: UInt64(first.file) << 40 | UInt64(first.line))
            return
        }
        tick()
    }

    private func rejectDuplicate(_ key: String, file: Int, line: Int, first: UInt64) throws {
        let shown = key.replacingOccurrences(of: "\u{1F}", with: ", ")
        try reject(
            IngestError(
                file: files[file], line: line,
                message:
                    "duplicate primary key \(TerminalText.singleQuoted(shown)) (first seen at \(files[Int(first >> 40)]):\(first & 0xFF_FFFF_FFFF))"
            ))
    }

    /// The primary key of `row` as one string: the text of a single text key, else the values joined by U+001F.
    static func key(_ row: [Value], _ keyPositions: [Int]) -> String {
        if keyPositions.count == 1, case .text(let text) = row[keyPositions[0]] { return text }
        return keyPositions.map { row[$0].description }.joined(separator: "\u{1F}")
    }

    @inline(__always)
    private func tick() {
        rowsSinceProgress += 1
        if rowsSinceProgress >= IngestBatch.progressInterval {
            rowsSinceProgress = 0
            reportProgress(doneBytes + (current?.bufferOffset ?? 0))
        }
    }

    /// The file being read, for progress reports (which count it up to the start of its buffer).
    var current: InputFile?

    func reportProgress(_ done: Int64) {
        progress?(done, totalBytes)
    }
}

import DecisioningCore
import DecisioningStore

/// Loads one CSV file whose header row names the table's columns.
struct CSVLoader {
    let input: InputFile
    let fileIndex: Int
    let batch: IngestBatch

    private var path: String { input.path }

    /// Loads the file from `start`, where its text begins (after a byte order mark; see `Encoding.start`).
    func load(from start: Int) throws {
        var scanner = CSVScanner()
        var pos = start
        var line = 1

        // The header: the first record that is not a blank line.
        var header: Header?
        while header == nil {
            guard pos < input.end || !input.atEOF else { return }  // empty file
            switch try scan(&scanner, &pos, line: line) {
            case .needMore:
                continue
            case .unterminatedQuote:
                throw IngestError(file: path, line: line, message: "unterminated quoted field in the header; the file may be truncated")
            case .record(let next):
                defer {
                    line += scanner.lineBreaks
                    pos = next
                }
                if scanner.isBlankLine { continue }
                header = try readHeader(scanner, start: pos, end: next, line: line)
            }
        }
        guard let header else { return }

        let inserter = try batch.inserter(header.columns, file: path)
        // The fast path: values checked and bound in place, the store telling repeated keys.
        let binder = inserter.tracksBatchKeys ? inserter.binder : nil
        var ends = [Int](repeating: 0, count: header.fieldPositions.count)
        var row = [Value](repeating: .null, count: header.columns.count)
        let fieldCount = header.fieldPositions.count
        let parsers = header.fieldColumns.map { batch.parsers[$0] }
        let positions = header.fieldPositions
        let firstRowOffset = input.fileOffset(pos)
        var rowsUntilEstimate = 1024

        while pos < input.end || !input.atEOF {
            let outcome = try scan(&scanner, &pos, line: line)
            if case .needMore = outcome { continue }
            let p = input.buffer
            guard case .record(let next) = outcome else {
                if case .unterminatedQuote(let before) = outcome {
                    try batch.reject(
                        IngestError(file: path, line: line + before, message: "unterminated quoted field; the file may be truncated"))
                }
                return
            }
            let recordLine = line
            let start = pos
            line += scanner.lineBreaks
            pos = next
            if scanner.isBlankLine { continue }
            rowsUntilEstimate -= 1
            if rowsUntilEstimate == 0 {
                let done = input.fileOffset(next)
                batch.expect(rows: 1024, inBytes: done - firstRowOffset, remainingBytes: input.size - done)
            }

            guard scanner.fieldCount == fieldCount else {
                let last = input.fileOffset(next) >= input.size
                let hint = last && scanner.fieldCount < fieldCount ? "; the file may be truncated" : ""
                try batch.reject(
                    IngestError(file: path, line: recordLine, message: "expected \(fieldCount) fields, found \(scanner.fieldCount)\(hint)"))
                continue
            }
            if scanner.hasNonASCII, let bad = UTF8Check.firstInvalid(p, from: start, to: next) {
                try batch.reject(UTF8Check.error(p, recordStart: start, recordLine: recordLine, bad: bad, file: path))
                continue
            }
            if let binder {
                if let failure = bind(binder, scanner, parsers, positions, &ends, line: recordLine) {
                    try batch.reject(failure)
                    continue
                }
                try batch.write(key: key(scanner, ends, header, parsers), file: fileIndex, line: recordLine) { () throws(StoreError) in
                    try binder.writeBound()
                }
                continue
            }
            var failure: IngestError?
            for f in 0..<fieldCount {
                let parser = parsers[f]
                let flag = scanner.flags[f]
                let fieldStart = scanner.starts[f]
                var fieldEnd = scanner.ends[f]
                do throws(FieldError) {
                    if flag & CSVScanner.textAfterQuote != 0 {
                        throw FieldError("unexpected text after the closing quote; a quote inside a quoted field must be doubled (\"\")")
                    }
                    if fieldStart == fieldEnd && flag == 0 {
                        // An empty unquoted field is NULL; an empty quoted one ("") is the empty string,
                        // which `parse` refuses in a key and in a column that is not text.
                        row[positions[f]] = try parser.null(found: "an empty field")
                    } else {
                        if flag & CSVScanner.doubledQuotes != 0 {
                            fieldEnd = CSVScanner.collapseQuotes(p, from: fieldStart, to: fieldEnd)
                        }
                        row[positions[f]] = try parser.parse(UnsafeBufferPointer(start: p + fieldStart, count: fieldEnd - fieldStart))
                    }
                } catch {
                    failure = IngestError(file: path, line: recordLine, column: parser.name, message: error.message)
                    break
                }
            }
            if let failure {
                try batch.reject(failure)
                continue
            }
            try batch.write(row, keyPositions: header.keyPositions, inserter: inserter, file: fileIndex, line: recordLine)
        }
    }

    /// Checks the fields of the scanned record and binds them; the error of the first bad one, if any.
    /// `ends` gets each field's end (after doubled quotes were collapsed).
    private func bind(
        _ binder: any RowBinder, _ scanner: CSVScanner, _ parsers: [ColumnParser], _ positions: [Int], _ ends: inout [Int], line: Int
    ) -> IngestError? {
        let p = input.buffer
        for f in 0..<parsers.count {
            let parser = parsers[f]
            let flag = scanner.flags[f]
            let fieldStart = scanner.starts[f]
            var fieldEnd = scanner.ends[f]
            do throws(FieldError) {
                if flag & CSVScanner.textAfterQuote != 0 {
                    throw FieldError("unexpected text after the closing quote; a quote inside a quoted field must be doubled (\"\")")
                }
                if fieldStart == fieldEnd && flag == 0 {
                    // An empty unquoted field is NULL (or the column's default); see `load`.
                    let value = try parser.null(found: "an empty field")
                    if value.isNull { binder.bindNull(positions[f]) } else { binder.bind(value, positions[f]) }
                } else {
                    if flag & CSVScanner.doubledQuotes != 0 {
                        fieldEnd = CSVScanner.collapseQuotes(p, from: fieldStart, to: fieldEnd)
                    }
                    try parser.bind(UnsafeBufferPointer(start: p + fieldStart, count: fieldEnd - fieldStart), to: binder, at: positions[f])
                }
                ends[f] = fieldEnd
            } catch {
                return IngestError(file: path, line: line, column: parser.name, message: error.message)
            }
        }
        return nil
    }

    /// The primary key of the bound record, as `IngestBatch.key` forms it (only for messages and
    /// the rare rows whose key is kept).
    private func key(_ scanner: CSVScanner, _ ends: [Int], _ header: Header, _ parsers: [ColumnParser]) -> String {
        let p = input.buffer
        var values = [Value](repeating: .null, count: header.columns.count)
        for f in header.keyFields {
            let start = scanner.starts[f]
            if start == ends[f] && scanner.flags[f] == 0 { continue }
            values[header.fieldPositions[f]] =
                (try? parsers[f].parse(UnsafeBufferPointer(start: p + start, count: ends[f] - start))) ?? .null
        }
        return IngestBatch.key(values, header.keyPositions)
    }

    /// Scans the record at `pos`, reading more of the file when it runs past the buffer (then `pos` moves).
    private func scan(_ scanner: inout CSVScanner, _ pos: inout Int, line: Int) throws -> CSVScanner.Outcome {
        let outcome = scanner.scan(input.buffer, from: pos, to: input.end, atEOF: input.atEOF)
        if case .needMore = outcome {
            do {
                try input.refill(keepingFrom: pos)
            } catch var error {
                error.line = line
                throw error
            }
            pos = 0
        }
        return outcome
    }

    struct Header {
        /// The inserter's columns: those the header names, in table order.
        var columns: [String]
        /// For each field, its column's index in the table and its position in the row.
        var fieldColumns: [Int]
        var fieldPositions: [Int]
        var keyPositions: [Int]
        /// The fields holding the primary key.
        var keyFields: [Int]
    }

    private func readHeader(_ scanner: CSVScanner, start: Int, end: Int, line: Int) throws -> Header {
        let p = input.buffer
        if scanner.hasNonASCII, let bad = UTF8Check.firstInvalid(p, from: start, to: end) {
            throw UTF8Check.error(p, recordStart: start, recordLine: line, bad: bad, file: path)
        }
        let table = batch.table
        var fieldColumns: [Int] = []
        var mask: UInt64 = 0
        for f in 0..<scanner.fieldCount {
            var fieldEnd = scanner.ends[f]
            if scanner.flags[f] & CSVScanner.doubledQuotes != 0 {
                fieldEnd = CSVScanner.collapseQuotes(p, from: scanner.starts[f], to: fieldEnd)
            }
            let raw = String(
                decoding: UnsafeBufferPointer(start: p + scanner.starts[f], count: fieldEnd - scanner.starts[f]), as: UTF8.self)
            let name = raw.trimmingSpaces
            guard !name.isEmpty else {
                throw IngestError(
                    file: path, line: line,
                    message: "header field \(f + 1) is empty; table \(table.name) has columns: \(table.columnNames.joined(separator: ", "))"
                )
            }
            guard let index = table.columnIndex(name) else {
                throw IngestError(file: path, line: line, message: batch.unknownColumnMessage(name))
            }
            guard mask & (1 << UInt64(index)) == 0 else {
                throw IngestError(file: path, line: line, message: "column '\(name)' appears twice in the header")
            }
            mask |= 1 << UInt64(index)
            fieldColumns.append(index)
        }
        if let missing = batch.missingColumnsMessage(mask) {
            throw IngestError(file: path, line: line, message: missing)
        }
        let fieldPositions = fieldColumns.map { index in (0..<index).filter { mask & (1 << UInt64($0)) != 0 }.count }
        let keyColumns = Set(table.primaryKeyIndexes)
        return Header(
            columns: batch.columnNames(mask), fieldColumns: fieldColumns, fieldPositions: fieldPositions,
            keyPositions: batch.keyPositions(mask), keyFields: fieldColumns.indices.filter { keyColumns.contains(fieldColumns[$0]) })
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}

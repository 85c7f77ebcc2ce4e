public import DecisioningCore
public import DecisioningIngest
import DecisioningStore
public import FuzzSupport

/// Runs `Ingestor.ingest(files:)` (the public entry point of CSV and JSON Lines parsing) on fuzz bytes
/// written to a file, into a `MemoryStore`, and checks what every ingest must satisfy.
public enum IngestHarness {
    public enum Format: String { case csv, jsonl }

    /// The read buffer sizes tried: tiny ones make every record straddle refills.
    public static let bufferSizes = [1, 2, 3, 5, 8, 64, 1024, 4 << 20]
    public static let maxRejectedChoices = [0, 1, 5, 1000]

    /// Options from one byte: buffer size (bits 0-2), rows that may be rejected (bits 3-4), conflict policy (bits 5-6).
    /// One fuzz input in raw mode or round-trip mode (bit 7 of its first byte), shared by the CSV and
    /// JSONL targets: raw mode picks a table and options and ingests the rest as a file of `format`.
    public static func run(_ data: UnsafePointer<UInt8>, _ size: Int, _ format: Format, roundTrip: (inout ByteReader) -> Void) {
        var r = ByteReader(data, size)
        let first = r.byte()
        guard first & 0x80 == 0 else { return roundTrip(&r) }
        let table = Catalog.all[Int(first) % Catalog.all.count]
        let options = options(r.byte())
        let outcome = ingest(r.rest(), format, table: table, options: options)
        checkRereads(outcome.rows, format, table: table)
    }

    public static func options(_ b: UInt8) -> IngestOptions {
        let policies = ConflictPolicy.allCases
        return IngestOptions(
            onConflict: policies[Int((b >> 5) & 3) % policies.count],
            maxRejected: maxRejectedChoices[Int((b >> 3) & 3)],
            readBufferSize: bufferSizes[Int(b & 7)])
    }

    public struct Outcome {
        public var summary: IngestSummary?
        public var error: (any Error)?
        public var rows: [MemoryStore.Insert]
    }

    /// Ingests `bytes` as one file of `format` into `table`, checking that only `IngestError` or
    /// `IngestAborted` is thrown, that nothing is kept when it throws, and that the summary agrees with
    /// the rows written.
    public static func ingest(_ bytes: [UInt8], _ format: Format, table: TableSchema, options: IngestOptions) -> Outcome {
        let path = ScratchFiles.write(bytes, name: "input.\(format.rawValue)")
        let store = MemoryStore()
        do {
            let summary = try Ingestor(store: store, table: table, options: options).ingest(files: [path])
            let rows = store.committed
            check(summary.inserted == rows.count, "summary says \(summary.inserted) inserted, the store got \(rows.count) rows")
            check(summary.skipped == 0, "summary says \(summary.skipped) skipped, but the store skips nothing")
            check(
                summary.rejected <= options.maxRejected, "\(summary.rejected) rows rejected, more than maxRejected \(options.maxRejected)")
            check(
                summary.errors.count == min(summary.rejected, IngestSummary.maxReportedErrors),
                "\(summary.errors.count) errors reported for \(summary.rejected) rejected rows")
            check(summary.bytes == Int64(bytes.count), "summary.bytes \(summary.bytes) for a file of \(bytes.count) bytes")
            check(summary.files == 1, "summary.files \(summary.files)")
            check(rows.allSatisfy { $0.table == table.name }, "a row went to another table")
            checkUniqueKeys(rows, table)
            return Outcome(summary: summary, error: nil, rows: rows)
        } catch let error as IngestError {
            check(error.file == path, "IngestError names file '\(error.file)', not the input '\(path)'")
            check(error.line >= 0, "IngestError with line \(error.line)")
            _ = error.description
            return Outcome(summary: nil, error: error, rows: [])
        } catch let error as IngestAborted {
            check(
                error.maxRejected == options.maxRejected && options.maxRejected > 0,
                "IngestAborted(maxRejected: \(error.maxRejected)) with options.maxRejected \(options.maxRejected)")
            _ = error.description
            return Outcome(summary: nil, error: error, rows: [])
        } catch {
            fail("ingest threw \(type(of: error)), not IngestError or IngestAborted: \(error)")
        }
    }

    /// No two written rows share a primary key.
    static func checkUniqueKeys(_ rows: [MemoryStore.Insert], _ table: TableSchema) {
        var seen = Set<[Value]>()
        for insert in rows {
            let key = table.primaryKey.map { name in insert.columns.firstIndex(of: name).map { insert.row[$0] } ?? .null }
            check(!key.contains(.null), "a row without its primary key: \(insert.row)")
            check(seen.insert(key).inserted, "primary key \(key) written twice")
        }
    }

    /// Renders the rows ingest wrote back to `format` (one file per set of columns) and ingests them
    /// again: every value must read back as itself. This checks the column parsers against the
    /// formatting of every value they accept (decimals, dates, timestamps, doubles, vectors, JSON, text
    /// that needs quoting or escaping).
    public static func checkRereads(_ rows: [MemoryStore.Insert], _ format: Format, table: TableSchema) {
        guard !rows.isEmpty else { return }
        var groups: [[String]: [[Value]]] = [:]
        var order: [[String]] = []
        for insert in rows {
            if groups[insert.columns] == nil { order.append(insert.columns) }
            groups[insert.columns, default: []].append(insert.row)
        }
        for columns in order {
            let values = groups[columns]!
            let types = columns.map { table.column($0)!.type }
            var text = ""
            switch format {
            case .csv:
                text = columns.joined(separator: ",") + "\n"
                for row in values { text += zip(row, types).map { Render.csvField($0, $1) }.joined(separator: ",") + "\n" }
            case .jsonl:
                for row in values {
                    text +=
                        "{"
                        + zip(columns, zip(row, types)).map { Render.jsonString($0) + ":" + Render.jsonValue($1.0, $1.1) }.joined(
                            separator: ",") + "}\n"
                }
            }
            let again = ingest(
                Array(text.utf8), format, table: table, options: IngestOptions(onConflict: .fail, maxRejected: 0, readBufferSize: 4096))
            guard again.error == nil else {
                fail("rows ingest accepted do not read back from their own \(format) rendering: \(again.error!)\n--- rendering:\n\(text)")
            }
            let reread = again.rows.map(\.row)
            check(again.rows.allSatisfy { $0.columns == columns }, "re-read rows have other columns than \(columns)")
            check(
                reread == values,
                "rows changed when read back from their \(format) rendering:\nfirst:  \(values)\nreread: \(reread)\n--- rendering:\n\(text)"
            )
        }
    }

    // MARK: Round trip of generated text

    /// The table of the round-trip modes: a key and three nullable text columns.
    public static let textTable = TableSchema(
        name: "fuzz_text",
        columns: [
            ColumnSchema("k", .integer, nullable: false),
            ColumnSchema("a", .longText),
            ColumnSchema("b", .text(maxLength: 1_000_000)),
            ColumnSchema("c", .longText),
        ],
        primaryKey: ["k"])

    /// A generated text cell: NULL, or a string. Never a NUL character, which text columns refuse
    /// (ColumnParser.checkText).
    public static func cell(_ r: inout ByteReader) -> String? {
        guard let text = anyCell(&r) else { return nil }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{0}" }))
    }

    static func anyCell(_ r: inout ByteReader) -> String? {
        switch r.byte() % 8 {
        case 0: return nil
        case 1: return ""
        case 2:
            // Characters the CSV and JSON scanners treat specially.
            let specials: [String] = [
                ",", "\"", "\n", "\r", "\r\n", "\"\"", " ", "\t", "\\", "{", "}", "[", "]", ":", "\u{FEFF}", "é", "e\u{301}", "🙂", "\u{1}",
                "\u{7F}", "\u{2028}",
            ]
            return (0..<(1 + r.index(6))).map { _ in r.pick(specials) }.joined()
        default:
            return r.string(maxLength: 24)
        }
    }

    /// Checks that ingest wrote exactly `expected` (key → values of a, b, c; a missing entry is an absent column).
    public static func checkText(_ outcome: Outcome, expected: [(Int64, [String: String?])], input: [UInt8]) {
        guard outcome.error == nil else {
            fail("well-formed input refused: \(outcome.error!)\n--- input: \(escaped(input))")
        }
        check(
            outcome.rows.count == expected.count,
            "\(outcome.rows.count) rows written for \(expected.count) records\n--- input: \(escaped(input))")
        for (insert, (key, cells)) in zip(outcome.rows, expected) {
            // Compared as bytes: String's == would equate canonically equivalent texts.
            var got: [String: [UInt8]?] = [:]
            for (name, value) in zip(insert.columns, insert.row) {
                switch value {
                case .integer(let k) where name == "k": check(k == key, "row key \(k), expected \(key)")
                case .text(let s): got[name] = .some(Array(s.utf8))
                case .null: got[name] = .some(nil)
                default: fail("unexpected value \(value) in column \(name)")
                }
            }
            let want = cells.mapValues { $0.map { Array($0.utf8) } }
            check(got == want, "row \(key) read as \(got), written as \(cells)\n--- input: \(escaped(input))")
        }
    }

    public static func escaped(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
    }
}

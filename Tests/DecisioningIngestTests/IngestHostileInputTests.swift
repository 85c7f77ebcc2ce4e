import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Input that must be questioned rather than loaded: every case is refused with file, line, column
/// and what was allowed, and nothing is written.
@Suite("Hostile input")
struct IngestHostileInputTests {
    // MARK: - Keys

    @Test("a NUL or control character in a key is refused, in CSV and JSONL")
    func controlCharactersInKeys() throws {
        let f = try Fixture()
        let csv = try f.file("p.csv", bytes: Array("project_id,project_name,start_date\nP1,One,2024-01-01\nP\0 2,Two,2024-01-01\n".utf8))
        #expect(
            f.failure(Catalog.projects, [csv])
                == "\(csv):3: column 'project_id': a key cannot contain a NUL character (U+0000, at character 2), found 'P\\u{0} 2'")
        // A foreign key (an identifier of another row) is a key too.
        let fk = try f.file("fk.csv", "project_id,project_name,start_date,customer_id\nP1,One,2024-01-01,\"C\u{7}1\"\n")
        #expect(
            f.failure(Catalog.projects, [fk])
                == "\(fk):2: column 'customer_id': a key cannot contain a control character (U+0007, at character 2), found 'C\\u{7}1'")
        let jsonl = try f.file("c.jsonl", #"{"customer_id":"C\u001b1"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [jsonl])
                == "\(jsonl):1: column 'customer_id': a key cannot contain a control character (U+001B, at character 2), found 'C\\u{1B}1'")
        let c1 = try f.file("c1.jsonl", #"{"customer_id":"\u009b2J"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [c1])
                == "\(c1):1: column 'customer_id': a key cannot contain a control character (U+009B, at character 1), found '\\u{9B}2J'")
        let tab = try f.file("t.jsonl", #"{"customer_id":"C1\t"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [tab])
                == "\(tab):1: column 'customer_id': a key cannot contain a control character (U+0009, at character 3), found 'C1\\t'")
        #expect(try f.store.rowCount("projects") == 0)
        #expect(try f.store.rowCount("customer_analytics") == 0)
    }

    @Test("free text keeps tabs and line breaks but refuses NUL, in CSV and JSONL")
    func nulInFreeText() throws {
        let f = try Fixture()
        let good = try f.file("p.csv", "project_id,project_name,start_date\nP1,\"tab\there\nand a new line\",2024-01-01\n")
        try f.ingest(Catalog.projects, [good])
        #expect(try f.column(Catalog.projects, "project_name") == ["tab\there\nand a new line"])

        let csv = try f.file("nul.csv", bytes: Array("project_id,project_name,start_date\nP2,\"a\0b\",2024-01-01\n".utf8))
        #expect(
            f.failure(Catalog.projects, [csv])
                == "\(csv):2: column 'project_name': text cannot contain a NUL character (U+0000, at character 2), found 'a\\u{0}b'")
        let jsonl = try f.file("nul.jsonl", #"{"project_id":"P2","project_name":"a\u0000b","start_date":"2024-01-01"}"# + "\n")
        #expect(
            f.failure(Catalog.projects, [jsonl])
                == "\(jsonl):1: column 'project_name': text cannot contain a NUL character (U+0000, at character 2), found 'a\\u{0}b'")
        let long = try f.file("nul.ndjson", #"{"model_id":"M1","training_data_query":"SELECT 1\u0000"}"# + "\n")
        #expect(
            f.failure(Catalog.mlModels, [long])
                == "\(long):1: column 'training_data_query': text cannot contain a NUL character (U+0000, at character 9), found 'SELECT 1\\u{0}'"
        )
        #expect(try f.column(Catalog.projects, "project_id") == ["P1"])
    }

    @Test("an empty string is not a key: refused as a primary or foreign key; an unquoted empty foreign key is NULL")
    func emptyKeys() throws {
        let f = try Fixture()
        let pk = try f.file("pk.csv", "project_id,project_name,start_date\n\"\",One,2024-01-01\n")
        #expect(f.failure(Catalog.projects, [pk]) == "\(pk):2: column 'project_id': a key cannot be an empty string (\"\")")
        let pkJSON = try f.file("pk.jsonl", #"{"customer_id":""}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [pkJSON]) == "\(pkJSON):1: column 'customer_id': a key cannot be an empty string (\"\")")
        let fk = try f.file("fk.csv", "project_id,project_name,start_date,customer_id\nP1,One,2024-01-01,\"\"\n")
        #expect(
            f.failure(Catalog.projects, [fk])
                == "\(fk):2: column 'customer_id': a key cannot be an empty string (\"\"); for no value write an empty unquoted field (CSV) or null (JSON Lines)"
        )
        let fkJSON = try f.file("fk.jsonl", #"{"metric_id":"M1","project_id":"","metric_date":"2024-01-01"}"# + "\n")
        #expect(
            f.failure(Catalog.financialMetrics, [fkJSON])
                == "\(fkJSON):1: column 'project_id': a key cannot be an empty string (\"\"); for no value write an empty unquoted field (CSV) or null (JSON Lines)"
        )
        #expect(try f.store.rowCount("projects") == 0)

        let null = try f.file("null.csv", "project_id,project_name,start_date,customer_id\nP1,One,2024-01-01,\n")
        try f.ingest(Catalog.projects, [null])
        #expect(try f.column(Catalog.projects, "customer_id") == ["NULL"])
    }

    @Test("a byte order mark is skipped at the start of the file and refused inside a key")
    func byteOrderMarkInKeys() throws {
        let f = try Fixture()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        // At the very start: skipped (the header is read without it).
        let start = try f.file("start.csv", bytes: bom + Array("customer_id,customer_name\nC1,One\n".utf8))
        try f.ingest(Catalog.customerAnalytics, [start])
        #expect(try f.column(Catalog.customerAnalytics, "customer_id") == ["C1"])
        // Two files concatenated: the second one's BOM lands at the start of a data row.
        let csv = try f.file("cat.csv", bytes: bom + Array("customer_id,customer_name\nC2,Two\n".utf8) + bom + Array("C3,Three\n".utf8))
        #expect(
            f.failure(Catalog.customerAnalytics, [csv])
                == "\(csv):3: column 'customer_id': a key cannot contain a byte order mark (U+FEFF, at character 1), found '\\u{FEFF}C3'; "
                + "a byte order mark belongs only at the very start of a file (were files with one concatenated?)")
        let jsonl = try f.file(
            "cat.jsonl", bytes: bom + Array(#"{"customer_id":"C4"}"#.utf8) + [0x0A] + Array(#"{"customer_id":"\uFEFFC5"}"#.utf8) + [0x0A])
        #expect(
            f.failure(Catalog.customerAnalytics, [jsonl])
                == "\(jsonl):2: column 'customer_id': a key cannot contain a byte order mark (U+FEFF, at character 1), found '\\u{FEFF}C5'; "
                + "a byte order mark belongs only at the very start of a file (were files with one concatenated?)")
        #expect(try f.column(Catalog.customerAnalytics, "customer_id") == ["C1"])
    }

    @Test("spaces around a key are refused, not trimmed, with the key shown quoted")
    func spacesAroundKeys() throws {
        let f = try Fixture()
        let hint = "keys are compared exactly and are not trimmed, so remove the spaces from the input (or fix the export that adds them)"
        let csv = try f.file("c.csv", "customer_id,customer_name\nC1,One\n C2,Two\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [csv]) == "\(csv):3: column 'customer_id': the key ' C2' has spaces before it; \(hint)")
        let quoted = try f.file("q.csv", "project_id,project_name,start_date,customer_id\nP1,One,2024-01-01,\"C1 \"\n")
        #expect(f.failure(Catalog.projects, [quoted]) == "\(quoted):2: column 'customer_id': the key 'C1 ' has spaces after it; \(hint)")
        let jsonl = try f.file("c.jsonl", #"{"customer_id":" C3 "}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [jsonl])
                == "\(jsonl):1: column 'customer_id': the key ' C3 ' has spaces before and after it; \(hint)")
        let nbsp = try f.file("n.jsonl", #"{"customer_id":"C4\u00a0"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [nbsp])
                == "\(nbsp):1: column 'customer_id': the key 'C4\u{A0}' has spaces after it; \(hint)")
        // Spaces inside a key, and around free text, are data.
        let inside = try f.file("i.csv", "customer_id,customer_name\nC 5, Five \n")
        try f.ingest(Catalog.customerAnalytics, [inside])
        #expect(try f.column(Catalog.customerAnalytics, "customer_name") == [" Five "])
    }

    // MARK: - JSON strings

    @Test("a lone surrogate escape is refused with file, line and column, not turned into U+FFFD")
    func loneSurrogates() throws {
        let f = try Fixture()
        let high = try f.file("h.jsonl", #"{"customer_id":"C1","customer_name":"a\ud800b"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [high])
                == "\(high):1: column 'customer_name': invalid JSON string escape: lone surrogate \\ud800 (a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one) at byte 39"
        )
        let low = try f.file("l.jsonl", #"{"customer_id":"C1","customer_name":"\uDC00"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [low])?.hasPrefix(
                "\(low):1: column 'customer_name': invalid JSON string escape: lone surrogate \\uDC00") == true)
        let key = try f.file("k.jsonl", #"{"customer_id":"C\ud83d"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [key])?.hasPrefix(
                "\(key):1: column 'customer_id': invalid JSON string escape: lone surrogate \\ud83d") == true)
        // Inside a JSON document column too: the document would not be valid JSON for MySQL.
        let document = try f.file("e.jsonl", #"{"event_id":"E1","event_data":{"note":"\ud800"}}"# + "\n")
        #expect(
            f.failure(Catalog.businessEvents, [document])?.hasPrefix(
                "\(document):1: column 'event_data': invalid JSON string escape: lone surrogate") == true)
        #expect(try f.store.rowCount("customer_analytics") == 0)
        // A proper pair is one character.
        let pair = try f.file("p.jsonl", #"{"customer_id":"C1","customer_name":"\ud83d\ude00"}"# + "\n")
        try f.ingest(Catalog.customerAnalytics, [pair])
        #expect(try f.column(Catalog.customerAnalytics, "customer_name") == ["😀"])
    }

    // MARK: - Integer ranges

    @Test("an INT column refuses values beyond its range, naming the column and the allowed range")
    func integerRanges() throws {
        let f = try Fixture()
        let terms = try f.file("t.csv", "customer_id,payment_terms\nC1,30\nC2,-2147483648\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [terms])
                == "\(terms):3: column 'payment_terms': expected a whole number, found '-2147483648', which is out of range (allowed: 0 to 3650 days)"
        )
        let termsJSON = try f.file("t.jsonl", #"{"customer_id":"C1","payment_terms":3651}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [termsJSON])
                == "\(termsJSON):1: column 'payment_terms': expected a whole number, found number 3651, which is out of range (allowed: 0 to 3650 days)"
        )
        let projects = try f.file("p.jsonl", #"{"customer_id":"C1","total_projects":4294967296}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [projects])
                == "\(projects):1: column 'total_projects': expected a whole number, found number 4294967296, which is out of range (allowed: 0 to 2147483647 projects)"
        )
        let negative = try f.file("n.csv", "customer_id,total_projects\nC1,-1\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [negative])
                == "\(negative):2: column 'total_projects': expected a whole number, found '-1', which is out of range (allowed: 0 to 2147483647 projects)"
        )
        #expect(try f.store.rowCount("customer_analytics") == 0)
        // The bounds themselves load.
        let bounds = try f.file("b.csv", "customer_id,payment_terms,total_projects\nC1,0,2147483647\nC2,3650,0\n")
        try f.ingest(Catalog.customerAnalytics, [bounds])
        #expect(try f.column(Catalog.customerAnalytics, "payment_terms") == ["0", "3650"])
    }

    @Test("an INT column without a narrower domain holds 32 bits, as INT does on MySQL")
    func int32() throws {
        let f = try Fixture()
        let table = TableSchema(
            name: "decisions_probe",
            columns: [
                ColumnSchema("id", .text(maxLength: 10), nullable: false), ColumnSchema("n", .integer),
            ], primaryKey: ["id"])
        try f.store.writeBatch { writer in
            try writer.execute("CREATE TABLE decisions_probe (id TEXT PRIMARY KEY NOT NULL, n INTEGER) STRICT", arguments: [])
        }
        let path = try f.file("n.csv", "id,n\nA,2147483647\nB,-2147483648\nC,2147483648\n")
        #expect(
            f.failure(table, [path])
                == "\(path):4: column 'n': expected a whole number, found '2147483648', which is out of range (allowed: -2147483648 to 2147483647, the range of INT)"
        )
        let ok = try f.file("ok.jsonl", #"{"id":"A","n":2147483647}"# + "\n" + #"{"id":"B","n":-2147483648}"# + "\n")
        #expect(try f.ingest(table, [ok]).inserted == 2)
    }

    // MARK: - Empty strings outside text

    @Test("\"\" in a column that is not text is refused the same way in CSV and JSONL, never turned into NULL")
    func emptyStringOutsideText() throws {
        let f = try Fixture()
        let message =
            "expected a date as YYYY-MM-DD, found an empty string (\"\"); for no value write an empty unquoted field (CSV) or null (JSON Lines)"
        let csv = try f.file("p.csv", "project_id,project_name,start_date,end_date\nP1,One,2024-01-01,\"\"\n")
        #expect(f.failure(Catalog.projects, [csv]) == "\(csv):2: column 'end_date': \(message)")
        let jsonl = try f.file("p.jsonl", #"{"project_id":"P1","project_name":"One","start_date":"2024-01-01","end_date":""}"# + "\n")
        #expect(f.failure(Catalog.projects, [jsonl]) == "\(jsonl):1: column 'end_date': \(message)")
        // A NOT NULL column with a default does not take the default for "".
        let events = try f.file("e.csv", "event_id,processed\nE1,\"\"\n")
        #expect(
            f.failure(Catalog.businessEvents, [events])
                == "\(events):2: column 'processed': expected a boolean (true/false/1/0), found an empty string (\"\"); for no value write an empty unquoted field (CSV) or null (JSON Lines)"
        )
        #expect(try f.store.rowCount("projects") == 0)
        // An unquoted empty field stays NULL, "" in text stays the empty string.
        let fine = try f.file("fine.csv", "project_id,project_name,start_date,end_date,status\nP1,One,2024-01-01,,\"\"\n")
        try f.ingest(Catalog.projects, [fine])
        #expect(try f.column(Catalog.projects, "end_date") == ["NULL"])
        #expect(try f.column(Catalog.projects, "status") == [""])
    }

    // MARK: - Error messages

    @Test("data quoted in an error shows control characters escaped and long values cut")
    func terminalEscapes() throws {
        let f = try Fixture()
        let hostile = "\u{1B}]0;title\u{07}\u{1B}[2J"
        let date = try f.file("p.csv", "project_id,project_name,start_date\nP1,One,\"2024\(hostile)\"\n")
        let message = f.failure(Catalog.projects, [date])
        #expect(message == "\(date):2: column 'start_date': expected a date as YYYY-MM-DD, found '2024\\u{1B}]0;title\\u{7}\\u{1B}[2J'")
        #expect(message?.unicodeScalars.contains { $0.value < 0x20 } == false)

        let header = try f.file("h.csv", "customer_id,\"evil\(hostile)\"\nC1,x\n")
        let unknown = f.failure(Catalog.customerAnalytics, [header])
        #expect(
            unknown?.hasPrefix("\(header):1: unknown column 'evil\\u{1B}]0;title\\u{7}\\u{1B}[2J'; table customer_analytics has columns")
                == true)

        let jsonl = try f.file("c.jsonl", #"{"customer_id":"C1","payment_terms":"\u001b[31mred\u001b[0m"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [jsonl])
                == "\(jsonl):1: column 'payment_terms': expected a whole number, found string \"\\u{1B}[31mred\\u{1B}[0m\"")

        let long = String(repeating: "x", count: 500)
        let cut = try f.file("l.csv", "project_id,project_name,start_date\nP1,One,\(long)\n")
        #expect(
            f.failure(Catalog.projects, [cut])
                == "\(cut):2: column 'start_date': expected a date as YYYY-MM-DD, found '\(String(repeating: "x", count: 60))…'")

        // Errors kept with --max-rejected are escaped too.
        let summary = try f.ingest(Catalog.projects, [date], options: IngestOptions(maxRejected: 1))
        #expect(summary.errors.map(\.description).allSatisfy { !$0.unicodeScalars.contains { $0.value == 0x1B } })
    }

    // MARK: - Files

    @Test("a file without an extension is sniffed; an explicit format overrides the name")
    func formats() throws {
        let f = try Fixture()
        let csv = try f.file("customers", "customer_id,customer_name\nC1,One\n")
        let jsonl = try f.file("more", "\n  " + #"{"customer_id":"C2"}"# + "\n")
        #expect(try f.ingest(Catalog.customerAnalytics, [csv, jsonl]).inserted == 2)
        let txt = try f.file("c.txt", #"{"customer_id":"C3"}"# + "\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [txt])
                == "\(txt): cannot tell the format from the file name ('.txt'); use .csv, .jsonl or .ndjson, or name the format (--input-format csv|jsonl)"
        )
        #expect(try f.ingest(Catalog.customerAnalytics, [txt], options: IngestOptions(format: .jsonl)).inserted == 1)
        // The explicit format wins over the extension.
        let misnamed = try f.file("d.jsonl", "customer_id\nC4\n")
        #expect(try f.ingest(Catalog.customerAnalytics, [misnamed], options: IngestOptions(format: .csv)).inserted == 1)
        #expect(try f.column(Catalog.customerAnalytics, "customer_id") == ["C1", "C2", "C3", "C4"])
    }

    @Test("the same file given twice, by one name or two, is refused before anything is read")
    func sameFileTwice() throws {
        let f = try Fixture()
        let path = try f.file("c.csv", "customer_id\nC1\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [path, path])
                == "\(path): is given twice; give each file once (its rows would otherwise be read twice)")
        let link = f.directory + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let other = f.directory + "/./c.csv"
        #expect(
            f.failure(Catalog.customerAnalytics, [path, link])
                == "\(link): is the same file as '\(path)'; give each file once (its rows would otherwise be read twice)")
        #expect(
            f.failure(Catalog.customerAnalytics, [other, path])
                == "\(path): is the same file as '\(other)'; give each file once (its rows would otherwise be read twice)")
        #expect(try f.store.rowCount("customer_analytics") == 0)
    }

    @Test("a FIFO without a writer: the ingest says it is waiting, then reads what the writer sends")
    func fifo() throws {
        let f = try Fixture()
        let path = f.directory + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let notices = Notices()
        let store = f.store
        let done = DispatchSemaphore(value: 0)
        let result = Box()
        Thread {
            do {
                let summary = try Ingestor(
                    store: store, table: Catalog.customerAnalytics, options: IngestOptions(format: .csv),
                    notice: { notices.append($0) }
                ).ingest(files: [path])
                result.set("\(summary.inserted) inserted")
            } catch {
                result.set("\(error)")
            }
            done.signal()
        }.start()
        // The notice comes before the open blocks; wait for it (a bounded time), then write.
        var waited = 0
        while notices.all.isEmpty && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        #expect(notices.all == ["waiting for a writer on FIFO \(path) (opening it blocks until a program opens it for writing)"])
        let writer = open(path, O_WRONLY)
        #expect(writer >= 0)
        let data = Array("customer_id\nC1\nC2\n".utf8)
        _ = data.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        close(writer)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(result.value == "2 inserted")
    }

    // MARK: - Upsert

    @Test("--upsert counts replaced rows apart from inserted ones")
    func upsertCounts() throws {
        let f = try Fixture()
        let first = try f.file("a.csv", "customer_id,customer_name\nC1,One\nC2,Two\n")
        #expect(try f.ingest(Catalog.customerAnalytics, [first]).inserted == 2)
        let second = try f.file(
            "b.jsonl", #"{"customer_id":"C2","customer_name":"Zwei"}"# + "\n" + #"{"customer_id":"C3","customer_name":"Three"}"# + "\n")
        let summary = try f.ingest(Catalog.customerAnalytics, [second], options: IngestOptions(onConflict: .replace))
        #expect((summary.inserted, summary.replaced, summary.skipped, summary.rows) == (1, 1, 0, 2))
        #expect(try f.column(Catalog.customerAnalytics, "customer_name") == ["One", "Zwei", "Three"])
        let skip = try f.ingest(Catalog.customerAnalytics, [second])
        #expect((skip.inserted, skip.replaced, skip.skipped) == (0, 0, 2))
    }
}

/// Notices collected from another thread.
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}

final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ s: String) { lock.withLock { text = s } }
    var value: String? { lock.withLock { text } }
}

import DecisioningCore
public import DecisioningStore
import Foundation

/// Generates the synthetic company into a Store or into CSV / JSONL files, and returns what it planted.
public struct Generator: Sendable {
    public let spec: GeneratorSpec

    public init(spec: GeneratorSpec) throws(GeneratorError) {
        try spec.validate()
        self.spec = spec
    }

    /// Called after each table with its name and row count.
    public typealias Progress = @Sendable (_ table: String, _ rows: Int) -> Void

    /// Rows between two progress reports within one table.
    static let progressEvery = 100_000

    /// Writes every generated table into `store`, one transaction per table.
    ///
    /// - Parameter replace: delete the business tables' rows first; without it a non-empty table is an error.
    public func generate(into store: any Store, replace: Bool = false, progress: Progress? = nil) throws -> GroundTruth {
        try store.migrate()
        let tables = RowProducer.tables
        if replace {
            try store.writeBatch { writer in
                for table in (Catalog.businessTables + Catalog.runTables).reversed() {
                    try writer.execute("DELETE FROM \(table.name)", arguments: [])
                }
            }
        } else {
            for table in tables {
                let rows = try store.rowCount(table.name)
                if rows > 0 { throw GeneratorError.databaseNotEmpty(table: table.name, rows: rows) }
            }
        }
        let company = SyntheticCompany(spec: spec)
        let producer = RowProducer(company: company)
        var truth = company.truth
        for table in tables {
            let count = try store.writeBatch { writer in
                let inserter = try writer.inserter(for: table, columns: table.columnNames, onConflict: .fail)
                var n = 0
                try producer.produce(table) { row in
                    _ = try inserter.insert(row)
                    n += 1
                    // Progress while a large table is written, not only once it is done.
                    if n % Self.progressEvery == 0 { progress?(table.name, n) }
                }
                return n
            }
            truth.counts[table.name] = count
            progress?(table.name, count)
        }
        return truth
    }

    /// Writes `customer_analytics.csv`, `projects.csv`, `financial_metrics.csv` and `business_events.jsonl`
    /// (the formats `decisioning ingest` reads) plus `truth.json` into `directory`.
    public func export(toDirectory directory: String, progress: Progress? = nil) throws -> GroundTruth {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let company = SyntheticCompany(spec: spec)
        let producer = RowProducer(company: company)
        var truth = company.truth
        for table in RowProducer.tables {
            let jsonl = table.name == Catalog.businessEvents.name
            let path = (directory as NSString).appendingPathComponent(table.name + (jsonl ? ".jsonl" : ".csv"))
            var out = try TextFileWriter(path: path)
            var count = 0
            if !jsonl { out.append(table.columnNames.joined(separator: ",") + "\n") }
            try producer.produce(table) { row in
                if jsonl {
                    out.append(JSONLFormat.line(row, table: table))
                } else {
                    out.append(CSVFormat.line(row, table: table))
                }
                count += 1
                if count % Self.progressEvery == 0 { progress?(table.name, count) }
                try out.flushIfNeeded()
            }
            try out.close()
            truth.counts[table.name] = count
            progress?(table.name, count)
        }
        try truth.encoded().write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("truth.json")))
        return truth
    }
}

/// One CSV record per row, RFC 4180 quoting only where needed.
enum CSVFormat {
    static func line(_ row: [Value], table: TableSchema) -> String {
        var line = ""
        for (i, value) in row.enumerated() {
            if i > 0 { line += "," }
            if case .null = value { continue }
            let text = value.rendered(as: table.columns[i].type)
            if text.isEmpty || text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                line += "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                line += text
            }
        }
        return line + "\n"
    }
}

/// One JSON object per row; JSON columns are embedded as documents, decimals as exact strings.
enum JSONLFormat {
    static func line(_ row: [Value], table: TableSchema) -> String {
        var parts: [String] = []
        for (i, value) in row.enumerated() {
            let key = "\"\(table.columns[i].name)\":"
            switch value {
            case .null: parts.append(key + "null")
            case .json(let document): parts.append(key + document)
            case .integer(let n): parts.append(key + String(n))
            case .boolean(let b): parts.append(key + (b ? "true" : "false"))
            case .double(let d): parts.append(key + String(d))
            default: parts.append(key + quote(value.rendered(as: table.columns[i].type)))
            }
        }
        return "{" + parts.joined(separator: ",") + "}\n"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A buffered writer for large text files.
struct TextFileWriter {
    let handle: FileHandle
    var buffer: [UInt8] = []
    let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw GeneratorError.output("cannot create \(path); check that the directory is writable")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 21)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func flushIfNeeded() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        try handle.close()
    }
}

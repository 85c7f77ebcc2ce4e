import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

// MARK: - Engines

/// One way of answering a plan. The differential tests run every plan on every engine of a list and
/// compare the answers with the first engine's (the reference). Adding an engine (MariaDB, HeatWave)
/// is one more conformance plus an entry in the list the fixtures build.
protocol AnalyticsEngine: Sendable {
    var name: String { get }
    func run(_ plan: Plan, asOf: Day) throws -> [[Value]]
    /// The SQL the engine runs for `plan`, as a script for its dialect's client; nil for engines without SQL.
    func sql(_ plan: Plan, asOf: Day) -> (dialect: String, text: String)?
}

extension AnalyticsEngine {
    func sql(_ plan: Plan, asOf: Day) -> (dialect: String, text: String)? { nil }
}

/// The in-process column engine, through the Warehouse (so loading and freshness are exercised too).
struct ColumnEngine: AnalyticsEngine {
    let warehouse: Warehouse
    var name: String { "column engine" }
    func run(_ plan: Plan, asOf: Day) throws -> [[Value]] {
        try warehouse.query(plan, asOf: asOf, on: .columnEngine).rows
    }
}

/// The plan rendered to the Store's SQL dialect and executed by the Store's database.
struct SQLEngine: AnalyticsEngine {
    let warehouse: Warehouse
    var name: String { "SQL on \(warehouse.dialect.rawValue)" }
    func run(_ plan: Plan, asOf: Day) throws -> [[Value]] {
        try warehouse.query(plan, asOf: asOf, on: .sql).rows
    }
    func sql(_ plan: Plan, asOf: Day) -> (dialect: String, text: String)? {
        do {
            return (
                warehouse.dialect.rawValue,
                try SQLRenderer(dialect: warehouse.dialect, asOf: asOf, catalog: warehouse.catalog).render(plan).pasteable
            )
        } catch {
            return (warehouse.dialect.rawValue, "(does not render: \(error))")
        }
    }
}

extension Warehouse {
    /// The engines every differential test compares, reference first: SQL on this Store, then the column engine.
    var differentialEngines: [any AnalyticsEngine] { [SQLEngine(warehouse: self), ColumnEngine(warehouse: self)] }

    /// The engines above plus MariaDB over `tables` (loaded into the shared scratch database) when the
    /// test server is configured or required.
    func differentialEngines(loading tables: [(TableSchema, [[Value]])]) throws -> [any AnalyticsEngine] {
        guard MariaDB.enabled else { return differentialEngines }
        return differentialEngines + [try MariaDB.load(tables, catalog: catalog)]
    }
}

// MARK: - Comparison

/// How close two doubles must be.
struct Tolerance: Sendable, Hashable {
    var relative: Double
    var absolute: Double

    /// Doubles agree to 1e-9 relative (1e-12 absolute near zero).
    static let standard = Tolerance(relative: 1e-9, absolute: 1e-12)
    /// Bit-identical doubles.
    static let exact = Tolerance(relative: 0, absolute: 0)

    func accepts(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        if a.isNaN && b.isNaN { return true }
        let difference = abs(a - b)
        return difference <= absolute || difference <= relative * max(abs(a), abs(b))
    }
}

enum ValueMatch {
    /// Exact equality except doubles (within `tolerance`); NULL equals NULL; text compares bytewise.
    static func equal(_ a: Value, _ b: Value, _ tolerance: Tolerance = .standard) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.double(let x), .double(let y)): return tolerance.accepts(x, y)
        case (.text(let x), .text(let y)), (.json(let x), .json(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.integer(let x), .integer(let y)), (.decimal(let x), .decimal(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.vector(let x), .vector(let y)): return x == y
        default: return false
        }
    }

    static func rows(_ a: [Value], _ b: [Value], _ tolerances: [Tolerance]) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where !equal(a[i], b[i], i < tolerances.count ? tolerances[i] : .standard) { return false }
        return true
    }

    /// A total order over values for canonical sorting: NULL first, then by kind, numbers numerically, text bytewise.
    static func order(_ a: Value, _ b: Value) -> Int {
        func rank(_ v: Value) -> Int {
            switch v {
            case .null: return 0
            case .boolean: return 1
            case .integer, .decimal, .double: return 2
            case .date: return 3
            case .timestamp: return 4
            case .text: return 5
            case .json: return 6
            case .vector: return 7
            }
        }
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x == y ? 0 : 1 }
        let ra = rank(a)
        let rb = rank(b)
        if ra != rb { return cmp(ra, rb) }
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.integer(let x), .integer(let y)), (.decimal(let x), .decimal(let y)): return cmp(x, y)
        case (.double(let x), .double(let y)): return cmp(x, y)
        case (.integer(let x), .double(let y)), (.decimal(let x), .double(let y)): return cmp(Double(x), y)
        case (.double(let x), .integer(let y)), (.double(let x), .decimal(let y)): return cmp(x, Double(y))
        case (.integer(let x), .decimal(let y)), (.decimal(let x), .integer(let y)): return cmp(x, y)
        case (.date(let x), .date(let y)): return cmp(x.number, y.number)
        case (.timestamp(let x), .timestamp(let y)): return cmp(x.seconds, y.seconds)
        case (.text(let x), .text(let y)), (.json(let x), .json(let y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default: return 0
        }
    }

    static func rowOrder(_ a: [Value], _ b: [Value]) -> Bool {
        for (x, y) in zip(a, b) {
            let o = order(x, y)
            if o != 0 { return o < 0 }
        }
        return a.count < b.count
    }

    /// A value as a person debugging needs it: the kind, and the UTF-8 bytes of non-ASCII text.
    static func show(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let x): return "\(x)"
        case .decimal(let x): return "dec(\(x) units)"
        case .double(let x): return "\(x)d"
        case .text(let s):
            let escaped = "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
            if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return escaped }
            return escaped + "[" + s.utf8.map { String($0, radix: 16) }.joined(separator: " ") + "]"
        case .date(let d): return "date \(d.iso)"
        case .timestamp(let t): return "ts \(t.iso)"
        case .boolean(let b): return b ? "true" : "false"
        case .json(let s): return "json \(s)"
        case .vector(let x): return "\(x)"
        }
    }

    static func show(_ row: [Value]) -> String { "(" + row.map(show).joined(separator: ", ") + ")" }
}

/// Compares two engines' rows for one plan: in order where the plan's last sort fixes the order
/// (rows with equal sort keys compared as multisets), as multisets otherwise.
struct ResultComparison {
    var sortKeyColumns: [Int]?
    var tolerances: [Tolerance]

    /// The output columns whose order the plan fixes: the keys of a top-level sort (also under a limit).
    static func sortKeys(of plan: Plan, fields: [Field]) -> [Int]? {
        var node = plan
        if case .limit(let input, _) = node { node = input }
        guard case .sort(_, let keys) = node else { return nil }
        return keys.compactMap { key in fields.firstIndex { $0.name == key.column } }
    }

    func canonical(_ rows: ArraySlice<[Value]>) -> [[Value]] { rows.sorted(by: ValueMatch.rowOrder) }

    /// nil when the results agree, otherwise what differs.
    func difference(reference: [[Value]], other: [[Value]]) -> String? {
        if reference.count != other.count {
            return "row counts differ: \(reference.count) vs \(other.count)\n"
                + firstDifference(canonical(reference[...]), canonical(other[...]), offset: 0, note: "(both sorted canonically)")
        }
        guard let keys = sortKeyColumns else {
            let a = canonical(reference[...])
            let b = canonical(other[...])
            return agree(a, b) ? nil : firstDifference(a, b, offset: 0, note: "(both sorted canonically)")
        }
        let keyTolerances = keys.map { $0 < tolerances.count ? tolerances[$0] : .standard }
        func keyValues(_ row: [Value]) -> [Value] { keys.map { row[$0] } }
        for i in reference.indices where !ValueMatch.rows(keyValues(reference[i]), keyValues(other[i]), keyTolerances) {
            return "the order differs (sort key columns \(keys)):\n"
                + firstDifference(reference, other, offset: 0, note: "(in result order)", from: i)
        }
        // Segments of equal sort keys may come in any order.
        var start = 0
        while start < reference.count {
            var end = start + 1
            while end < reference.count && ValueMatch.rows(keyValues(reference[end]), keyValues(reference[start]), keyTolerances) {
                end += 1
            }
            let a = canonical(reference[start..<end])
            let b = canonical(other[start..<end])
            if !agree(a, b) {
                return firstDifference(a, b, offset: start, note: "(rows \(start)..<\(end) share their sort keys; sorted canonically)")
            }
            start = end
        }
        return nil
    }

    /// Whether two canonically sorted row sets of equal size match: row by row, or else (when doubles within
    /// tolerance sort differently) by pairing every row with an unused row that matches it.
    func agree(_ a: [[Value]], _ b: [[Value]]) -> Bool {
        guard mismatch(a, b) != nil else { return true }
        var used = [Bool](repeating: false, count: b.count)
        for row in a {
            guard let j = b.indices.first(where: { !used[$0] && ValueMatch.rows(row, b[$0], tolerances) }) else { return false }
            used[j] = true
        }
        return true
    }

    func mismatch(_ a: [[Value]], _ b: [[Value]]) -> Int? {
        for i in 0..<min(a.count, b.count) where !ValueMatch.rows(a[i], b[i], tolerances) { return i }
        return a.count == b.count ? nil : min(a.count, b.count)
    }

    func firstDifference(_ a: [[Value]], _ b: [[Value]], offset: Int, note: String, from: Int? = nil) -> String {
        guard let i = from ?? mismatch(a, b) else { return "no differing row \(note)" }
        var lines = ["first difference at row \(offset + i) \(note):"]
        for j in max(0, i - 1)..<min(max(a.count, b.count), i + 3) {
            let ra = j < a.count ? ValueMatch.show(a[j]) : "—"
            let rb = j < b.count ? ValueMatch.show(b[j]) : "—"
            let marker = j < a.count && j < b.count && ValueMatch.rows(a[j], b[j], tolerances) ? " " : "≠"
            lines.append("  \(marker) row \(offset + j): expected \(ra)")
            lines.append("           got      \(rb)")
        }
        return lines.joined(separator: "\n")
    }
}

// MARK: - The differential check

/// Runs plans on several engines and reports every disagreement with the reference (the first engine).
struct Differential: Sendable {
    var engines: [any AnalyticsEngine]
    var catalog: TableCatalog

    /// Messages describing every disagreement (empty when the engines agree).
    func disagreements(_ plan: Plan, asOf: Day, label: String, tolerances: [Tolerance] = []) -> [String] {
        let fields: [Field]
        do {
            fields = try TypeChecker(catalog: catalog).fields(plan)
        } catch {
            return ["[\(label)] the plan does not type-check: \(error)\n\(PlanText.describe(plan))"]
        }
        let comparison = ResultComparison(sortKeyColumns: ResultComparison.sortKeys(of: plan, fields: fields), tolerances: tolerances)
        var results: [(engine: any AnalyticsEngine, rows: Result<[[Value]], any Error>)] = []
        for engine in engines {
            results.append((engine, Result { try engine.run(plan, asOf: asOf) }))
        }
        var messages: [String] = []
        let reference = results[0]
        for other in results.dropFirst() {
            let problem: String?
            switch (reference.rows, other.rows) {
            case (.success(let a), .success(let b)): problem = comparison.difference(reference: a, other: b)
            case (.failure(let e), .success): problem = "\(reference.engine.name) failed: \(e)"
            case (.success, .failure(let e)): problem = "\(other.engine.name) failed: \(e)"
            case (.failure(let e1), .failure(let e2)): problem = "both failed: \(reference.engine.name): \(e1); \(other.engine.name): \(e2)"
            }
            guard let problem else { continue }
            messages.append(
                report(
                    label: label, plan: plan, asOf: asOf, fields: fields, engines: [reference.engine, other.engine],
                    headline: "\(other.engine.name) disagrees with \(reference.engine.name) (expected)", problem))
        }
        return messages
    }

    /// Records an issue per disagreement; returns whether the engines agreed.
    @discardableResult
    func check(_ plan: Plan, asOf: Day, label: String, tolerances: [Tolerance] = [], sourceLocation: SourceLocation = #_sourceLocation)
        -> Bool
    {
        let messages = disagreements(plan, asOf: asOf, label: label, tolerances: tolerances)
        for m in messages { Issue.record(Comment(rawValue: m), sourceLocation: sourceLocation) }
        return messages.isEmpty
    }

    func report(
        label: String, plan: Plan, asOf: Day, fields: [Field], engines: [any AnalyticsEngine] = [], headline: String, _ problem: String
    ) -> String {
        var scripts: [(dialect: String, text: String)] = []
        for engine in engines {
            if let script = engine.sql(plan, asOf: asOf), !scripts.contains(where: { $0.dialect == script.dialect }) {
                scripts.append(script)
            }
        }
        if !scripts.contains(where: { $0.dialect == "sqlite" }) {
            do {
                scripts.insert(("sqlite", try SQLRenderer(dialect: .sqlite, asOf: asOf, catalog: catalog).render(plan).pasteable), at: 0)
            } catch {
                scripts.insert(("sqlite", "(does not render: \(error))"), at: 0)
            }
        }
        return """
            [\(label)] \(headline), as of \(asOf.iso)
            \(problem)
            columns: \(fields.map { "\($0.name) \($0.type)" }.joined(separator: ", "))
            plan:
            \(PlanText.visible(PlanText.describe(plan)))
            """ + scripts.map { "\nSQL (\($0.dialect)):\n" + PlanText.visible($0.text) }.joined()
    }
}

// MARK: - Plans as text

/// An indented tree of a plan, one node per line, for failure messages.
enum PlanText {
    /// Non-ASCII characters spelled out (`\u{E9}`), so that byte-different but equal-looking text shows.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    static func describe(_ plan: Plan, indent: Int = 1) -> String {
        let pad = String(repeating: "  ", count: indent)
        func named(_ list: [NamedExpr]) -> String { list.map { "\($0.name) = \($0.expr)" }.joined(separator: ", ") }
        func keys(_ list: [SortKey]) -> String { list.map { $0.column + ($0.descending ? " DESC" : " ASC") }.joined(separator: ", ") }
        switch plan {
        case .scan(let table, let columns):
            return pad + "scan \(table) ["
                + columns.map { $0.source == $0.name ? $0.name : "\($0.source) AS \($0.name)" }.joined(separator: ", ") + "]"
        case .filter(let input, let e):
            return pad + "filter \(e)\n" + describe(input, indent: indent + 1)
        case .join(let kind, let l, let r, let on):
            return pad + "\(kind.rawValue) join on " + on.map { "\($0.left) = \($0.right)" }.joined(separator: " AND ") + "\n"
                + describe(l, indent: indent + 1) + "\n" + describe(r, indent: indent + 1)
        case .aggregate(let input, let groups, let measures):
            let m = measures.map { "\($0.name) = \($0.function.rawValue)(\($0.argument.map { "\($0)" } ?? "*"))" }.joined(separator: ", ")
            return pad + "aggregate by [\(named(groups))] measures [\(m)]\n" + describe(input, indent: indent + 1)
        case .window(let input, let partition, let order, let lags):
            let l = lags.map { "\($0.name) = LAG(\($0.column), \($0.offset))" }.joined(separator: ", ")
            return pad + "window partition [\(partition.joined(separator: ", "))] order [\(keys(order))] lags [\(l)]\n"
                + describe(input, indent: indent + 1)
        case .project(let input, let columns):
            return pad + "project [\(named(columns))]\n" + describe(input, indent: indent + 1)
        case .sort(let input, let k):
            return pad + "sort [\(keys(k))]\n" + describe(input, indent: indent + 1)
        case .limit(let input, let n):
            return pad + "limit \(n)\n" + describe(input, indent: indent + 1)
        }
    }
}

// MARK: - Temporary stores

enum TemporaryStore {
    /// A fresh SQLite store in its own temporary directory (not migrated).
    static func make(_ label: String) throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-difftest-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
    }

    /// Deletes the temporary directory of a store made by `make` (soak runs make thousands).
    static func remove(_ store: SQLiteStore) {
        guard case .sqlite(let path) = store.url else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        guard directory.lastPathComponent.hasPrefix("decisioning-difftest-") else { return }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Creates `schema` in `store` and inserts `rows` (which follow the schema's columns) in one batch.
    static func load(_ schema: TableSchema, rows: [[Value]], into store: any Store) throws {
        try store.createTable(schema)
        try append(rows, to: schema, in: store)
    }

    static func append(_ rows: [[Value]], to schema: TableSchema, in store: any Store, onConflict: ConflictPolicy = .fail) throws {
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: schema, columns: schema.columnNames, onConflict: onConflict)
            for row in rows { _ = try inserter.insert(row) }
        }
    }
}

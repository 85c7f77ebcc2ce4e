import DecisioningCore
import DecisioningTestSupport
import Foundation
import Testing

/// What the `decisioning` binary promises about its outputs, checked on the files it writes:
/// results.json follows docs/results.schema.json, two processes over the same data write the same
/// results.json and report.md apart from ids and timings, and unknown names exit non-zero with the
/// names that would have been accepted.
@Suite(.serialized, .timeLimit(.minutes(10))) struct OutputContractTests {
    // MARK: Running the binary

    struct ProcessOutcome: Sendable {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
        /// Exited by itself (not killed by a signal, e.g. a crash).
        var exited: Bool { reason == .exit }
    }

    struct ContractError: Error, CustomStringConvertible, Sendable {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The `decisioning` binary built beside this test bundle.
    static let executable: URL = {
        let tests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = tests.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("decisioning").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("decisioning")
    }()

    /// The repository's root, from this file's place in it (Tests/DecisioningCLITests/…).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("output-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts the binary with its standard output and error going to files (no pipe can fill up),
    /// so several can run at once; `wait()` collects the outcome.
    final class Child: @unchecked Sendable {
        let process = Process()
        let outFile: URL, errFile: URL

        init(_ arguments: [String], in directory: URL, logs: URL) throws {
            let tag = UUID().uuidString
            outFile = logs.appendingPathComponent("stdout-\(tag).log")
            errFile = logs.appendingPathComponent("stderr-\(tag).log")
            _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
            process.executableURL = OutputContractTests.executable
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardOutput = try FileHandle(forWritingTo: outFile)
            process.standardError = try FileHandle(forWritingTo: errFile)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        func wait() throws -> ProcessOutcome {
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: outFile)
                try? FileManager.default.removeItem(at: errFile)
            }
            return ProcessOutcome(
                status: process.terminationStatus, reason: process.terminationReason,
                stdout: try String(contentsOf: outFile, encoding: .utf8), stderr: try String(contentsOf: errFile, encoding: .utf8))
        }
    }

    /// Runs the binary in `directory` to the end; its logs are kept outside `directory`.
    static func invoke(_ arguments: [String], in directory: URL) throws -> ProcessOutcome {
        try Child(arguments, in: directory, logs: FileManager.default.temporaryDirectory).wait()
    }

    /// The one file named `name` under `directory` (the run writes DIR/<run id>/name).
    static func single(_ name: String, under directory: URL) throws -> URL {
        let found = (FileManager.default.subpaths(atPath: directory.path) ?? []).filter { ($0 as NSString).lastPathComponent == name }
        guard found.count == 1 else { throw ContractError("expected one \(name) under \(directory.path), found \(found)") }
        return directory.appendingPathComponent(found[0])
    }

    // MARK: JSON

    static var schemaFile: URL { repositoryRoot.appendingPathComponent("docs/results.schema.json") }

    /// A canonical text of a JSON value: keys sorted, no whitespace, numbers as the shortest text
    /// that reads back as the same double. Equal texts mean equal documents.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : "\(n)"
        case .string(let s):
            return String(decoding: (try? JSONEncoder().encode(s)) ?? Data(), as: UTF8.self)
        case .array(let items):
            return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let object):
            return "{" + object.keys.sorted().map { canonical(.string($0)) + ":" + canonical(object[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func decode(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }
    static func encode(_ value: JSONValue) -> Data { Data(canonical(value).utf8) }

    /// The value at `path` (object keys, or array indexes as decimal text) set to `newValue`,
    /// or removed when `newValue` is nil. Throws when a step of the path is not there.
    static func replacing(_ path: [String], in value: JSONValue, with newValue: JSONValue?) throws -> JSONValue? {
        guard let key = path.first else { return newValue }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var object):
            guard let child = object[key] else {
                if rest.isEmpty {
                    object[key] = newValue
                    return .object(object)
                }
                throw ContractError("no key \(key)")
            }
            object[key] = try replacing(rest, in: child, with: newValue)
            return .object(object)
        case .array(var array):
            guard let i = Int(key), array.indices.contains(i) else { throw ContractError("no index \(key)") }
            if let replaced = try replacing(rest, in: array[i], with: newValue) { array[i] = replaced } else { array.remove(at: i) }
            return .array(array)
        default:
            throw ContractError("\(key) under a \(value.typeName)")
        }
    }

    // MARK: The results.json of `decisioning run`

    /// `generate --scale 0.01 --seed 7` then `run`, once for the suite: the bytes of the
    /// results.json the run wrote to disk.
    static let runResults: Result<Data, ContractError> = {
        do {
            let dir = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let generated = try invoke(
                ["generate", "--scale", "0.01", "--seed", "7", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: dir)
            guard generated.status == 0 else { return .failure(ContractError("generate exited \(generated.status): \(generated.all)")) }
            let run = try invoke(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
            guard run.status == 0 else { return .failure(ContractError("run exited \(run.status): \(run.all)")) }
            return .success(try Data(contentsOf: single("results.json", under: dir.appendingPathComponent("o"))))
        } catch {
            return .failure(ContractError("\(error)"))
        }
    }()

    @Test func theResultsJSONARunWritesFollowsTheSchema() throws {
        let data = try Self.runResults.get()
        let checker = try SchemaValidator(file: Self.schemaFile.path)
        let violations = try checker.violations(of: data)
        #expect(violations.isEmpty, "\(violations.prefix(20).joined(separator: "\n"))")
        // The document is a real run, not an empty shell that trivially passes.
        let document = try Self.decode(data)
        guard case .object(let top) = document, case .object(let run)? = top["run"], case .array(let agents)? = top["agents"],
            case .array(let decisions)? = top["decisions"]
        else {
            Issue.record("results.json is not an object with run, agents and decisions")
            return
        }
        #expect(run["as_of"] == .string("2026-06-30"))
        #expect(run["analysis"] == .string("strategic_business_health"))
        #expect(run["database"] == .string("sqlite:d.sqlite"))
        #expect(agents.count == 6)
        #expect(!decisions.isEmpty)
    }

    @Test func theSchemaCheckerRejectsWhatTheSchemaForbids() throws {
        let valid = try Self.decode(try Self.runResults.get())
        let checker = try SchemaValidator(file: Self.schemaFile.path)
        try #require(try checker.violations(of: Self.encode(valid)) == [], "the re-encoded run must be valid to begin with")

        // Each change breaks one rule of the schema, and only that one is reported.
        let cases: [(change: String, path: [String], value: JSONValue?, violation: String)] = [
            ("an unknown top-level key", ["surprise"], .string("x"), "$: unexpected property surprise"),
            ("a missing required key", ["decisions"], nil, "$: missing required decisions"),
            ("a missing required key of run", ["run", "status"], nil, "$.run: missing required status"),
            (
                "a value outside an enum", ["run", "status"], .string("maybe"),
                #"$.run.status: "maybe" is not one of ["\"succeeded\"", "\"degraded\"", "\"failed\""]"#
            ),
            ("a wrong type", ["run", "seed"], .string("42"), "$.run.seed: expected integer, found string"),
            ("a fraction where an integer belongs", ["run", "seed"], .number(4.5), "$.run.seed: expected integer, found number"),
            ("a wrong type of a whole section", ["agents"], .object([:]), "$.agents: expected array, found object"),
            ("an unknown key deep inside an agent", ["agents", "0", "surprise"], .bool(true), "$.agents[0]: unexpected property surprise"),
            ("the wrong schema version", ["schema_version"], .number(2), "$.schema_version: expected 1, found 2"),
        ]
        for c in cases {
            guard let changed = try Self.replacing(c.path, in: valid, with: c.value) else { continue }
            let violations = try checker.violations(of: Self.encode(changed))
            #expect(violations == [c.violation], "\(c.change): \(violations)")
        }
    }

    // MARK: Determinism across processes

    /// results.json without what differs between two runs by design: ids, timestamps, durations
    /// and the database URL (different files here), in canonical form.
    static func normalisedResults(_ data: Data) throws -> String {
        guard case .object(var top) = try decode(data), case .object(var run)? = top["run"], case .array(var agents)? = top["agents"] else {
            throw ContractError("results.json is not an object with run and agents")
        }
        for key in ["run_id", "started_at", "finished_at", "duration_ms", "database"] {
            guard run.removeValue(forKey: key) != nil else { throw ContractError("run.\(key) missing") }
        }
        for i in agents.indices {
            guard case .object(var agent) = agents[i], agent.removeValue(forKey: "duration_ms") != nil else {
                throw ContractError("agents[\(i)].duration_ms missing")
            }
            agents[i] = .object(agent)
        }
        top["run"] = .object(run)
        top["agents"] = .array(agents)
        return canonical(.object(top))
    }

    /// report.md with the run id, the database URL and the agents' wall times replaced by
    /// placeholders; also the number of wall times replaced.
    static func normalisedReport(_ text: String, runId: String, database: String) throws -> (text: String, durations: Int) {
        guard text.contains(runId) else { throw ContractError("report.md does not name run \(runId)") }
        var durations = 0
        let lines = text.replacingOccurrences(of: runId, with: "RUN-ID").replacingOccurrences(of: database, with: "DATABASE")
            .split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                // "**SUCCEEDED** confidence 81% · 6.4 s" / "… · 20 ms"
                guard line.hasPrefix("**"), let match = line.firstMatch(of: /^(\*\*[A-Z]+\*\* confidence \d+% · )\d+(\.\d+)? (ms|s)$/)
                else { return String(line) }
                durations += 1
                return String(match.1) + "DURATION"
            }
        return (lines.joined(separator: "\n"), durations)
    }

    @Test func twoProcessesWriteTheSameResultsAndReport() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two processes at once, each generating its own company (demo, scale 0.02) and running the flow.
        let children = try ["A", "B"].map { name in
            try Child(
                ["demo", "--scale", "0.02", "--database", "sqlite:\(name).sqlite", "--as-of", "2026-06-30", "--out", "o\(name)"], in: dir,
                logs: FileManager.default.temporaryDirectory)
        }
        let outcomes = try children.map { try $0.wait() }
        for outcome in outcomes { try #require(outcome.status == 0, "\(outcome.all)") }

        var results: [String] = []
        var reports: [String] = []
        var rawResults: [Data] = []
        var rawReports: [String] = []
        for name in ["A", "B"] {
            let out = dir.appendingPathComponent("o\(name)")
            let data = try Data(contentsOf: Self.single("results.json", under: out))
            rawResults.append(data)
            results.append(try Self.normalisedResults(data))
            guard case .object(let top) = try Self.decode(data), case .object(let run)? = top["run"],
                case .string(let runId)? = run["run_id"],
                case .array(let agents)? = top["agents"]
            else { throw ContractError("no run.run_id in \(name)") }
            #expect(run["database"] == .string("sqlite:\(name).sqlite"))
            let report = try String(contentsOf: Self.single("report.md", under: out), encoding: .utf8)
            rawReports.append(report)
            let (text, durations) = try Self.normalisedReport(report, runId: runId, database: "sqlite:\(name).sqlite")
            // Exactly one wall time per agent was replaced: the normalisation hides nothing else.
            #expect(durations == agents.count, "\(name): \(durations) durations replaced for \(agents.count) agents")
            reports.append(text)
        }
        // The raw files differ (two runs, two ids), so the comparison below is not vacuous.
        #expect(rawResults[0] != rawResults[1])
        #expect(rawReports[0] != rawReports[1])
        // Compared as Booleans so a failure prints the first difference, not two whole documents.
        let sameResults = results[0] == results[1]
        let sameReports = reports[0] == reports[1]
        #expect(sameResults, "results.json differs beyond ids and timings:\n\(Self.firstDifference(results[0], results[1]))")
        #expect(sameReports, "report.md differs beyond ids and timings:\n\(Self.firstDifference(reports[0], reports[1], by: "\n"))")
        #expect(reports[0].contains("## Top decisions"))
    }

    /// Where two texts part, with a little context, for a readable failure.
    static func firstDifference(_ a: String, _ b: String, by separator: Character = ",") -> String {
        let x = a.split(separator: separator, omittingEmptySubsequences: false)
        let y = b.split(separator: separator, omittingEmptySubsequences: false)
        guard let i = zip(x, y).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
            return "one is a prefix of the other (\(x.count) vs \(y.count) parts)"
        }
        return "at part \(i):\n< \(x[i].prefix(400))\n> \(y[i].prefix(400))"
    }

    // MARK: Exit codes

    @Test func anUnknownQueryExitsNonZeroListingTheAnalyses() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try Self.invoke(["query", "nosuch-analysis", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(outcome.exited && outcome.status != 0, "status \(outcome.status): \(outcome.all)")
        #expect(outcome.stderr.contains("unknown analysis 'nosuch-analysis'"), "\(outcome.all)")
        let listed = outcome.stderr.firstMatch(of: /choose one of: ([a-z, -]+)/).map { $0.1.split(separator: ", ").map(String.init) } ?? []
        for known in ["landscape", "financial-trend", "industry-performance", "anomaly-candidates"] {
            #expect(listed.contains(known), "\(known) not listed: \(outcome.stderr)")
        }
        // Every name offered is one the binary knows (its SQL prints without a database).
        for name in listed {
            let sql = try Self.invoke(["sql", name], in: dir)
            #expect(sql.status == 0 && !sql.stdout.isEmpty, "\(name) is offered but `sql \(name)` says: \(sql.all)")
        }
        // Refused before touching anything: no database file was created.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.sqlite").path))
    }

    @Test func anUnknownRunAnalysisExitsNonZeroNamingTheFlowsAnalysis() throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try Self.invoke(["run", "--analysis", "nosuch", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        #expect(outcome.exited && outcome.status != 0, "status \(outcome.status): \(outcome.all)")
        #expect(outcome.stderr.contains("unknown analysis 'nosuch'"), "\(outcome.all)")
        #expect(outcome.stderr.contains("strategic_business_health"), "\(outcome.all)")
        for name in Configuration.analyses { #expect(outcome.stderr.contains(name), "\(name): \(outcome.all)") }
        // Refused before the run: no database and no output directory.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left.isEmpty, "\(left)")
    }
}

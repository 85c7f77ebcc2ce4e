import DecisioningCore
import Foundation
import Testing

/// The `decisioning` binary as a user runs it: exit codes, messages, files, and what is printed
/// to a terminal. The binary is the one built beside this test bundle.
@Suite(.serialized) struct CommandLineTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    static let binary: URL = {
        let tests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = tests.deletingLastPathComponent()
        // The test bundle may be a directory (…/DecisioningPackageTests.xctest/…); walk up to the products.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("decisioning").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("decisioning")
    }()

    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], executable: URL = binary
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A scratch directory with a small generated company in `d.sqlite`.
    static func company() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let generated = try run(
            ["generate", "--scale", "0.01", "--seed", "7", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: dir)
        guard generated.status == 0 else { throw CLITestError("generate failed: \(generated.all)") }
        return dir
    }

    struct CLITestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func theBinaryIsThere() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "\(Self.binary.path)")
    }

    @Test func valuesThatUsedToCrashAreRefusedWithTheirRange() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let farFuture = try Self.run(["generate", "--as-of", "2500-01-01", "--scale", "0.01", "--database", "sqlite:g.sqlite"], in: dir)
        #expect(farFuture.status == 1)
        #expect(farFuture.stderr.contains("to 2073-12-31"), "\(farFuture.all)")
        let negative = try Self.run(["generate", "--scale", "-1", "--database", "sqlite:g.sqlite"], in: dir)
        #expect(negative.status == 1)
        #expect(negative.stderr.contains("--scale must be greater than 0 and at most 100, found -1.0"), "\(negative.all)")

        let config = dir.appendingPathComponent("c.json")
        for (json, key) in [
            (#"{"agents": {"discovery_agent": {"timeout": 1e10}}}"#, "agents.discovery_agent.timeout"),
            (
                #"{"agents": {"decision_agent": {"thresholds": {"cost_of_capital": 1e308}}}}"#,
                "agents.decision_agent.thresholds.cost_of_capital"
            ),
            (#"{"agents": {"decision_agent": {"thresholds": {"bogus": 1}}}}"#, "agents.decision_agent.thresholds.bogus"),
        ] {
            try Data(json.utf8).write(to: config)
            let outcome = try Self.run(["run", "--config", config.path, "--database", "sqlite:g.sqlite"], in: dir)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains(key), "\(outcome.all)")
        }
    }

    @Test func readOnlyCommandsRefuseADatabaseThatDoesNotExist() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["query", "landscape"], ["run"], ["bench", "analytics"]] {
            let outcome = try Self.run(command + ["--database", "sqlite:typo/nosuch.sqlite"], in: dir)
            #expect(outcome.status == 1, "\(command): \(outcome.all)")
            #expect(outcome.stderr.contains("decisioning init"), "\(command): \(outcome.all)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo").path))
    }

    @Test func secretsInURLsAreRefusedAndNeverEchoed() throws {
        let dir = FileManager.default.temporaryDirectory
        for url in ["mysql://u@127.0.0.1:1/db?password=SECRET", "MYSQL://u:SECRET@127.0.0.1:1/db", "mysql://u@127.0.0.1:1/db?tsl=required"]
        {
            let outcome = try Self.run(["doctor", "--database", url], in: dir)
            #expect(outcome.status != 0, "\(url)")
            #expect(!outcome.all.contains("SECRET"), "\(outcome.all)")
        }
        let typo = try Self.run(["query", "landscape", "--database", "mysql://u@127.0.0.1:1/db?TLS=required"], in: dir)
        #expect(typo.stderr.contains("known options: tls, ca, server_public_key, connect_timeout"), "\(typo.all)")
    }

    @Test func aFileAsOutIsRefusedBeforeTheRunAndNothingIsStored() throws {
        let dir = try Self.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("taken")
        try Data().write(to: file)
        let outcome = try Self.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "taken"], in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("--out taken is a file, not a directory"), "\(outcome.all)")
        #expect(!outcome.all.contains("NSCocoaErrorDomain"))
        let empty = try Self.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", ""], in: dir)
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("--out is empty"), "\(empty.all)")
        let runs = try Self.run(["query", "landscape", "--database", "sqlite:d.sqlite", "--as-of", "2026-06-30"], in: dir)
        #expect(runs.status == 0, "\(runs.all)")
    }

    @Test func textFromTheDataCannotDriveTheTerminal() throws {
        let dir = try Self.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv =
            "project_id,project_name,project_type,start_date,end_date,budget_amount,actual_cost,status,customer_id\n"
            + "PX1,\"Evil\u{1B}]0;owned\u{07}\u{1B}[2J\",CONSULTING,2026-01-05,2026-12-31,1000.00,5000.00,ACTIVE,C000001\n"
        try Data(csv.utf8).write(to: dir.appendingPathComponent("projects.csv"))
        let ingested = try Self.run(["ingest", "--table", "projects", "projects.csv", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(ingested.status == 0, "\(ingested.all)")
        let query = try Self.run(
            ["query", "anomaly-candidates", "--limit", "500", "--database", "sqlite:d.sqlite", "--as-of", "2026-06-30"], in: dir)
        #expect(query.status == 0, "\(query.all)")
        #expect(query.stdout.contains("Evil\\u{1B}]0;owned\\u{7}"), "\(query.stdout.prefix(2000))")
        #expect(!query.all.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let run = try Self.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        #expect(!run.all.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let reports = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("o").path).filter {
            $0.hasSuffix("report.md")
        }
        let report = try String(contentsOf: dir.appendingPathComponent("o/" + (reports.first ?? "missing")), encoding: .utf8)
        #expect(!report.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0 })
    }

    @Test func csvCarriesFullPrecision() throws {
        let dir = try Self.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try Self.run(
            ["query", "industry-performance", "--format", "csv", "--database", "sqlite:d.sqlite", "--as-of", "2026-06-30"], in: dir)
        #expect(csv.status == 0, "\(csv.all)")
        let efficiency = csv.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").dropFirst(3).first }
        #expect(!efficiency.isEmpty)
        // A ratio of two amounts almost never has 6 significant digits or fewer.
        #expect(efficiency.contains { $0.filter(\.isNumber).count > 7 }, "\(efficiency)")
    }

    @Test func aRunThatMakesNoDecisionFailsWithExitCode2() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.run(["init", "--database", "sqlite:e.sqlite"], in: dir).status == 0)
        let run = try Self.run(
            ["run", "--as-of", "2026-06-30", "--database", "sqlite:e.sqlite", "--out", "o", "--format", "json"], in: dir)
        #expect(run.status == 2, "\(run.stderr)")
        let results = try JSONDecoder().decode(JSONValue.self, from: Data(run.stdout.utf8))
        guard case .object(let top) = results, case .object(let info)? = top["run"], case .array(let decisions)? = top["decisions"] else {
            Issue.record("no results.json on stdout")
            return
        }
        #expect(info["status"] == .string("failed"))
        #expect(decisions.isEmpty)
    }

    @Test func sqlTakesTheGlobalOptions() throws {
        let dir = FileManager.default.temporaryDirectory
        let mysql = try Self.run(["sql", "landscape", "--database", "mysql://u@h/db", "--log-level", "debug"], in: dir)
        #expect(mysql.status == 0, "\(mysql.all)")
        #expect(mysql.stdout.contains("`"), "MySQL quoting expected for a mysql:// database")
        let sqlite = try Self.run(["sql", "landscape"], in: dir)
        #expect(sqlite.stdout.contains("\""))
    }
}

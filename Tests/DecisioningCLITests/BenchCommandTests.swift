import DecisioningCore
import Foundation
import Testing

/// `bench flow` and `bench soak` as a user runs them: they leave the user's database as it was.
@Suite(.serialized) struct BenchCommandTests {
    typealias CLI = CommandLineTests

    /// Rows of the run tables in the SQLite file `path`, read with the sqlite3 shell.
    static func runRows(_ path: URL) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["analysis_runs", "agent_results", "decisions", "alerts"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", "-readonly", path.path, "SELECT COUNT(*) FROM \(table)"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard process.terminationStatus == 0, let count = Int(text) else {
                throw CLI.CLITestError("sqlite3 could not count \(table) in \(path.path): '\(text)'")
            }
            counts[table] = count
        }
        return counts
    }

    @Test func benchFlowLeavesTheDatabaseAsItWas() throws {
        let dir = try CLI.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("d.sqlite")
        // One stored run first, so the counts are not all zero.
        let run = try CLI.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        #expect(run.status == 0, "\(run.all)")
        let before = try Self.runRows(database)
        #expect(before["analysis_runs"] == 1 && (before["decisions"] ?? 0) > 0, "\(before)")
        let bytes = try Data(contentsOf: database)

        let bench = try CLI.run(["bench", "flow", "--runs", "1", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(bench.status == 0, "\(bench.all)")
        #expect(bench.stdout.contains("median"), "\(bench.all)")
        #expect(bench.stdout.contains("temporary copy"), "\(bench.all)")
        #expect(try Self.runRows(database) == before)
        #expect(try Data(contentsOf: database) == bytes, "the database file changed")
    }

    @Test func benchFlowRefusesAServerDatabaseWithoutConsentAndItsHelpReads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Refused before any connection is attempted (nothing listens on port 1).
        let refused = try CLI.run(["bench", "flow", "--database", "mysql://bench@127.0.0.1:1/bench"], in: dir)
        #expect(refused.status == 1, "\(refused.all)")
        #expect(refused.stderr.contains("--allow-writes"), "\(refused.all)")
        for command in [["bench", "flow"], ["bench", "soak"], ["bench", "analytics"]] {
            let help = try CLI.run(command + ["--help"], in: dir)
            #expect(help.status == 0, "\(command): \(help.all)")
            #expect(!help.stdout.contains("DayArgument("), "\(command): \(help.stdout)")
        }
        #expect(try CLI.run(["bench", "flow", "--help"], in: dir).stdout.contains("default today"))
    }

    @Test func aShortSoakPrintsThreadsAndMemoryAndTimesAnAgentOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let soak = try CLI.run(["bench", "soak", "--runs", "3", "--scale", "0.01", "--as-of", "2026-06-30"], in: dir)
        #expect(soak.status == 0, "\(soak.all)")
        let lines = soak.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("threads") && $0.contains("RSS MiB") }, "\(soak.stdout)")
        // The samples: the run number first, the timeouts so far in the eighth column.
        let samples = lines.map { $0.split(separator: " ") }.filter { $0.count == 9 && Int($0[0]) != nil }
        #expect(samples.map { Int($0[0]) } == [0, 3], "\(soak.stdout)")
        #expect(samples.last.flatMap { Int($0[7]) }.map { $0 >= 1 } == true, "no timed-out agent: \(soak.stdout)")
        #expect(samples.allSatisfy { (Int($0[1]) ?? 0) > 0 && (Double($0[2]) ?? 0) > 0 }, "\(soak.stdout)")
        #expect(lines.contains { $0.hasPrefix("threads:") && $0.hasSuffix("held") }, "\(soak.stdout)")
        #expect(lines.contains { $0.hasPrefix("RSS:") && $0.hasSuffix("held") }, "\(soak.stdout)")
        // Nothing is left in the working directory: the database and the runs' files were temporary.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aSoakReportsInJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let soak = try CLI.run(
            ["bench", "soak", "--runs", "2", "--scale", "0.01", "--as-of", "2026-06-30", "--timeout-every", "1", "--format", "json"],
            in: dir)
        #expect(soak.status == 0, "\(soak.all)")
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(soak.stdout.utf8))
        guard case .object(let top) = report, case .array(let samples)? = top["samples"], case .object(let last)? = samples.last else {
            Issue.record("no report on stdout: \(soak.stdout)")
            return
        }
        #expect(samples.count == 2)
        #expect(top["passed"] == .bool(true))
        #expect(last["run"] == .number(2))
        if case .number(let timeouts)? = last["timeouts"] { #expect(timeouts >= 1) } else { Issue.record("no timeouts: \(last)") }
        if case .number(let threads)? = last["threads"] { #expect(threads > 0) } else { Issue.record("no threads: \(last)") }
    }
}

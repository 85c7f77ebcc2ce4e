import Foundation
import Synchronization
import Testing

/// `decisioning serve` as an operator runs it: a real process on a free port, real HTTP (curl), and
/// real signals — SIGTERM during a run stores it as cancelled and the process exits 0; kill -9 during
/// a run leaves it running until the next server closes it.
@Suite(.serialized) struct ServeCommandTests {
    /// A running `decisioning serve`, its address and what it printed on standard error.
    final class Server: Sendable {
        let process: Process
        let port: Int
        private let log: LogBuffer

        init(in directory: URL, arguments: [String] = []) throws {
            let process = Process()
            process.executableURL = CommandLineTests.binary
            process.arguments = ["serve", "--database", "sqlite:d.sqlite", "--listen", "127.0.0.1:0"] + arguments
            process.currentDirectoryURL = directory
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let log = LogBuffer()
            err.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if !data.isEmpty { log.append(String(decoding: data, as: UTF8.self)) }
            }
            let end = Date().addingTimeInterval(60)
            var port: Int?
            while port == nil, Date() < end, process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                let text = log.text
                if let range = text.range(of: "listening on http://127.0.0.1:") {
                    port = Int(text[range.upperBound...].prefix { $0.isNumber })
                }
            }
            guard let port else {
                process.terminate()
                throw CommandLineTests.CLITestError("serve did not start: \(log.text)")
            }
            self.process = process
            self.port = port
            self.log = log
        }

        var stderr: String { log.text }

        /// Waits up to `seconds` for the process to exit; its status, or nil when it is still running.
        func exit(within seconds: Double) -> Int32? {
            let end = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    /// curl with `arguments`; its standard output.
    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "120"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func key(_ directory: URL) throws -> String {
        let created = try CommandLineTests.run(
            ["keys", "create", "--role", "analyst", "--name", "ops", "--database", "sqlite:d.sqlite"], in: directory)
        #expect(created.status == 0, "\(created.all)")
        #expect(created.stderr.contains("shown once"))
        return try #require(created.stdout.split(separator: "\n").last.map(String.init))
    }

    static func status(of runId: String, in directory: URL) throws -> String? {
        let listed = try CommandLineTests.run(["runs", "--format", "json", "--database", "sqlite:d.sqlite"], in: directory)
        let object = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [String: Any]
        let runs = object?["runs"] as? [[String: Any]] ?? []
        return runs.first { $0["run_id"] as? String == runId }?["status"] as? String
    }

    static func startRun(port: Int, key: String) throws -> String {
        let body = try curl([
            "-X", "POST", "-H", "Authorization: Bearer \(key)", "-H", "Content-Type: application/json", "-d", "{\"as_of\": \"2026-06-30\"}",
            "http://127.0.0.1:\(port)/api/v1/runs",
        ])
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        return try #require(object?["id"] as? String, "\(body)")
    }

    @Test func sigtermDuringARunStoresItAsCancelledAndExitsZero() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try Self.key(dir)
        try Data("{\"service\": {\"shutdown_grace_seconds\": 0}}".utf8).write(to: dir.appendingPathComponent("c.json"))
        let server = try Server(in: dir, arguments: ["--config", "c.json"])
        #expect(try Self.curl(["http://127.0.0.1:\(server.port)/healthz"]).contains("ok"))
        #expect(try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/api/v1/runs"]) == "401")
        let runId = try Self.startRun(port: server.port, key: key)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.exit(within: 60) == 0, "\(server.stderr)")
        #expect(try Self.status(of: runId, in: dir) == "cancelled")
        // The next server replays the run's events, ending with run.finished.
        let next = try Server(in: dir)
        let events = try Self.curl([
            "-N", "-H", "Authorization: Bearer \(key)", "http://127.0.0.1:\(next.port)/api/v1/runs/\(runId)/events",
        ])
        #expect(events.hasPrefix("id: 1\nevent: run.started\n"), "\(events)")
        #expect(events.contains("event: run.finished\ndata: {") && events.contains("\"status\":\"cancelled\""), "\(events)")
        kill(next.process.processIdentifier, SIGTERM)
        #expect(next.exit(within: 60) == 0)
    }

    @Test func aRunInterruptedByKillIsClosedByTheNextServer() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try Self.key(dir)
        let server = try Server(in: dir)
        let runId = try Self.startRun(port: server.port, key: key)
        kill(server.process.processIdentifier, SIGKILL)
        _ = server.exit(within: 30)
        #expect(try Self.status(of: runId, in: dir) == "running")
        let next = try Server(in: dir)
        #expect(next.stderr.contains("closed an interrupted run"), "\(next.stderr)")
        #expect(try Self.status(of: runId, in: dir) == "cancelled")
        // The lease was taken over at once: a new run starts and finishes.
        let again = try Self.startRun(port: next.port, key: key)
        let events = try Self.curl([
            "-N", "-H", "Authorization: Bearer \(key)", "http://127.0.0.1:\(next.port)/api/v1/runs/\(again)/events",
        ])
        #expect(events.contains("event: run.finished"))
        kill(next.process.processIdentifier, SIGTERM)
        #expect(next.exit(within: 60) == 0)
        #expect(try Self.status(of: again, in: dir) == "succeeded")
    }
}

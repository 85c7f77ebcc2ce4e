import DecisioningApplication
import DecisioningCore
import Foundation
import Testing

/// `decisioning serve` killed with SIGKILL while webhook deliveries are pending or being sent:
/// after a restart every alert is delivered, none is lost, and a repeat carries the same webhook-id.
@Suite(.serialized) struct WebhookKillTests {
    /// The `decisioning` binary built beside this test bundle.
    static let binary: URL = {
        let tests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = tests.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("decisioning").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("decisioning")
    }()

    /// Runs the binary to its end; returns its exit status and output.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = directory.appendingPathComponent("command-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Starts `decisioning serve` in the background, its output in `log`.
    static func serve(in directory: URL, environment: [String: String], log: URL) throws -> Process {
        let process = Process()
        // Through exec_unblocked.py (same pid): the server must see the SIGTERM that stops it gracefully.
        let trampoline = WebhookReceiver.script.deletingLastPathComponent().appendingPathComponent("exec_unblocked.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", trampoline.path, binary.path, "serve", "--listen", "127.0.0.1:0", "--config", "config.json", "--database",
            "sqlite:d.sqlite", "--log-level", "info",
        ]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `condition` holds, checking every 0.1 s, for at most `seconds`.
    static func wait(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    @Test(.timeLimit(.minutes(5))) func killedWhileSendingTheServerLosesNoDeliveryAfterARestart() async throws {
        let secret = "whsec_" + Data("kill -9 test secret".utf8).base64EncodedString()
        // Each answer takes 0.4 s, so the server is killed while deliveries are in flight and others wait.
        let receiver = try WebhookReceiver(secret: secret, mode: "slow:0.4")
        defer { receiver.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = """
            {"alerts": {"cooldown_seconds": 3600, "webhooks": [{"name": "ops", "url": "\(receiver.url)", "secret_env": "KILL_TEST_SECRET",
              "min_severity": "info", "max_attempts": 10, "timeout_seconds": 2}]}}
            """
        try configuration.write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let environment = ["KILL_TEST_SECRET": secret]
        let generated = try Self.run(
            ["generate", "--scale", "0.01", "--seed", "7", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: directory)
        try #require(generated.0 == 0, "generate failed: \(generated.1)")
        // A run stores its alerts and queues their deliveries (nothing sends them yet).
        let ran = try Self.run(
            ["run", "--config", "config.json", "--database", "sqlite:d.sqlite", "--as-of", "2026-06-30", "--out", "out"], in: directory,
            environment: environment)
        try #require(ran.0 == 0, "run failed: \(ran.1)")

        let database = DatabaseURL.sqlite(path: directory.appendingPathComponent("d.sqlite").path)
        func application() throws -> DecisioningApplication.Application {
            try DecisioningApplication.Application.open(database, configuration: Configuration(), access: .existing)
        }
        let queued = try application().listDeliveries(limit: 500)
        try #require(queued.count >= 3, "the run must queue several deliveries; it queued \(queued.count)")
        #expect(queued.allSatisfy { $0.state == .pending })

        // Serve until the receiver has something, then kill -9.
        let log = directory.appendingPathComponent("serve.log")
        let first = try Self.serve(in: directory, environment: environment, log: log)
        let started = Self.wait(seconds: 60) { !receiver.received.isEmpty }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try #require(started, "the server sent nothing within 60 s: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(first.terminationReason == .uncaughtSignal)
        let afterKill = try application().listDeliveries(limit: 500)
        let left = afterKill.filter { $0.state == .pending }.count
        #expect(left > 0, "the kill came too late to leave deliveries pending; the test proves nothing")

        // Restart: every delivery is delivered.
        let second = try Self.serve(in: directory, environment: environment, log: log)
        let done = try Self.wait(seconds: 90) { try application().listDeliveries(states: [.pending], limit: 10).isEmpty }
        second.terminate()  // SIGTERM: a graceful stop
        second.waitUntilExit()
        try #require(done, "deliveries still pending after the restart: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(second.terminationStatus == 0)

        let app = try application()
        let deliveries = try app.listDeliveries(limit: 500)
        #expect(deliveries.count == queued.count)
        #expect(deliveries.allSatisfy { $0.state == .delivered })
        let received = receiver.received
        #expect(received.allSatisfy { $0.verified && $0.status == 200 })
        // None lost: every delivery reached the receiver; none invented: every id received is a delivery's.
        #expect(Set(received.map(\.id)) == Set(deliveries.map(\.id)))
        // Every alert was notified once per event, under one id: repeats (at least once) share the id.
        let alerts = try app.listAlerts(AlertQuery(limit: 500)).alerts
        var idsPerAlert: [String: Set<String>] = [:]
        for delivery in deliveries {
            let payload = try StrictJSON.parse(Array(delivery.payload.utf8))
            guard case .object(let body) = payload, case .object(let data)? = body["data"], case .object(let alert)? = data["alert"],
                case .string(let alertId)? = alert["id"]
            else {
                Issue.record("a payload without data.alert.id: \(delivery.payload)")
                continue
            }
            idsPerAlert["\(delivery.eventType) \(alertId)", default: []].insert(delivery.id)
        }
        #expect(Set(idsPerAlert.keys) == Set(alerts.map { "alert.opened \($0.id)" }))
        #expect(idsPerAlert.values.allSatisfy { $0.count == 1 })
        // The secret is never logged.
        let serverLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(serverLog.contains("webhook delivered"))
        #expect(!serverLog.contains(secret) && !serverLog.contains(String(secret.dropFirst("whsec_".count))))
        let repeated = Dictionary(grouping: received, by: \.id).filter { $0.value.count > 1 }
        // A repeat is what the kill left in flight: at most the dispatcher's concurrency (4).
        #expect(repeated.count <= 4)
    }
}

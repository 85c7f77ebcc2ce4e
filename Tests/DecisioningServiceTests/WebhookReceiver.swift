import DecisioningCore
import Foundation

/// The Python receiver (Fixtures/webhook_receiver.py) in a process of its own: it verifies the
/// signatures with its own HMAC code and logs every request it gets.
final class WebhookReceiver {
    struct Received: Equatable {
        var id: String
        var verified: Bool
        var fresh: Bool
        var type: String?
        var status: Int
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/webhook_receiver.py")

    let process = Process()
    let log: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts a receiver answering per `mode` (ok, fail-first:N, always:STATUS, redirect, slow:SECONDS).
    init(secret: String, mode: String = "ok", port: Int = 0) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--secret", secret, "--log", log.path, "--mode", mode, "--port", String(port)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, words[0] == "listening", let port = Int(words[1]) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the receiver did not start: \(words)"])
        }
        self.port = port
    }

    /// Every request received so far, in order.
    var received: [Received] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? StrictJSON.parse(Array(line.utf8)), case .object(let o) = value, case .string(let id)? = o["id"],
                case .bool(let verified)? = o["verified"], case .bool(let fresh)? = o["fresh"], case .number(let status)? = o["status"]
            else { return nil }
            var type: String?
            if case .string(let t)? = o["type"] { type = t }
            return Received(id: id, verified: verified, fresh: fresh, type: type, status: Int(status))
        }
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }
}

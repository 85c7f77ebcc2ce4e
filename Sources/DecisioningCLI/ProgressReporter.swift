import Foundation
import Synchronization

/// A one-line progress bar on a terminal's standard error; silent when standard error is a pipe or file.
final class ProgressReporter: Sendable {
    private let enabled: Bool
    private let label: String
    private let lastDraw = Mutex(Date.distantPast)

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    func update(done: Int64, total: Int64, detail: String = "") {
        guard enabled else { return }
        let now = Date()
        let draw = lastDraw.withLock { lastDraw -> Bool in
            guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return false }
            lastDraw = now
            return true
        }
        guard draw else { return }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(label) \(bar) \(Int(fraction * 100))% \(detail)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func status(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(text)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

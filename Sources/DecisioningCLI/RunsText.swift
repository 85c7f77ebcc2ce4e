import DecisioningApplication
import DecisioningCore
import Foundation

/// The wording of `decisioning runs`.
enum RunsText {
    static func table(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "No runs stored yet; `decisioning run` makes one." }
        let header = ["run id", "analysis", "as of", "status", "started (UTC)", "seconds"]
        let rows = runs.map { run -> [String] in
            let seconds = run.finishedAt.map { String($0.seconds - run.startedAt.seconds) } ?? ""
            return [
                TerminalText.escaped(run.runId), TerminalText.escaped(run.analysis), run.asOf.iso, run.status?.rawValue ?? "unknown",
                started(run.startedAt), seconds,
            ]
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func json(_ runs: [RunRecord]) throws -> String {
        let objects: [[String: Any]] = runs.map { run in
            var object: [String: Any] = [
                "run_id": run.runId, "analysis": run.analysis, "as_of": run.asOf.iso, "status": run.status?.rawValue ?? "unknown",
                "started_at": started(run.startedAt),
            ]
            if let finished = run.finishedAt { object["finished_at"] = started(finished) }
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: ["runs": objects], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func started(_ t: Timestamp) -> String { t.description }
}

import DecisioningApplication
import Foundation

/// The wording of `decisioning migrate`'s report.
enum MigrationText {
    static func report(_ report: MigrationReport) -> String {
        let header = [
            "table", "copied", "already there", "source rows", "destination rows", "source checksum", "destination checksum", "verified",
        ]
        let rows = report.tables.map { t -> [String] in
            [
                t.table, String(t.copied) + (t.replaced > 0 ? " (\(t.replaced) replaced)" : ""), String(t.alreadyPresent),
                String(t.source.rows), String(t.destination.rows), String(t.source.hex.prefix(16)), String(t.destination.hex.prefix(16)),
                t.verified ? "yes" : "NO",
            ]
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var lines = ["\(report.from) → \(report.to)", line(header)] + rows.map(line)
        switch report.rapid {
        case .notApplicable: lines.append("HeatWave: not applicable (the destination is SQLite)")
        case .skipped(let reason): lines.append("HeatWave: RAPID load skipped: \(reason)")
        case .loaded(let tables, let loadedNow, let notMarked):
            lines.append(
                "HeatWave: in RAPID: \(tables.isEmpty ? "none" : tables.joined(separator: ", "))"
                    + (loadedNow.isEmpty ? "" : " (loaded now: \(loadedNow.joined(separator: ", ")))")
                    + (notMarked.isEmpty ? "" : "; on InnoDB only (not marked for RAPID): \(notMarked.joined(separator: ", "))"))
        }
        let rate = report.copySeconds > 0 ? Double(report.copiedRows) / report.copySeconds : 0
        lines.append(
            String(
                format: "%d rows copied of %d in %.2f s (%.0f rows/s); %.2f s with verification; ", report.copiedRows, report.sourceRows,
                report.copySeconds, rate, report.totalSeconds) + (report.verified ? "verified" : "NOT verified"))
        return lines.joined(separator: "\n")
    }
}

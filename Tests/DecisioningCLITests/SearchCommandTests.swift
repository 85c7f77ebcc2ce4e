import Foundation
import Testing

/// `decisioning search` as a user runs it: the texts it prints are the data's, so a description holding
/// an escape sequence or a line break reaches the terminal escaped and on one line, while JSON keeps it exact.
@Suite(.serialized) struct SearchCommandTests {
    /// As for `embed`: run when the model is installed, and always (failing without it) under CI.
    static var enabled: Bool { EmbedCommandTests.modelTestsEnabled }

    @Test(.enabled(if: SearchCommandTests.enabled)) func aHostileDescriptionIsPrintedEscapedOnOneLineAndKeptExactInJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("search-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let hostile =
            "Rebuild the quay walls\u{1B}]0;owned\u{07}\nsecond line \u{1B}[2J" + String(repeating: " and dredge the basin", count: 40)
        let csv =
            "project_id,project_name,start_date,budget_amount,description\n"
            + "P1,Harbour,2026-01-01,1000.00,\"\(hostile)\"\nP2,Portal,2026-02-01,2000.00,Build a self-service portal for customers\n"
        try Data(csv.utf8).write(to: dir.appendingPathComponent("projects.csv"))
        let database = "sqlite:" + dir.appendingPathComponent("s.sqlite").path
        let ingested = try CommandLineTests.run(["ingest", "--database", database, "--table", "projects", "projects.csv"], in: dir)
        #expect(ingested.status == 0, "\(ingested.all)")
        let text = try CommandLineTests.run(
            ["search", "deepening a port and repairing its docks", "--entity", "projects", "--database", database], in: dir)
        #expect(text.status == 0, "\(text.all)")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 3, "a header and one line per project: \(text.stdout)")
        #expect(!text.stdout.contains("\u{1B}") && !text.stdout.contains("\u{07}"))
        #expect(lines.count > 1 && lines[1].contains("project P1  DESCRIPTION") && lines[1].contains("\\u{1B}]0;owned"))
        #expect(lines.count > 1 && lines[1].hasSuffix("…") && lines[1].count < 300, "cut to one line")
        let json = try CommandLineTests.run(
            ["search", "deepening a port and repairing its docks", "--entity", "projects", "--format", "json", "--database", database],
            in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let first = (object?["hits"] as? [[String: Any]])?.first
        #expect(first?["text"] as? String == hostile, "JSON keeps the stored text")
        #expect(first?["source"] as? String == "description" && first?["event_id"] == nil)
    }
}

import Foundation
import Testing

/// `decisioning runs`: the stored runs, newest first, and one run's results as they were written.
@Suite(.serialized) struct RunsCommandTests {
    @Test func runsListsTheStoredRunsAndPrintsOneRunsResults() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let none = try CommandLineTests.run(["runs", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(none.status == 0, "\(none.all)")
        #expect(none.stdout.contains("No runs stored yet"))

        var ids: [String] = []
        for asOf in ["2026-05-31", "2026-06-30"] {
            let run = try CommandLineTests.run(
                ["run", "--as-of", asOf, "--database", "sqlite:d.sqlite", "--out", "o", "--format", "json"], in: dir)
            #expect(run.status == 0, "\(run.all)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let id = ((object?["run"] as? [String: Any])?["run_id"] as? String) ?? "missing"
            ids.append(id)
        }

        let listed = try CommandLineTests.run(["runs", "--database", "sqlite:d.sqlite", "--format", "json"], in: dir)
        #expect(listed.status == 0, "\(listed.all)")
        let runs = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
        #expect(runs?.compactMap { $0["as_of"] as? String } == ["2026-06-30", "2026-05-31"], "newest first")
        #expect(Set(runs?.compactMap { $0["run_id"] as? String } ?? []) == Set(ids))

        let limited = try CommandLineTests.run(["runs", "--database", "sqlite:d.sqlite", "--limit", "1"], in: dir)
        #expect(limited.stdout.split(separator: "\n").count == 2, "a header and one run: \(limited.stdout)")

        let shown = try CommandLineTests.run(["runs", "--database", "sqlite:d.sqlite", "--id", ids[0]], in: dir)
        #expect(shown.status == 0, "\(shown.all)")
        let stored = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect((stored?["run"] as? [String: Any])?["as_of"] as? String == "2026-05-31")

        let missing = try CommandLineTests.run(["runs", "--database", "sqlite:d.sqlite", "--id", "no-such-run"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-run"), "\(missing.all)")
    }
}

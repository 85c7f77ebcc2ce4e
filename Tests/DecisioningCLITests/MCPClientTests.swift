import Foundation
import Testing

/// The MCP tools as an LLM client uses them: the official Python SDK (PyPI `mcp`, installed by
/// scripts/test.sh) over stdio against `decisioning mcp` and over streamable HTTP against `/mcp` on
/// `decisioning serve`, checked against the stored run's own decisions and alerts.
@Suite(.serialized) struct MCPClientTests {
    static let client = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mcp_client.py")
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    static let tools = [
        "ask", "explain_decision", "get_run", "latest_decisions", "list_alerts", "list_analyses", "run_analysis", "similar_projects",
        "start_run",
    ]

    /// Runs the client with `arguments`; what it saw.
    static func exercise(_ arguments: [String], in directory: URL) throws -> [String: Any] {
        let outcome = try CommandLineTests.run(["python3", client.path] + arguments, in: directory, executable: python)
        guard outcome.status == 0 else {
            throw CommandLineTests.CLITestError(
                "the MCP client failed (is PyPI's mcp installed? scripts/test.sh installs it): \(outcome.all.suffix(3_000))")
        }
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return try #require(object, "not JSON: \(outcome.stdout)")
    }

    static func calls(_ seen: [String: Any], _ tool: String) -> [[String: Any]] {
        (seen["calls"] as? [[String: Any]] ?? []).filter { $0["tool"] as? String == tool }
    }

    /// The stored run: its id and results, as `decisioning runs` prints them.
    static func storedRun(in directory: URL) throws -> (id: String, results: [String: Any]) {
        let listed = try CommandLineTests.run(["runs", "--format", "json", "--database", "sqlite:d.sqlite"], in: directory)
        let runs = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]]
        let id = try #require(runs?.first?["run_id"] as? String, "\(listed.all)")
        let shown = try CommandLineTests.run(["runs", "--id", id, "--database", "sqlite:d.sqlite"], in: directory)
        return (id, try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]))
    }

    static func plan(_ calls: [(String, [String: Any])]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: calls.map { [$0.0, $0.1] }), as: UTF8.self)
    }

    @Test func overStdioTheToolsAnswerWithTheStoredRunsFiguresAndStartARun() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ran = try CommandLineTests.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        try #require(ran.status == 0, "\(ran.all)")
        let stored = try Self.storedRun(in: dir)
        let decisions = try #require(stored.results["decisions"] as? [[String: Any]])
        let first = try #require(decisions.first?["id"] as? String)
        let database = "sqlite:" + dir.appendingPathComponent("d.sqlite").path
        let agents = stored.results["agents"] as? [[String: Any]] ?? []
        let strategy = agents.compactMap { ($0["data"] as? [String: Any])?["strategy"] as? [String: Any] }.first
        let riskiest = try #require(
            ((strategy?["overrun_risk"] as? [String: Any])?["top"] as? [[String: Any]])?.first?["project_id"] as? String)

        let seen = try Self.exercise(
            [
                "stdio", CommandLineTests.binary.path, database,
                try Self.plan([
                    ("list_analyses", [:]), ("run_analysis", ["name": "industry-performance", "as_of": "2026-06-30", "max_rows": 2]),
                    ("latest_decisions", ["limit": 100]), ("explain_decision", ["id": "\(stored.id):\(first)"]),
                    ("list_alerts", ["limit": 100]), ("get_run", ["id": stored.id]),
                    ("ask", ["question": "revenue by industry in 2026", "as_of": "2026-06-30"]),
                    ("run_analysis", ["name": "no_such_analysis"]), ("explain_decision", ["id": "\(stored.id):NOPE"]),
                    ("latest_decisions", ["limit": 0]), ("get_run", ["id": stored.id, "verbose": true]),
                    ("similar_projects", ["project_id": riskiest, "k": 3, "as_of": "2026-06-30"]),
                    ("similar_projects", ["project_id": "NO-SUCH-PROJECT"]),
                    ("start_run", ["as_of": "2026-06-30"]),
                ]),
            ], in: dir)

        #expect(seen["server"] as? String == "decisioning")
        #expect(seen["tools"] as? [String] == Self.tools)
        #expect((seen["read_only"] as? [String])?.contains("start_run") == false)
        let allCalls = seen["calls"] as? [[String: Any]] ?? []
        #expect(allCalls.filter { $0["is_error"] as? Bool == false }.allSatisfy { $0["text_matches_structured"] as? Bool == true })

        let analyses = Self.calls(seen, "list_analyses").first?["structured"] as? [String: Any]
        #expect((analyses?["analyses"] as? [[String: Any]])?.count == 4)

        let analysis = try #require(Self.calls(seen, "run_analysis").first)
        #expect(analysis["is_error"] as? Bool == false, "\(analysis)")
        let parts = (analysis["structured"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
        #expect(!parts.isEmpty)
        for part in parts {
            let rows = part["rows"] as? [Any] ?? []
            let total = part["total_rows"] as? Int ?? 0
            #expect(rows.count == min(2, total) && (part["truncated"] as? Bool) == (total > 2), "\(part)")
            #expect((part["sql"] as? String)?.uppercased().contains("SELECT") == true)
        }
        #expect((analysis["structured"] as? [String: Any])?["as_of"] as? String == "2026-06-30")

        let latest = Self.calls(seen, "latest_decisions").first?["structured"] as? [String: Any]
        #expect(latest?["run_id"] as? String == stored.id && latest?["as_of"] as? String == "2026-06-30")
        let listed = (latest?["decisions"] as? [[String: Any]] ?? []).compactMap { $0["decision_id"] as? String }
        #expect(listed == decisions.compactMap { $0["id"] as? String }, "the stored ranking, in order")

        let similar = Self.calls(seen, "similar_projects")
        let precedent = (similar.first?["structured"] as? [String: Any])?["precedent"] as? [String: Any]
        #expect((precedent?["cases"] as? [Any])?.count == 3)
        #expect((similar.first?["structured"] as? [String: Any])?["model_probability"] is Double, "the run scored it")
        #expect(similar.last?["is_error"] as? Bool == true && "\(similar.last?["text"] ?? "")".contains("NO-SUCH-PROJECT"))
        let explained = Self.calls(seen, "explain_decision").first?["structured"] as? [String: Any]
        #expect(explained?["id"] as? String == "\(stored.id):\(first)")
        let evidence = explained?["evidence"] as? [[String: Any]] ?? []
        #expect(!evidence.isEmpty)
        #expect(
            evidence.contains { Set(($0["sql"] as? [String: Any] ?? [:]).keys) == ["sqlite", "mysql", "heatwave"] },
            "a named analysis's SQL in each dialect: \(evidence)")

        let alerts = (Self.calls(seen, "list_alerts").first?["structured"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
        #expect(alerts.count == (stored.results["alerts"] as? [Any])?.count, "every alert of the only run is open")

        let run = Self.calls(seen, "get_run").first?["structured"] as? [String: Any]
        #expect(run?["id"] as? String == stored.id && run?["decisions"] as? Int == decisions.count)

        let asked = Self.calls(seen, "ask").first?["structured"] as? [String: Any]
        #expect(asked?["status"] as? String == "answered" && asked?["as_of"] as? String == "2026-06-30", "\(String(describing: asked))")
        #expect(((asked?["answer"] as? [String: Any])?["rows"] as? [Any])?.isEmpty == false)
        #expect(Set(((asked?["evidence"] as? [String: Any])?["sql"] as? [String: Any] ?? [:]).keys) == ["sqlite", "mysql", "heatwave"])

        // What the caller can fix is a tool error that says how.
        let errors = allCalls.filter { $0["is_error"] as? Bool == true }.map { $0["text"] as? String ?? "" }
        #expect(errors.count == 5, "\(errors)")
        #expect(errors.contains { $0.contains("NO-SUCH-PROJECT") && $0.contains("exactly") })
        #expect(errors.contains { $0.contains("industry-performance") && $0.contains("no_such_analysis") })
        #expect(errors.contains { $0.contains("NOPE") && $0.contains("latest_decisions") })
        #expect(errors.contains { $0.contains("limit") && $0.contains("1 to 100") })
        #expect(errors.contains { $0.contains("verbose") })

        // stdio is the local user's: start_run works, and the run finishes.
        let started = try #require(Self.calls(seen, "start_run").first)
        #expect(started["is_error"] as? Bool == false, "\(started)")
        let newId = try #require((started["structured"] as? [String: Any])?["id"] as? String)
        #expect(["succeeded", "degraded"].contains(started["final_status"] as? String ?? ""), "\(started)")
        #expect(seen["latest_results_run_id"] as? String == newId)
        #expect(seen["resources"] as? [String] == ["decisioning://runs/latest/report.md", "decisioning://runs/latest/results.json"])
        #expect((seen["report_starts"] as? String)?.hasPrefix("#") == true)
    }

    @Test func overHTTPTheKeysRoleDecidesAndNoKeyIsRefused() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ran = try CommandLineTests.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        try #require(ran.status == 0, "\(ran.all)")
        let stored = try Self.storedRun(in: dir)
        var keys: [String: String] = [:]
        for role in ["viewer", "analyst"] {
            let created = try CommandLineTests.run(
                ["keys", "create", "--role", role, "--name", "mcp-\(role)", "--database", "sqlite:d.sqlite"], in: dir)
            let key = created.stdout.split(separator: "\n").last.map { String($0) } ?? ""
            try #require(created.status == 0 && !key.isEmpty, "\(created.all)")
            keys[role] = key
        }
        let server = try ServeCommandTests.Server(in: dir)
        defer {
            kill(server.process.processIdentifier, SIGTERM)
            _ = server.exit(within: 60)
        }
        let url = "http://127.0.0.1:\(server.port)/mcp"
        let refused = try ServeCommandTests.curl([
            "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: application/json", "-H", "Accept: application/json",
            "-d", #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, url,
        ])
        #expect(refused == "401")
        #expect(
            try ServeCommandTests.curl([
                "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(keys["viewer"] ?? "")", url,
            ]) == "405")

        let viewer = try Self.exercise(
            ["http", url, try #require(keys["viewer"]), try Self.plan([("latest_decisions", ["limit": 3]), ("start_run", [:])])], in: dir)
        #expect(viewer["tools"] as? [String] == Self.tools)
        #expect((Self.calls(viewer, "latest_decisions").first?["structured"] as? [String: Any])?["run_id"] as? String == stored.id)
        let denied = try #require(Self.calls(viewer, "start_run").first)
        #expect(denied["is_error"] as? Bool == true && (denied["text"] as? String)?.contains("analyst role") == true, "\(denied)")

        let analyst = try Self.exercise(
            ["http", url, try #require(keys["analyst"]), try Self.plan([("start_run", ["as_of": "2026-06-30"])])], in: dir)
        let started = try #require(Self.calls(analyst, "start_run").first)
        #expect(started["is_error"] as? Bool == false, "\(started)")
        #expect(["succeeded", "degraded"].contains(started["final_status"] as? String ?? ""), "\(started)")
        #expect(!server.stderr.contains(try #require(keys["analyst"])), "the key is never logged")
    }
}

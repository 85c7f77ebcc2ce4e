import Foundation
import Testing

/// `decisioning ask` as a user runs it: JSON on standard output, exit 3 when not answered, a bad semantic model
/// refused by its key.
@Suite(.serialized) struct AskCommandTests {
    @Test func answersInJSONAndRefusesWithExitThree() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let answered = try CommandLineTests.run(
            ["ask", "revenue by industry last quarter", "--format", "json", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(answered.status == 0, "\(answered.all)")
        let object = try JSONSerialization.jsonObject(with: Data(answered.stdout.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "answered")
        // The default as-of is the latest ledger date, at or before the company's own as-of.
        let asOf = object?["as_of"] as? String ?? ""
        #expect(!asOf.isEmpty && asOf <= "2026-06-30", "\(asOf)")
        let evidence = object?["evidence"] as? [String: Any]
        #expect((evidence?["sql"] as? [String: Any])?.keys.sorted() == ["heatwave", "mysql", "sqlite"])

        let text = try CommandLineTests.run(
            ["ask", "revnue by sector this year", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(text.status == 0, "\(text.all)")
        #expect(text.stdout.contains("Spelling: revnue → revenue"), "\(text.stdout)")

        let ambiguous = try CommandLineTests.run(["ask", "top 5 customers", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(ambiguous.status == 3)
        #expect(ambiguous.stdout.contains("Did you mean:"), "\(ambiguous.all)")
    }

    @Test func aBadSemanticModelIsRefusedByItsKey() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("c.json")
        let model =
            #"{"questions": {"semantic_model": {"metrics": {"x": {"source": "ledger", "unit": "money", "aggregate": "sum", "of": "nope"}}}}}"#
        try Data(model.utf8).write(to: config)
        let outcome = try CommandLineTests.run(["ask", "revenue", "--config", config.path, "--database", "sqlite:d.sqlite"], in: dir)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("questions.semantic_model.metrics.x.of"), "\(outcome.all)")
    }
}

import DecisioningAgents
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// A run as of D sees only what was known on D: on the full data it equals a run as of D on the
/// data with every row dated after D removed.
@Suite struct PointInTimeTests {
    static func normalised(_ results: RunResults) throws -> JSONValue {
        guard case .object(var top) = try JSONDecoder().decode(JSONValue.self, from: try results.encoded()) else { return .null }
        if case .object(var run)? = top["run"] {
            for key in ["run_id", "started_at", "finished_at", "duration_ms", "database"] { run[key] = nil }
            top["run"] = .object(run)
        }
        if case .array(let agents)? = top["agents"] {
            top["agents"] = .array(
                agents.map { agent in
                    guard case .object(var a) = agent else { return agent }
                    a["duration_ms"] = nil
                    return .object(a)
                })
        }
        return .object(top)
    }

    /// The paths at which two documents differ (at most 12), for a readable failure.
    static func differences(_ a: JSONValue, _ b: JSONValue, _ path: String = "$", into out: inout [String]) {
        guard out.count < 12 else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() { differences(x[key] ?? .null, y[key] ?? .null, path + "." + key, into: &out) }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (i, pair) in zip(x, y).enumerated() { differences(pair.0, pair.1, "\(path)[\(i)]", into: &out) }
        case (.array(let x), .array(let y)):
            out.append("\(path): \(x.count) items against \(y.count)")
        default:
            if a != b { out.append("\(path): \(a.summary) against \(b.summary)") }
        }
    }

    /// The catalog profiles the tables as they are (row counts, freshness): a description of the
    /// database, listed in `run.current_not_as_of`, not a figure as of the date.
    static func withoutCatalog(_ value: JSONValue) -> JSONValue {
        guard case .object(var top) = value, case .array(var agents)? = top["agents"],
            case .object(var discovery) = agents[0], case .object(var data)? = discovery["data"],
            case .object(var inner)? = data["discovery"]
        else { return value }
        inner["catalog"] = nil
        data["discovery"] = .object(inner)
        discovery["data"] = .object(data)
        agents[0] = .object(discovery)
        top["agents"] = .array(agents)
        return .object(top)
    }

    @Test func rowsDatedAfterTheAsOfDateChangeNothing() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = Day(iso: "2026-06-30")!
        let asOf = Day(iso: "2025-09-15")!
        let full = try SQLiteStore(path: dir.appendingPathComponent("full.sqlite").path)
        try full.migrate()
        _ = try Generator(spec: GeneratorSpec(scale: 0.02, seed: 5, asOf: generated)).generate(into: full)
        try full.checkpoint()
        try FileManager.default.copyItem(
            atPath: dir.appendingPathComponent("full.sqlite").path, toPath: dir.appendingPathComponent("cut.sqlite").path)
        let cut = try SQLiteStore(path: dir.appendingPathComponent("cut.sqlite").path)
        try cut.migrate()
        let removed = try cut.writeBatch { writer -> Int in
            try writer.execute("DELETE FROM financial_metrics WHERE metric_date > ?", arguments: [.date(asOf)])
            try writer.execute("DELETE FROM business_events WHERE event_timestamp > ?", arguments: [.text(asOf.iso + " 23:59:59")])
            try writer.execute("DELETE FROM projects WHERE start_date > ?", arguments: [.date(asOf)])
            return 0
        }
        _ = removed
        let fullCount = try full.rowCount("financial_metrics")
        let cutCount = try cut.rowCount("financial_metrics")
        #expect(cutCount < fullCount, "the cut must remove ledger rows for the test to mean anything")
        #expect(try cut.rowCount("projects") < full.rowCount("projects"))

        let a = try await FlowRunner(store: full, configuration: Configuration()).run(analysis: "strategic_business_health", asOf: asOf)
        let b = try await FlowRunner(store: cut, configuration: Configuration()).run(analysis: "strategic_business_health", asOf: asOf)
        var found: [String] = []
        Self.differences(Self.withoutCatalog(try Self.normalised(a)), Self.withoutCatalog(try Self.normalised(b)), into: &found)
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }
}

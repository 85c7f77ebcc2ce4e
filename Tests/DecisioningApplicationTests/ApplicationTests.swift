import DecisioningAgents
import DecisioningAnalytics
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// The use cases every front end calls, on one small generated company.
@Suite struct ApplicationTests {
    static let asOf = Day(iso: "2026-11-25")!

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("application-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func generated(_ dir: URL) throws -> Application {
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("app.sqlite").path), configuration: Configuration())
        let generation = try #require(try app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: Self.asOf)))
        #expect(generation.truthPath.map { FileManager.default.fileExists(atPath: $0) } == true)
        #expect(app.plantedTruth() == generation.truth)
        return app
    }

    @Test func readingRefusesAMissingDatabaseAndSaysWhatToDo() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("missing.sqlite").path
        #expect(throws: ApplicationError.noDatabase(path: path)) {
            try Application.open(.sqlite(path: path), configuration: Configuration(), access: .existing)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(ApplicationError.noDatabase(path: path).description.contains("decisioning init"))
    }

    @Test func generateIfEmptyGeneratesOnce() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try generated(dir)
        #expect(try !app.isEmpty())
        #expect(try app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 8, asOf: Self.asOf)) == nil)
    }

    @Test func theSummaryCountsWhatTheStoreHolds() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try generated(dir)
        let summary = try app.summary()
        let projects = try app.store.rowCount("projects")
        #expect(summary.tableRows.first { $0.table == "projects" }?.rows == projects)
        #expect(summary.statuses.reduce(0) { $0 + $1.projects } == Int64(projects))
        #expect(summary.statuses.map(\.projects) == summary.statuses.map(\.projects).sorted(by: >))
        #expect(summary.firstStart != nil && summary.lastStart != nil && summary.firstStart! <= summary.lastStart!)
        #expect(!summary.metricTotals.isEmpty && !summary.industries.isEmpty)
        #expect(summary.metricTotals.map(\.metric) == summary.metricTotals.map(\.metric).sorted())
    }

    @Test func aFlowRunsUnderTheCallersIdAndIsListedAndLoaded() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try generated(dir)
        let output = FlowOutput(directory: dir.appendingPathComponent("out").path, formats: ["json"])
        try output.prepare()
        let execution = try app.startFlow(asOf: Self.asOf, runId: "run-chosen-by-the-caller", output: output)
        #expect(execution.runId == "run-chosen-by-the-caller")
        var events: [ProgressEvent] = []
        for await event in execution.events { events.append(event) }
        // The stream ends with the run: every agent finished, and the outcome is there.
        let finished = events.compactMap { if case .finished(let r) = $0 { r.agent } else { nil } }
        #expect(Set(finished) == Set(AgentRegistry.standard.names))
        let outcome = try await execution.outcome
        #expect(outcome.results.run.runId == "run-chosen-by-the-caller")
        #expect(outcome.results.run.status != .failed)
        #expect(!outcome.files.isEmpty)
        #expect(outcome.files.allSatisfy { $0.hasPrefix(output.directory(of: "run-chosen-by-the-caller")) })

        let runs = try app.listRuns()
        #expect(runs.map(\.runId) == ["run-chosen-by-the-caller"])
        #expect(runs[0].status == outcome.results.run.status && runs[0].asOf == Self.asOf)
        #expect(runs[0].analysis == "strategic_business_health" && runs[0].finishedAt != nil)
        let loaded = try app.loadRun(id: "run-chosen-by-the-caller")
        #expect(loaded.run.runId == outcome.results.run.runId)
        #expect(loaded.decisions.map(\.id) == outcome.results.decisions.map(\.id))
        #expect(throws: ApplicationError.runNotFound(id: "no-such-run")) { try app.loadRun(id: "no-such-run") }
    }

    @Test func withoutAnIdTheFlowMakesOne() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try generated(dir)
        let outcome = try await app.runFlow(asOf: Self.asOf)
        #expect(outcome.results.run.runId.hasPrefix("run-"))
        #expect(outcome.files.isEmpty)
        #expect(try app.listRuns().map(\.runId) == [outcome.results.run.runId])
    }

    @Test func anUnknownFlowAnalysisIsRefusedBeforeRunning() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("app.sqlite").path), configuration: Configuration())
        #expect(throws: ApplicationError.unknownFlowAnalysis(name: "nope", offered: Configuration.analyses)) {
            try app.startFlow(analysis: "nope", asOf: Self.asOf)
        }
        #expect(try app.listRuns().isEmpty)
    }

    @Test func aNamedAnalysisRunsOnEveryEngineAlike() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try generated(dir)
        let name = try #require(Application.analysisNames.first)
        let engine = try app.runAnalysis(name, asOf: Self.asOf, on: .columnEngine)
        let sql = try app.runAnalysis(name, asOf: Self.asOf, on: .sql)
        #expect(engine.parts.map(\.name) == sql.parts.map(\.name))
        for (a, b) in zip(engine.parts, sql.parts) { #expect(a.result.rows.count == b.result.rows.count) }
        #expect(throws: ApplicationError.unknownAnalysis(name: "nope", choices: Application.analysisNames)) {
            try app.runAnalysis("nope", asOf: Self.asOf)
        }
    }

    @Test func ingestLoadsAFileAndRefusesAnUnknownTable() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let export = dir.appendingPathComponent("csv")
        _ = try Generator(spec: GeneratorSpec(scale: 0.01, seed: 3, asOf: Self.asOf)).export(toDirectory: export.path)
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: export.path).first { $0.hasPrefix("customer_analytics") })
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("app.sqlite").path), configuration: Configuration())
        let summary = try app.ingest(table: "customer_analytics", files: [export.appendingPathComponent(file).path])
        #expect(summary.inserted > 0)
        #expect(try app.store.rowCount("customer_analytics") == summary.inserted)
        let again = try app.ingest(table: "customer_analytics", files: [export.appendingPathComponent(file).path])
        #expect(again.inserted == 0 && again.skipped == summary.inserted)
        #expect(throws: ApplicationError.unknownTable(name: "analysis_runs", choices: Application.ingestTables)) {
            try app.ingest(table: "analysis_runs", files: [])
        }
    }
}

import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

@testable import DecisioningAgents

/// A run stored as succeeded has written its files; one that could not is stored as failed.
@Suite struct DeliveryTests {
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func outputDirectoryIsCheckedBeforeTheRun() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("taken").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        #expect(throws: OutputDirectoryError.notADirectory(file)) { try OutputWriter.prepare(base: file) }
        #expect(throws: OutputDirectoryError.empty) { try OutputWriter.prepare(base: "") }
        #expect(throws: OutputDirectoryError.empty) { try OutputWriter.prepare(base: "  ") }
        let nested = dir.appendingPathComponent("a/b/c").path
        try OutputWriter.prepare(base: nested)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
        let below = file + "/inside"
        do {
            try OutputWriter.prepare(base: below)
            Issue.record("a directory below a file was accepted")
        } catch {
            #expect(error.description.contains("\(file) is a file, not a directory"), "\(error)")
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func aRunWhoseFilesCannotBeWrittenIsStoredAsFailed() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let asOf = Day(iso: "2026-06-30")!
        let store = try SQLiteStore(path: dir.appendingPathComponent("d.sqlite").path)
        try store.migrate()
        _ = try Generator(spec: GeneratorSpec(scale: 0.01, seed: 3, asOf: asOf)).generate(into: store)
        let blocker = dir.appendingPathComponent("file").path
        _ = FileManager.default.createFile(atPath: blocker, contents: Data())
        let runner = FlowRunner(store: store, configuration: Configuration())
        var failedRun: String?
        do {
            _ = try await runner.run(
                analysis: "strategic_business_health", asOf: asOf,
                deliver: { results, _ in
                    _ = try OutputWriter.write(results, to: blocker + "/" + results.run.runId, formats: ["json"])
                })
            Issue.record("the delivery error was swallowed")
        } catch let error as FlowDeliveryError {
            failedRun = error.runId
            #expect(error.description.contains("stored as failed"))
        }
        let id = try #require(failedRun)
        let rows = try store.query("SELECT status FROM analysis_runs WHERE run_id = ?", arguments: [.text(id)], columnTypes: [.longText])
        #expect(rows.map { $0[0] } == [.text("failed")])

        let out = dir.appendingPathComponent("out").path
        let ok = try await runner.run(
            analysis: "strategic_business_health", asOf: asOf,
            deliver: { results, json in
                #expect(json == (try results.encoded()))
                _ = try OutputWriter.write(results, json: json, to: out + "/" + results.run.runId, formats: ["json"])
            })
        #expect(FileManager.default.fileExists(atPath: out + "/" + ok.run.runId + "/results.json"))
        let stored = try store.query(
            "SELECT status, results FROM analysis_runs WHERE run_id = ?", arguments: [.text(ok.run.runId)],
            columnTypes: [.longText, .longText])
        #expect(stored.map { $0[0] } == [.text(ok.run.status.rawValue)])
        #expect(ok.run.status != .failed)
        // The run is stored with the very document its results.json holds (encoded once for both).
        let file = try String(contentsOfFile: out + "/" + ok.run.runId + "/results.json", encoding: .utf8)
        #expect(stored.first?[1] == .text(file))
    }

    @Test func markdownShowsControlCharactersInsteadOfPassingThemOn() {
        let hostile = "Acme\u{1B}]0;owned\u{07}\u{1B}[2J\u{0}"
        for text in [MarkdownText.escape(hostile), MarkdownText.code(hostile), MarkdownText.fenced(hostile, language: "sql")] {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text.debugDescription)")
            #expect(text.contains("u{1B}"))
        }
    }
}

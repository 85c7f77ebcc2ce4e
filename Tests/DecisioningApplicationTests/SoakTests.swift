import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// The soak, its process statistics, the per-run configuration and the benchmark's scratch database.
@Suite struct SoakTests {
    /// 2026-11-25.
    static let asOf = Day(number: 20_782)

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func processStatisticsReadThreadsAndResidentMemory() throws {
        let status = "Name:\tdecisioning\nVmRSS:\t  123456 kB\nThreads:\t17\n"
        let parsed = try ProcessStatistics(status: status, openFiles: 9)
        #expect(parsed == ProcessStatistics(threads: 17, residentBytes: 123_456 * 1024, openFiles: 9))
        #expect(throws: ProcessStatistics.Unavailable.self) { try ProcessStatistics(status: "Name:\tx\n", openFiles: 0) }
        let now = try ProcessStatistics.current()
        #expect(now.threads >= 1 && now.residentBytes > 0 && now.openFiles > 0)
    }

    @Test func aRunsConfigurationTimesItsAgentOutForThatRunOnly() async throws {
        let bench = try BenchDatabase.generated(GeneratorSpec(scale: 0.01, seed: 7, asOf: Self.asOf), configuration: Configuration())
        defer { bench.remove() }
        var tight = bench.application.configuration
        tight.agents["strategy_agent", default: Configuration.Agent()].timeout = 0.001
        let timedOut = try await bench.application.runFlow(asOf: Self.asOf, configuration: tight).results
        let strategy = try #require(timedOut.agents.first { $0.agent == "strategy_agent" })
        #expect(strategy.status == .failed && strategy.error?.hasPrefix("timed out") == true, "\(strategy)")
        #expect(timedOut.run.status == .degraded)
        let normal = try await bench.application.runFlow(asOf: Self.asOf).results
        #expect(normal.agents.first { $0.agent == "strategy_agent" }?.status == .succeeded)
    }

    @Test func aCopyLeavesTheOriginalAsItWasAndIsRemoved() async throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("user.sqlite").path
        do {
            let app = try Application.open(.sqlite(path: path), configuration: Configuration())
            _ = try app.generate(Generator(spec: GeneratorSpec(scale: 0.01, seed: 7, asOf: Self.asOf)), keepTruth: false)
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let bench = try BenchDatabase.copy(of: .sqlite(path: path), configuration: Configuration())
        #expect(bench.origin == .copy(of: path) && !bench.writesToUserData)
        _ = try await bench.application.runFlow(asOf: Self.asOf)
        #expect(try bench.application.store.rowCount("analysis_runs") == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        let original = try Application.open(.sqlite(path: path), configuration: Configuration(), access: .existing)
        #expect(try original.store.rowCount("analysis_runs") == 0)
        bench.remove()
        #expect(!FileManager.default.fileExists(atPath: bench.directory))

        #expect(throws: ApplicationError.noDatabase(path: dir.appendingPathComponent("none.sqlite").path)) {
            try BenchDatabase.copy(of: .sqlite(path: dir.appendingPathComponent("none.sqlite").path), configuration: Configuration())
        }
        let server = try DatabaseURL(parsing: "mysql://bench@127.0.0.1:1/bench")
        #expect(throws: BenchDatabase.Refusal.serverDatabase(server)) {
            try BenchDatabase.copy(of: server, configuration: Configuration())
        }
    }

    @Test func theAsOfIsTheDateMeant() { #expect(Self.asOf.iso == "2026-11-25") }

    @Test func theTimeoutRunsAreTheSecondAndEveryKthAfterIt() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("t.sqlite").path), configuration: Configuration())
        var options = Soak.Options(runs: 20, asOf: Self.asOf)
        let soak = Soak(application: app, options: options, outputDirectory: "unused")
        #expect((1...20).filter { soak.timesOut(run: $0) } == [2, 7, 12, 17])
        #expect(soak.configuration(ofRun: 7).agent("strategy_agent").timeout == 0.001)
        #expect(soak.configuration(ofRun: 8) == app.configuration)
        options.timeoutEvery = 0
        #expect(!(1...20).contains { Soak(application: app, options: options, outputDirectory: "unused").timesOut(run: $0) })
    }

    @Test func aShortSoakSamplesAtTheStartAndTheEndAndCountsTheTimeout() async throws {
        let bench = try BenchDatabase.generated(GeneratorSpec(scale: 0.01, seed: 7, asOf: Self.asOf), configuration: Configuration())
        defer { bench.remove() }
        let soak = Soak(
            application: bench.application, options: Soak.Options(runs: 3, asOf: Self.asOf), outputDirectory: bench.outputDirectory)
        let report = try await soak.run()
        #expect(report.samples.map(\.run) == [0, 3])
        #expect(report.final.timeouts == 1 && report.final.errors == 0, "\(report.final)")
        #expect(report.final.succeeded + report.final.degraded == 3)
        #expect(report.baseline.run == 3 && report.threadGrowth == 0 && report.passed)
        // Each run's files are deleted once it has ended.
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.outputDirectory).isEmpty)
    }
}

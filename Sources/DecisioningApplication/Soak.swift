import DecisioningAgents
public import DecisioningCore
import Foundation

/// The soak: many flows, one after another, in one process, on one database, some of them with
/// agents that time out, watching the process's threads and resident memory. A process that leaks
/// a thread or memory per run (an abandoned agent, a watchdog, a connection) shows it as growth
/// from the sample after the first runs to the last.
///
/// Every flow goes through `Application.runFlow`, as `run` does; the runs that time out get a
/// configuration in which `Options.timeoutAgents` have a timeout of `Options.timeoutSeconds`.
public struct Soak: Sendable {
    public struct Options: Sendable {
        /// Flows to run.
        public var runs: Int
        /// The as-of date of every flow.
        public var asOf: Day
        /// A sample every this many runs (besides the start and the end).
        public var sampleEvery = 10
        /// Run 2, and every `timeoutEvery`-th run after it, gives the timeout agents their tiny timeout; 0: no run does.
        public var timeoutEvery = 5
        /// The agents that time out in those runs.
        public var timeoutAgents = ["strategy_agent"]
        /// Their timeout in those runs, in seconds.
        public var timeoutSeconds = 0.001
        /// Targets: threads may grow by at most this many, resident memory by less than this percentage,
        /// from the sample after the first `sampleEvery` runs to the last.
        public var maxThreadGrowth = 0
        public var maxResidentGrowthPercent = 10.0

        public init(runs: Int, asOf: Day) {
            self.runs = runs
            self.asOf = asOf
        }
    }

    /// The process and the runs so far, after `run` runs (0: before the first).
    public struct Sample: Sendable, Equatable, Codable {
        public var run: Int
        public var process: ProcessStatistics
        public var succeeded = 0
        public var degraded = 0
        /// Runs stored as failed (no decision), and runs that stopped with an error.
        public var failed = 0
        /// Agents that timed out, over all runs so far.
        public var timeouts = 0
        /// Runs that stopped with an error (counted in `failed` too).
        public var errors = 0
        /// Seconds since the soak began.
        public var seconds = 0.0
    }

    /// The samples and whether the targets held.
    public struct Report: Sendable {
        public var samples: [Sample]
        /// The first error a run stopped with, if any did.
        public var firstError: String?
        public var targets: Options

        /// The sample the growth is measured from: the first after `sampleEvery` runs (or after all of them, if fewer).
        public var baseline: Sample {
            let after = min(targets.sampleEvery, targets.runs)
            return samples.first { $0.run >= after } ?? final
        }

        public var final: Sample { samples[samples.count - 1] }

        /// Threads at the end minus threads at the baseline.
        public var threadGrowth: Int { final.process.threads - baseline.process.threads }

        /// Resident memory at the end against the baseline, in percent.
        public var residentGrowthPercent: Double {
            let base = Double(baseline.process.residentBytes)
            return base > 0 ? (Double(final.process.residentBytes) - base) / base * 100 : 0
        }

        public var threadsHeld: Bool { threadGrowth <= targets.maxThreadGrowth }
        public var residentHeld: Bool { residentGrowthPercent < targets.maxResidentGrowthPercent }
        /// Both targets held and no run stopped with an error.
        public var passed: Bool { threadsHeld && residentHeld && final.errors == 0 }
    }

    public let application: Application
    public let options: Options
    /// Where the runs write their files; each run's directory is deleted once it has ended.
    public let outputDirectory: String

    public init(application: Application, options: Options, outputDirectory: String) {
        self.application = application
        self.options = options
        self.outputDirectory = outputDirectory
    }

    /// Whether run `run` (from 1) gives the timeout agents their tiny timeout: the 2nd, and every
    /// `timeoutEvery`-th after it, so that a short soak has one too and samples fall between them.
    public func timesOut(run: Int) -> Bool {
        options.timeoutEvery > 0 && run >= 2 && (run - 2) % options.timeoutEvery == 0
    }

    /// The configuration of run `run`: the application's, with the timeout agents' timeout cut to
    /// `timeoutSeconds` in the runs that time out.
    public func configuration(ofRun run: Int) -> Configuration {
        var configuration = application.configuration
        guard timesOut(run: run) else { return configuration }
        for name in options.timeoutAgents { configuration.agents[name, default: Configuration.Agent()].timeout = options.timeoutSeconds }
        return configuration
    }

    /// Runs the soak; `sampled` gets the sample at the start, every `sampleEvery` runs and at the end.
    public func run(sampled: @Sendable (Sample) -> Void = { _ in }) async throws -> Report {
        let clock = ContinuousClock()
        let start = clock.now
        var current = Sample(run: 0, process: try ProcessStatistics.current())
        var samples = [current]
        var firstError: String?
        sampled(current)
        let output = FlowOutput(directory: outputDirectory, formats: application.configuration.output.formats)
        try output.prepare()
        for run in stride(from: 1, through: options.runs, by: 1) {
            let runId = "soak-\(run)-\(UUID().uuidString.prefix(8).lowercased())"
            do {
                let outcome = try await application.runFlow(
                    asOf: options.asOf, runId: runId, output: output, configuration: configuration(ofRun: run))
                switch outcome.results.run.status {
                case .succeeded: current.succeeded += 1
                case .degraded: current.degraded += 1
                default: current.failed += 1
                }
                current.timeouts +=
                    outcome.results.agents.filter { $0.status == .failed && ($0.error?.hasPrefix("timed out") ?? false) }.count
            } catch {
                current.failed += 1
                current.errors += 1
                if firstError == nil { firstError = "run \(run): \(error)" }
            }
            try? FileManager.default.removeItem(atPath: output.directory(of: runId))
            if run % max(1, options.sampleEvery) == 0 || run == options.runs {
                current.run = run
                current.process = try ProcessStatistics.current()
                current.seconds = (clock.now - start).seconds
                samples.append(current)
                sampled(current)
            }
        }
        return Report(samples: samples, firstError: firstError, targets: options)
    }
}

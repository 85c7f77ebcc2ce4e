import DecisioningApplication
import DecisioningCore
import Foundation

/// How `bench soak` prints its samples and its report.
enum SoakText {
    static let header = "   run  threads  RSS MiB  open files  succeeded  degraded  failed  timeouts  seconds"

    static func line(_ s: Soak.Sample) -> String {
        String(
            format: "%6d  %7d  %7.1f  %10d  %9d  %8d  %6d  %8d  %7.1f", s.run, s.process.threads, s.process.residentMiB,
            s.process.openFiles, s.succeeded, s.degraded, s.failed, s.timeouts, s.seconds)
    }

    static func summary(_ r: Soak.Report) -> String {
        let (base, final) = (r.baseline, r.final)
        func held(_ ok: Bool) -> String { ok ? "held" : "MISSED" }
        var lines = [
            "threads: \(base.process.threads) after \(base.run) runs, \(final.process.threads) after \(final.run): growth \(r.threadGrowth) (target at most \(r.targets.maxThreadGrowth)): \(held(r.threadsHeld))",
            String(
                format: "RSS: %.1f MiB after %d runs, %.1f MiB after %d: growth %.1f%% (target under %g%%): %@", base.process.residentMiB,
                base.run, final.process.residentMiB, final.run, r.residentGrowthPercent, r.targets.maxResidentGrowthPercent,
                held(r.residentHeld)),
            "runs: \(final.succeeded) succeeded, \(final.degraded) degraded, \(final.failed) failed (\(final.errors) stopped with an error); \(final.timeouts) agents timed out",
        ]
        if let error = r.firstError { lines.append("first error: \(error)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ r: Soak.Report, origin: String) throws -> String {
        let samples: [[String: Any]] = r.samples.map { s in
            [
                "run": s.run, "threads": s.process.threads, "rss_bytes": s.process.residentBytes, "open_files": s.process.openFiles,
                "succeeded": s.succeeded, "degraded": s.degraded, "failed": s.failed, "errors": s.errors, "timeouts": s.timeouts,
                "seconds": s.seconds,
            ]
        }
        var object: [String: Any] = [
            "database": origin, "runs": r.targets.runs, "as_of": r.targets.asOf.iso, "samples": samples,
            "baseline_run": r.baseline.run, "thread_growth": r.threadGrowth, "rss_growth_percent": r.residentGrowthPercent,
            "max_thread_growth": r.targets.maxThreadGrowth, "max_rss_growth_percent": r.targets.maxResidentGrowthPercent,
            "threads_held": r.threadsHeld, "rss_held": r.residentHeld, "passed": r.passed,
            "timeout_agents": r.targets.timeoutEvery == 0 ? [] : r.targets.timeoutAgents, "timeout_every": r.targets.timeoutEvery,
            "timeout_seconds": r.targets.timeoutSeconds,
        ]
        if let error = r.firstError { object["first_error"] = error }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

import DecisioningAgents
import DecisioningApplication
import DecisioningStore
import Synchronization

/// Each finished run's point of the run history (health score, total expected impact), read from
/// its stored results once: a finished run never changes. Runs without results (cancelled before
/// the flow stored anything) are remembered as having none.
final class RunHistory: Sendable {
    let capacity: Int
    private let points = Mutex<[String: RunHistoryPoint?]>([:])

    init(capacity: Int = 5_000) { self.capacity = capacity }

    /// The points of the finished runs among `runs`, by run id.
    func points(of runs: [RunRecord], application: Application) async throws -> [String: RunHistoryPoint] {
        let finished = runs.filter { $0.status?.isFinished == true }
        let known = points.withLock { points in finished.filter { points[$0.runId] != nil }.map(\.runId) }
        let missing = finished.map(\.runId).filter { !known.contains($0) }
        if !missing.isEmpty {
            let loaded = try await BlockingPool.shared.run("read the runs' results for the history") { _ -> [String: RunHistoryPoint?] in
                var loaded: [String: RunHistoryPoint?] = [:]
                for id in missing {
                    do {
                        loaded[id] = .some(RunHistoryPoint(try application.loadRun(id: id)))
                    } catch is ApplicationError {
                        loaded[id] = .some(nil)
                    }
                }
                return loaded
            }
            points.withLock { points in
                if points.count + loaded.count > capacity { points.removeAll() }
                points.merge(loaded) { _, new in new }
            }
        }
        return points.withLock { points in
            var found: [String: RunHistoryPoint] = [:]
            for run in finished { if case .some(.some(let point)) = points[run.runId] { found[run.runId] = point } }
            return found
        }
    }
}

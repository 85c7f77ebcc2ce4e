import DecisioningAgents
import DecisioningApplication
import DecisioningStore
import Foundation
import Synchronization

/// The results of finished runs, as stored and decoded, and their renderings: a finished run never
/// changes, so each is read and rendered once. Holds the most recent `capacity` runs.
final class RunCache: Sendable {
    struct Entry: Sendable {
        var json: Data
        var results: RunResults
    }
    let capacity: Int
    /// The runs kept and the order they came in (the oldest goes first), under one lock.
    private struct Kept {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }
    private let kept = Mutex(Kept())
    private let renderings = Mutex<[String: String]>([:])
    private let loading = Mutex<[String: Task<Entry, any Error>]>([:])

    init(capacity: Int = 16) { self.capacity = capacity }

    /// The results of run `id` if the cache holds them (only finished runs are held).
    func cached(_ id: String) -> Entry? { kept.withLock { $0.entries[id] } }

    /// A body computed from a finished run's results (its decisions as JSON, say), kept with its renderings.
    func body(_ name: String, of id: String, compute: () throws -> String) rethrows -> String {
        if let hit = renderings.withLock({ $0[id + "/" + name] }) { return hit }
        let text = try compute()
        renderings.withLock { cache in
            if cache.count >= capacity * 3 { cache.removeAll() }
            cache[id + "/" + name] = text
        }
        return text
    }

    /// The results of run `id`, from the cache or the store; concurrent first requests share one read.
    func results(of id: String, application: Application) async throws -> Entry {
        if let hit = kept.withLock({ $0.entries[id] }) { return hit }
        let task = loading.withLock { loading -> Task<Entry, any Error> in
            if let task = loading[id] { return task }
            let task = Task {
                try await BlockingPool.shared.run("read a run's results") { _ in
                    let json = try application.loadRunJSON(id: id)
                    return Entry(json: json, results: try application.loadRun(id: id))
                }
            }
            loading[id] = task
            return task
        }
        defer { loading.withLock { $0[id] = nil } }
        let entry = try await task.value
        if entry.results.run.status.isFinished { remember(id, entry) }
        return entry
    }

    /// The rendering `name` (report.md, report.html, dashboard.html) of run `id`.
    func rendering(_ name: String, of id: String, application: Application) async throws -> String {
        if let hit = renderings.withLock({ $0[id + "/" + name] }) { return hit }
        let results = try await results(of: id, application: application).results
        let text = try await BlockingPool.shared.run("render a run") { _ -> String in
            switch name {
            case "report.md": return ReportRenderer.markdown(results)
            case "report.html": return ReportRenderer.html(results)
            default: return ReportRenderer.dashboard(results)
            }
        }
        renderings.withLock { cache in
            if cache.count >= capacity * 3 { cache.removeAll() }
            cache[id + "/" + name] = text
        }
        return text
    }

    /// Keeps `entry` as run `id`'s, once: every waiter of a shared first read calls this, and a
    /// second call must neither count again nor push the run out of the cache.
    private func remember(_ id: String, _ entry: Entry) {
        kept.withLock { kept in
            guard kept.entries[id] == nil else { return }
            kept.entries[id] = entry
            kept.order.append(id)
            if kept.order.count > capacity { kept.entries[kept.order.removeFirst()] = nil }
        }
    }
}

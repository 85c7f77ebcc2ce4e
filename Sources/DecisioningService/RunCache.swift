import DecisioningAgents
import DecisioningApplication
import DecisioningStore
import Foundation
import Hummingbird
import Synchronization

/// The results of finished runs, as stored and decoded, and their renderings: a finished run never
/// changes, so each is read and rendered once. Holds the most recent `capacity` runs.
///
/// A run this server finishes is put here before anyone can ask for it (`warm`), so the first
/// requests after a run ends do not all wait on one read of its results.
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
    /// The bodies rendered, as the bytes every response shares (no copy per request).
    private let renderings = Mutex<[String: ByteBuffer]>([:])
    /// One read per run and one rendering per body at a time, however many requests ask at once.
    private let loading = SingleFlight<Entry>()
    private let renders = SingleFlight<ByteBuffer>()

    init(capacity: Int = 16) { self.capacity = capacity }

    /// The results of run `id` if the cache holds them (only finished runs are held).
    func cached(_ id: String) -> Entry? { kept.withLock { $0.entries[id] } }

    /// Whether the body `name` of run `id` is rendered (for tests).
    func hasBody(_ name: String, of id: String) -> Bool { renderings.withLock { $0[id + "/" + name] != nil } }

    /// The results of run `id`, from the cache or the store; concurrent first requests share one read.
    func results(of id: String, application: DecisioningApplication.Application) async throws -> Entry {
        if let hit = cached(id) { return hit }
        return try await loading.run(id) { [self] in
            let entry = try await BlockingPool.shared.run("read a run's results") { _ in
                let json = try application.loadRunJSON(id: id)
                return Entry(json: json, results: try application.decodeRun(id: id, json: json))
            }
            // Kept before the shared read ends, so that no request arriving meanwhile reads again.
            if entry.results.run.status.isFinished { remember(id, entry) }
            return entry
        }
    }

    /// Holds `results`, a run this server has just stored, exactly as a read from the store would
    /// give them (encoded as stored, then decoded), with the bodies `bodies` renders; requests for
    /// the run meanwhile wait for this instead of reading the store.
    func warm(
        _ results: RunResults, application: DecisioningApplication.Application, bodies: [String: @Sendable (Entry) throws -> String]
    ) async throws {
        let id = results.run.runId
        guard results.run.status.isFinished else { return }
        let entry = try await loading.run(id) { [self] in
            let entry = try await BlockingPool.shared.run("keep a finished run") { _ in
                let json = try results.encoded()
                return Entry(json: json, results: try application.decodeRun(id: id, json: json))
            }
            remember(id, entry)
            return entry
        }
        for (name, render) in bodies.sorted(by: { $0.key < $1.key }) { _ = try await body(name, of: id) { try render(entry) } }
    }

    /// A body computed from a finished run's results (its decisions as JSON, say), kept with its
    /// renderings; computed once on the blocking pool however many requests ask at once.
    func body(_ name: String, of id: String, compute: @escaping @Sendable () throws -> String) async throws -> ByteBuffer {
        let key = id + "/" + name
        if let hit = renderings.withLock({ $0[key] }) { return hit }
        return try await renders.run(key) { [self] in
            if let hit = renderings.withLock({ $0[key] }) { return hit }
            let bytes = try await BlockingPool.shared.run("render a run's \(name)") { _ in ByteBuffer(string: try compute()) }
            renderings.withLock { cache in
                if cache.count >= capacity * 3 { cache.removeAll() }
                cache[key] = bytes
            }
            return bytes
        }
    }

    /// The rendering `name` (report.md, report.html, dashboard.html) of run `id`.
    func rendering(_ name: String, of id: String, application: DecisioningApplication.Application) async throws -> ByteBuffer {
        if let hit = renderings.withLock({ $0[id + "/" + name] }) { return hit }
        let results = try await results(of: id, application: application).results
        return try await body(name, of: id) {
            switch name {
            case "report.md": return ReportRenderer.markdown(results)
            case "report.html": return ReportRenderer.html(results)
            default: return ReportRenderer.dashboard(results)
            }
        }
    }

    /// Keeps `entry` as run `id`'s, once: a second call must neither count again nor push the run out of the cache.
    private func remember(_ id: String, _ entry: Entry) {
        kept.withLock { kept in
            guard kept.entries[id] == nil else { return }
            kept.entries[id] = entry
            kept.order.append(id)
            if kept.order.count > capacity { kept.entries[kept.order.removeFirst()] = nil }
        }
    }
}

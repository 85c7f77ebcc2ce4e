import Foundation

/// The tables one batch touched, applied to the store's versions only when the batch commits.
public final class ChangeTally: @unchecked Sendable {
    public init() {}
    var appended = Set<String>()
    var rewritten = Set<String>()
    var everything = false

    public func touch(_ table: String, rewrite: Bool) {
        if rewrite { rewritten.insert(table) } else { appended.insert(table) }
    }

    public func touchAll() { everything = true }
}

/// Per-table change counters of one store, for incremental readers such as the Warehouse.
public final class VersionBook: @unchecked Sendable {
    public init() {}
    private let lock = NSLock()
    private var versions: [String: TableVersion] = [:]
    private var globalRewrites = 0

    public func record(_ tally: ChangeTally) {
        lock.lock()
        defer { lock.unlock() }
        for t in tally.appended { versions[t, default: TableVersion()].appends += 1 }
        for t in tally.rewritten { versions[t, default: TableVersion()].rewrites += 1 }
        if tally.everything { globalRewrites += 1 }
    }

    public func version(of table: String) -> TableVersion {
        lock.lock()
        defer { lock.unlock() }
        var v = versions[table] ?? TableVersion()
        v.rewrites += globalRewrites
        return v
    }
}

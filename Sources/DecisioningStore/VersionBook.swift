import Synchronization

/// The tables one batch touched, applied to the store's versions only when the batch commits.
public final class ChangeTally: Sendable {
    struct Changes {
        var appended = Set<String>()
        var rewritten = Set<String>()
        var everything = false
    }
    let changes = Mutex(Changes())

    public init() {}

    public func touch(_ table: String, rewrite: Bool) {
        changes.withLock { changes -> Void in
            if rewrite {
                changes.rewritten.insert(table)
            } else {
                changes.appended.insert(table)
            }
        }
    }

    public func touchAll() { changes.withLock { $0.everything = true } }
}

/// Per-table change counters of one store, for incremental readers such as the Warehouse.
public final class VersionBook: Sendable {
    private struct Book {
        var versions: [String: TableVersion] = [:]
        var globalRewrites = 0
    }
    private let book = Mutex(Book())

    public init() {}

    public func record(_ tally: ChangeTally) {
        let changes = tally.changes.withLock { $0 }
        book.withLock { book in
            for t in changes.appended { book.versions[t, default: TableVersion()].appends += 1 }
            for t in changes.rewritten { book.versions[t, default: TableVersion()].rewrites += 1 }
            if changes.everything { book.globalRewrites += 1 }
        }
    }

    public func version(of table: String) -> TableVersion {
        book.withLock { book in
            var v = book.versions[table] ?? TableVersion()
            v.rewrites += book.globalRewrites
            return v
        }
    }
}

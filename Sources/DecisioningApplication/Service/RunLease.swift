public import DecisioningCore
import DecisioningStore
import Foundation

/// The lease that keeps flows on one database from overlapping, even across servers: a row of
/// `service_leases` naming its holder and run, valid until it expires. Taking it is one conditional
/// `UPDATE` (or the first `INSERT`), atomic on SQLite and MySQL alike; the holder renews it while its
/// run goes on and deletes it at the end. A holder that stopped (killed, its machine gone) stops
/// renewing, and the lease is free again once it expires.
public struct RunLease: Sendable {
    public let application: Application
    /// Who takes the lease: unique per server process.
    public let holder: String
    public let name: String
    public let duration: Duration

    public init(application: Application, holder: String, name: String = "flow", duration: Duration) {
        self.application = application
        self.holder = holder
        self.name = name
        self.duration = duration
    }

    /// Who holds a lease now.
    public struct Holding: Sendable, Equatable {
        public var holder: String
        public var runId: String?
        public var expiresAt: Timestamp
    }

    /// Takes the lease for `runId` as of `now` when it is free, expired or already this holder's.
    /// - Returns: nil when taken; otherwise who holds it.
    public func acquire(runId: String, now: Timestamp) throws -> Holding? {
        let store = application.store
        let expires = Timestamp(seconds: now.seconds + duration.wholeSeconds)
        try store.writeBatch { writer in
            let insert = try writer.inserter(
                for: Catalog.serviceLeases, columns: Catalog.serviceLeases.columnNames, onConflict: .skip)
            if try !insert.insert([.text(name), .text(holder), .text(runId), .timestamp(expires)]) {
                try writer.execute(
                    "UPDATE service_leases SET holder = ?, run_id = ?, expires_at = ? WHERE name = ? AND (expires_at < ? OR holder = ?)",
                    arguments: [.text(holder), .text(runId), .timestamp(expires), .text(name), .timestamp(now), .text(holder)])
            }
        }
        guard let current = try current() else { return Holding(holder: "(nobody)", runId: nil, expiresAt: now) }
        return current.holder == holder && current.runId == runId ? nil : current
    }

    /// Extends this holder's lease from `now`; false when the lease is no longer this holder's.
    @discardableResult
    public func renew(now: Timestamp) throws -> Bool {
        let expires = Timestamp(seconds: now.seconds + duration.wholeSeconds)
        try application.store.writeBatch { writer in
            try writer.execute(
                "UPDATE service_leases SET expires_at = ? WHERE name = ? AND holder = ?",
                arguments: [.timestamp(expires), .text(name), .text(holder)])
        }
        return try current()?.holder == holder
    }

    /// Gives the lease up if this holder has it for `runId` (nil: for whatever run), so that a late
    /// release of an ended run cannot free the lease of the next one.
    public func release(runId: String? = nil) throws {
        try application.store.writeBatch { writer in
            if let runId {
                try writer.execute(
                    "DELETE FROM service_leases WHERE name = ? AND holder = ? AND run_id = ?",
                    arguments: [.text(name), .text(holder), .text(runId)])
            } else {
                try writer.execute("DELETE FROM service_leases WHERE name = ? AND holder = ?", arguments: [.text(name), .text(holder)])
            }
        }
    }

    /// Frees the lease when its holder is a process of this host that no longer exists (killed, or
    /// crashed): a restarted server need not wait for the lease to expire. Holders are named
    /// `HOST/PID/SUFFIX` (`RunCoordinator.processHolder()`); a holder on another host is left to expire.
    /// - Returns: the dead holder's run id, when the lease was freed.
    @discardableResult
    public func clearDeadLocalHolder() throws -> Holding? {
        guard let current = try current(), current.holder != holder else { return nil }
        let parts = current.holder.split(separator: "/")
        let mine = holder.split(separator: "/")
        guard parts.count == 3, mine.count == 3, parts[0] == mine[0], let pid = Int32(parts[1]), pid > 0 else { return nil }
        guard kill(pid, 0) != 0 && errno == ESRCH else { return nil }
        try application.store.writeBatch { writer in
            try writer.execute("DELETE FROM service_leases WHERE name = ? AND holder = ?", arguments: [.text(name), .text(current.holder)])
        }
        return current
    }

    /// The lease's row, expired or not; nil when nobody took it.
    public func current() throws -> Holding? {
        let rows = try application.store.query(
            "SELECT holder, run_id, expires_at FROM service_leases WHERE name = ?", arguments: [.text(name)],
            columnTypes: [.text(maxLength: 100), .text(maxLength: 50), .timestamp])
        guard let row = rows.first else { return nil }
        return Holding(holder: row[0].textValue ?? "", runId: row[1].textValue, expiresAt: row[2].timestampValue ?? Timestamp(seconds: 0))
    }
}

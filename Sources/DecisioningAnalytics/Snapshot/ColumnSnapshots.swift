import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The column snapshot files of one database, one per table (`DIRECTORY/TABLE.dcol`, mode 0600, in
/// a directory of mode 0700), and their writes.
///
/// Writes run on one background queue for the whole process, off the queries' path; a newer state
/// of a table replaces its write still waiting. The process waits for queued writes when it exits
/// (at most a minute), and `waitForWrites` waits for them on demand.
final class ColumnSnapshots: Sendable {
    let directory: String
    let logger: Logger

    init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// The file of `table`; a name that is not a plain identifier is hex-escaped.
    func path(of table: String) -> String {
        let safe = table.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0 & ~0x20) }
        let name = safe && !table.isEmpty ? table : "x" + table.utf8.map { String($0, radix: 16) }.joined()
        return (directory as NSString).appendingPathComponent(name + ".dcol")
    }

    func open(_ table: String) throws(ColumnSnapshotRejection) -> MappedColumnSnapshot {
        try MappedColumnSnapshot(path: path(of: table))
    }

    /// Queues the write of `table` as it is now, with `header`'s marks.
    func save(_ table: ColumnTable, header: ColumnSnapshotHeader) {
        let path = path(of: table.name)
        let job = Job(table: table, header: header, path: path, snapshots: self)
        let queued = Self.pending.withLock { pending -> Bool in
            let waiting = pending[path] != nil
            pending[path] = job
            return waiting
        }
        guard !queued else { return }
        _ = Self.drainsAtExit
        Self.group.enter()
        Self.queue.async {
            defer { Self.group.leave() }
            guard let job = Self.pending.withLock({ $0.removeValue(forKey: path) }) else { return }
            job.snapshots.write(job)
        }
    }

    /// Waits until every queued snapshot write of the process is done; false when `seconds` passed first.
    @discardableResult
    static func waitForWrites(seconds: Double = 60) -> Bool {
        group.wait(timeout: .now() + seconds) == .success
    }

    private func write(_ job: Job) {
        let clock = ContinuousClock()
        let start = clock.now
        // Only the snapshot directory itself is made: when the folder holding it is gone (a
        // temporary database deleted while its write waited), there is nothing left to cache.
        let parent = (directory as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: parent.isEmpty ? "." : parent) else {
            logger.debug("column snapshot not written: its folder is gone", metadata: ["path": "\(job.path)"])
            return
        }
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                do {
                    try FileManager.default.createDirectory(
                        atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
                } catch  where FileManager.default.fileExists(atPath: directory) {
                    // made meanwhile by another writer
                }
            }
            try ColumnSnapshotWriter.write(job.table, header: job.header, to: job.path)
            logger.debug(
                "column snapshot written",
                metadata: [
                    "table": "\(job.table.name)", "rows": "\(job.table.rowCount)", "columns": "\(job.table.columns.count)",
                    "ms": "\(String(format: "%.1f", (clock.now - start).seconds * 1000))",
                ])
        } catch {
            logger.warning(
                "cannot write the column snapshot; the next process reads the table from the database",
                metadata: ["table": "\(job.table.name)", "path": "\(job.path)", "reason": "\(error)"])
        }
    }

    private struct Job: Sendable {
        var table: ColumnTable
        var header: ColumnSnapshotHeader
        var path: String
        var snapshots: ColumnSnapshots
    }

    private static let queue = DispatchQueue(label: "decisioning.column-snapshots", qos: .utility)
    private static let group = DispatchGroup()
    private static let pending = Mutex<[String: Job]>([:])
    /// Installed with the first write: at exit, the process waits for the writes still queued.
    private static let drainsAtExit: Bool = {
        atexit { ColumnSnapshots.waitForWrites(seconds: 60) }
        return true
    }()
}

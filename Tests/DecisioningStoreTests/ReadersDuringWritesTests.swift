import DecisioningCore
import DecisioningStore
import Dispatch
import Foundation
import Testing

/// WAL lets readers read while a writer holds the lock: opening a current database must not need it.
@Suite struct ReadersDuringWritesTests {
    @Test func aCurrentDatabaseOpensAndReadsWhileAnotherConnectionWrites() async throws {
        let (writer, path) = try makeTemporaryStore()
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let writing = Task.detached {
            try writer.writeBatch { _ in
                holding.signal()
                // Holds the write lock until the reader is done: the reader never races a timer.
                release.wait()
            }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                holding.wait()
                c.resume()
            }
        }
        defer { release.signal() }
        let reader = try SQLiteStore(path: path)
        let applied = try reader.migrate()
        #expect(applied.isEmpty)
        #expect(try reader.rowCount(Catalog.projects.name) == 0)
        release.signal()
        try await writing.value
    }
}

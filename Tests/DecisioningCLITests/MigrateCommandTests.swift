import DecisioningCore
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// `decisioning migrate` as a user runs it, against the throwaway MariaDB server: killed with
/// SIGKILL in the middle and run again, it ends with the same tables as an uninterrupted run.
@Suite(.enabled(if: TestServer.enabled), .serialized)
struct MigrateCommandTests {
    static func rows(_ store: any Store) throws -> [String: [[Value]]] {
        var all: [String: [[Value]]] = [:]
        for table in Catalog.businessTables {
            var rows: [[Value]] = []
            try store.scan(table, batchSize: 4096) { rows += $0 }
            all[table.name] = rows
        }
        return all
    }

    static func businessRows(_ store: any Store) -> Int {
        Catalog.businessTables.map { (try? store.rowCount($0.name)) ?? 0 }.reduce(0, +)
    }

    @Test func killedWithSIGKILLInTheMiddleThenRunAgainCopiesEverythingOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try CommandLineTests.run(
            ["generate", "--scale", "0.1", "--seed", "7", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite"], in: dir)
        try #require(generated.status == 0, "\(generated.all)")
        let server = try TestServer.main()
        let db = try server.scratchDatabase("killmigrate")
        defer { db.drop() }
        let environment = ["DECISIONING_DB_PASSWORD": server.password]
        let source = try SQLiteStore(path: dir.appendingPathComponent("d.sqlite").path)
        let total = Self.businessRows(source)

        // Small batches, so the copy takes long enough to be killed in the middle.
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["migrate", "--from", "sqlite:d.sqlite", "--to", db.url.description, "--batch-size", "20"]
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var copiedWhenKilled = 0
        while process.isRunning, Date() < deadline {
            copiedWhenKilled = Self.businessRows(db.store)
            if copiedWhenKilled >= 300 {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(5000)
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "migrate ended before it was killed")
        let afterKill = Self.businessRows(db.store)
        #expect(afterKill > 0 && afterKill < total, "killed with \(afterKill) of \(total) rows copied")

        let resumed = try CommandLineTests.run(
            ["migrate", "--from", "sqlite:d.sqlite", "--to", db.url.description, "--batch-size", "500"], in: dir,
            environment: environment)
        #expect(resumed.status == 0, "\(resumed.all)")
        #expect(resumed.stdout.contains("verified"))
        #expect(resumed.stdout.contains("\(total - afterKill) rows copied of \(total)"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("RAPID load skipped: the destination server (MariaDB"))
        #expect(!resumed.all.contains(server.password))
        #expect(try Self.rows(db.store) == Self.rows(source))

        // And back to SQLite: every row as it was.
        let back = try CommandLineTests.run(
            ["migrate", "--from", db.url.description, "--to", "sqlite:back.sqlite"], in: dir, environment: environment)
        #expect(back.status == 0, "\(back.all)")
        #expect(!back.all.contains(server.password))
        let returned = try SQLiteStore(path: dir.appendingPathComponent("back.sqlite").path)
        #expect(try Self.rows(returned) == Self.rows(source))
    }

    @Test func aConflictingDestinationRowNamesTheTableAndKeyAndOverwriteReplacesIt() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try TestServer.main()
        let db = try server.scratchDatabase("conflictcli")
        defer { db.drop() }
        try db.store.migrate()
        let source = try SQLiteStore(path: dir.appendingPathComponent("d.sqlite").path)
        var first: [Value] = []
        try source.scan(Catalog.projects, batchSize: 1) { rows in if first.isEmpty { first = rows[0] } }
        var changed = first
        changed[try #require(Catalog.projects.columnIndex("budget_amount"))] = .decimal(1)
        try db.store.writeBatch { writer in
            _ = try writer.inserter(for: Catalog.projects, columns: Catalog.projects.columnNames, onConflict: .fail).insert(changed)
        }
        let environment = ["DECISIONING_DB_PASSWORD": server.password]
        let refused = try CommandLineTests.run(
            ["migrate", "--from", "sqlite:d.sqlite", "--to", db.url.description, "--tables", "projects"], in: dir, environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("projects already holds a different row with key '\(first[0])' (column budget_amount differs)"))
        #expect(refused.stderr.contains("--overwrite"))
        let overwritten = try CommandLineTests.run(
            ["migrate", "--from", "sqlite:d.sqlite", "--to", db.url.description, "--tables", "projects", "--overwrite"], in: dir,
            environment: environment)
        #expect(overwritten.status == 0, "\(overwritten.all)")
        #expect(overwritten.stdout.contains("(1 replaced)"))
    }
}

/// `decisioning migrate`'s refusals that need no server.
@Suite struct MigrateRefusalTests {
    @Test func anUnknownTableNamesTheAllowedOnes() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try CommandLineTests.run(
            ["migrate", "--from", "sqlite:d.sqlite", "--to", "sqlite:e.sqlite", "--tables", "projects,agent_results"], in: dir)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("unknown table 'agent_results'"))
        #expect(outcome.stderr.contains(Catalog.businessTables.map(\.name).joined(separator: ", ")))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("e.sqlite").path))
    }

    @Test func aPasswordInTheURLIsRefusedAndNotShown() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in ["mysql://app:s3cr3t-pw@127.0.0.1:1/db", "mysql://app@127.0.0.1:1/db?password=s3cr3t-pw"] {
            let outcome = try CommandLineTests.run(["migrate", "--from", "sqlite:d.sqlite", "--to", url], in: dir)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains("passwords are not accepted in the URL"), "\(outcome.all)")
            #expect(!outcome.all.contains("s3cr3t-pw"))
        }
    }

    @Test func theSameStoreOnBothSidesAndAMissingSourceAreRefused() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let same = try CommandLineTests.run(["migrate", "--from", "sqlite:d.sqlite", "--to", "sqlite:d.sqlite"], in: dir)
        #expect(same.status != 0 && same.stderr.contains("name the same database"), "\(same.all)")
        let missing = try CommandLineTests.run(["migrate", "--from", "sqlite:none.sqlite", "--to", "sqlite:e.sqlite"], in: dir)
        #expect(missing.status != 0 && missing.stderr.contains("no database at none.sqlite"), "\(missing.all)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.sqlite").path))
    }
}

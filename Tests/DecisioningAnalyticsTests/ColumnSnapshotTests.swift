import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

/// Column snapshots: a later Warehouse (a later process) answers from the snapshot file exactly as
/// from the database, reads only the rows appended since, and never uses a snapshot that rewrites
/// (by any connection), damage or another database file made stale.
@Suite struct ColumnSnapshotTests {
    static let asOf = Day(iso: "2026-11-25")!
    static let statuses = ["active", "done", "late"]
    static let insertColumns = ["project_id", "project_name", "start_date", "budget_amount", "actual_cost", "status"]

    /// Project `i`: status cycles, budget `i` × 10.00, actual cost NULL every fourth row.
    static func project(_ i: Int, status: String? = nil) -> [Value] {
        [
            .text("P\(i)"), .text("Project \(i)"), .date(Day(iso: "2026-01-01")!.adding(days: i % 300)), .decimal(Int64(i) * 1000),
            i % 4 == 0 ? .null : .decimal(Int64(i) * 900), .text(status ?? statuses[i % 3]),
        ]
    }

    static let perStatus = Plan.scan("projects", ["status", "budget_amount", "actual_cost"])
        .aggregate(by: ["status"], [.count("n"), .sum("budget", col("budget_amount")), .sum("cost", col("actual_cost"))])
        .sort(.asc("status"))

    static let latest = Plan.scan("projects", ["status", "start_date"]).aggregate(by: ["status"], [.max("latest", col("start_date"))])
        .sort(.asc("status"))

    /// Needs the text key, which is not among the columns every load reads (`Warehouse.sharedColumns`).
    static let lastId = Plan.scan("projects", ["status", "project_id"]).aggregate(by: ["status"], [.max("last", col("project_id"))])
        .sort(.asc("status"))

    /// The planted truth of `perStatus` for projects 1…n with the given status overrides.
    static func expected(_ ids: [Int], overrides: [Int: String] = [:]) -> [[Value]] {
        var groups: [String: (n: Int64, budget: Int64, cost: Int64, costs: Int)] = [:]
        for i in ids {
            let status = overrides[i] ?? statuses[i % 3]
            var g = groups[status] ?? (0, 0, 0, 0)
            g.n += 1
            g.budget += Int64(i) * 1000
            if i % 4 != 0 {
                g.cost += Int64(i) * 900
                g.costs += 1
            }
            groups[status] = g
        }
        return groups.keys.sorted().map { s in
            let g = groups[s]!
            return [.text(s), .integer(g.n), .decimal(g.budget), g.costs == 0 ? .null : .decimal(g.cost)]
        }
    }

    final class Fixture {
        let directory: URL
        let path: String

        init(_ rows: ClosedRange<Int> = 1...500) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-snapshot-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("company.sqlite").path
            try insert(Array(rows))
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        var settings: ColumnSnapshotSettings { ColumnSnapshotSettings(directory: path + ".columns") }
        var snapshotFile: String { path + ".columns/projects.dcol" }

        /// A store as a new process opens it (its own connections, no memory of earlier writes).
        func store() throws -> SQLiteStore {
            let store = try SQLiteStore(path: path)
            try store.migrate()
            return store
        }

        /// A Warehouse as a new process makes it, with its snapshot writes finished before it returns them.
        func warehouse(snapshots: Bool = true) throws -> Warehouse {
            Warehouse(store: try store(), snapshots: snapshots ? settings : .off)
        }

        func insert(_ ids: [Int]) throws {
            let store = try store()
            try store.writeBatch { writer in
                let inserter = try writer.inserter(for: Catalog.projects, columns: ColumnSnapshotTests.insertColumns, onConflict: .fail)
                for i in ids { _ = try inserter.insert(ColumnSnapshotTests.project(i)) }
            }
        }

        /// Runs SQL in the sqlite3 shell: another process, with its own connection.
        func shell(_ sql: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", path, sql]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            guard process.terminationStatus == 0 else { throw ShellError(message: "sqlite3 failed on \(sql): \(text)") }
        }

        /// Queries `plan` on a new Warehouse and waits for the snapshot it writes.
        func answer(_ plan: Plan = ColumnSnapshotTests.perStatus, snapshots: Bool = true) throws -> ([[Value]], TableSource?) {
            let warehouse = try warehouse(snapshots: snapshots)
            let rows = try warehouse.query(plan, asOf: ColumnSnapshotTests.asOf, on: .columnEngine).rows
            #expect(warehouse.waitForSnapshotWrites())
            return (rows, warehouse.source(of: "projects"))
        }
    }

    struct ShellError: Error { var message: String }

    /// Every value of `table` as rows of engine values, for comparing two loads.
    static func contents(_ warehouse: Warehouse, _ columns: [String]) throws -> [[EngineValue]] {
        let executor = try warehouse.executor(for: [Plan.scan("projects", columns)], asOf: asOf)
        let table = try #require(executor.tables["projects"])
        return (0..<table.rowCount).map { i in columns.map { table.column($0)?.value(i) ?? .null } }
    }

    @Test func aSecondWarehouseAnswersFromTheSnapshotAsAFreshLoadDoes() throws {
        let f = try Fixture()
        let (first, firstSource) = try f.answer()
        #expect(first == Self.expected(Array(1...500)))
        #expect(firstSource == .database)
        #expect(FileManager.default.fileExists(atPath: f.snapshotFile))

        let (second, secondSource) = try f.answer()
        #expect(secondSource == .snapshot(appendedRows: 0))
        #expect(second == first)
        // Column for column, row for row, the snapshot's table is the database's.
        let columns = ["status", "budget_amount", "actual_cost"]
        let fromSnapshot = try f.warehouse()
        #expect(try Self.contents(fromSnapshot, columns) == Self.contents(try f.warehouse(snapshots: false), columns))
        #expect(fromSnapshot.source(of: "projects") == .snapshot(appendedRows: 0))
        // Another of the table's shared columns: the first load read it too, so the snapshot has it.
        let (latest, latestSource) = try f.answer(Self.latest)
        #expect(latestSource == .snapshot(appendedRows: 0))
        #expect(latest == (try f.answer(Self.latest, snapshots: false)).0)
        // A column the snapshot lacks (the text key): the table is read from the database with both sets, and kept.
        let (lastId, lastIdSource) = try f.answer(Self.lastId)
        #expect(lastIdSource == .rebuilt(reason: "it lacks the columns project_id"))
        #expect(lastId == (try f.answer(Self.lastId, snapshots: false)).0)
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))
    }

    /// Whether every column of `table` reads its values in place from a mapped snapshot.
    static func mapped(_ table: ColumnTable) -> [Bool] {
        table.columns.map { column in
            switch column.storage {
            case .ints(let v): return v.isMapped
            case .doubles(let v): return v.isMapped
            case .strings(let codes, _): return codes.isMapped
            }
        }
    }

    @Test func aSnapshotsColumnsAreReadInPlaceAndOutliveTheFile() throws {
        let f = try Fixture()
        _ = try f.answer()
        let columns = ["status", "budget_amount", "actual_cost", "start_date"]
        let fresh = try Self.contents(try f.warehouse(snapshots: false), columns)
        let store = try f.store()
        let warehouse = Warehouse(store: store, snapshots: f.settings)
        let executor = try warehouse.executor(for: [Plan.scan("projects", columns)], asOf: Self.asOf)
        let table = try #require(executor.tables["projects"])
        #expect(warehouse.source(of: "projects") == .snapshot(appendedRows: 0))
        #expect(Self.mapped(table).allSatisfy { $0 }, "the snapshot's columns were copied, not read in place")
        // The file goes, and another process writes another where it was: the loaded columns keep the bytes they mapped.
        try FileManager.default.removeItem(atPath: f.snapshotFile)
        try f.insert(Array(501...520))
        _ = try f.answer()
        #expect(FileManager.default.fileExists(atPath: f.snapshotFile))
        #expect((0..<table.rowCount).map { i in columns.map { table.column($0)?.value(i) ?? .null } } == fresh)
        // Rows this warehouse's store writes are appended to its mapped columns.
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.projects, columns: Self.insertColumns, onConflict: .fail)
            for i in 521...530 { _ = try inserter.insert(Self.project(i)) }
        }
        let appended = try Self.contents(warehouse, columns)
        #expect(appended.count == 530)
        #expect(appended == (try Self.contents(try f.warehouse(snapshots: false), columns)))
        #expect(Array(appended.prefix(500)) == fresh)
    }

    @Test func appendedRowsAreReadAfterTheSnapshotsCursorAndSaved() throws {
        let f = try Fixture()
        _ = try f.answer()
        try f.insert(Array(501...520))
        let (rows, source) = try f.answer()
        #expect(source == .snapshot(appendedRows: 20))
        #expect(rows == Self.expected(Array(1...520)))
        // 20 rows are more than 1% of 500: the snapshot was saved again with them.
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))
        // Inserted by the sqlite3 shell, too.
        try f.shell(
            "INSERT INTO projects (project_id, project_name, start_date, budget_amount, status) VALUES ('P521', 'x', '2026-03-01', 100, 'zeta')"
        )
        let (after, afterSource) = try f.answer()
        #expect(afterSource == .snapshot(appendedRows: 1))
        #expect(after.last == [.text("zeta"), .integer(1), .decimal(100), .null])
    }

    @Test func updatesAndDeletesByAnotherProcessAreNotAnsweredStale() throws {
        let f = try Fixture()
        _ = try f.answer()
        try f.shell("UPDATE projects SET status = 'late' WHERE project_id = 'P3'")
        let (updated, source) = try f.answer()
        #expect(source == .rebuilt(reason: "rows were updated or deleted since (change counter 0 → 1)"))
        #expect(updated == Self.expected(Array(1...500), overrides: [3: "late"]))
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))

        try f.shell("DELETE FROM projects WHERE project_id IN ('P1', 'P2')")
        let (deleted, deletedSource) = try f.answer()
        #expect(deletedSource == .rebuilt(reason: "rows were updated or deleted since (change counter 1 → 3)"))
        #expect(deleted == Self.expected(Array(3...500), overrides: [3: "late"]))
    }

    @Test func replacesThatFireNoTriggerAreCaughtByTheRowChecks() throws {
        let f = try Fixture()
        _ = try f.answer()
        // REPLACE deletes the old P10 without firing the delete trigger (recursive triggers are off)
        // and puts the new row after the cursor: the table has one row fewer below the cursor.
        try f.shell(
            "INSERT OR REPLACE INTO projects (project_id, project_name, start_date, budget_amount, status) VALUES ('P10', 'x', '2026-01-01', 5, 'done')"
        )
        let (rows, source) = try f.answer()
        guard case .rebuilt(let reason) = source else {
            Issue.record("the snapshot was used after a REPLACE: \(String(describing: source))")
            return
        }
        #expect(reason.contains("rows differ"))
        var truth = Self.expected(Array(1...500).filter { $0 != 10 })
        truth = truth.map { row in
            guard row[0] == .text("done") else { return row }
            guard case .integer(let n) = row[1], case .decimal(let b) = row[2] else { return row }
            return [row[0], .integer(n + 1), .decimal(b + 5), row[3]]
        }
        #expect(rows == truth)
        // The last row replaced in place at the same rowid (an explicit rowid): the probe of the last row sees it.
        _ = try f.answer()
        try f.shell(
            "INSERT OR REPLACE INTO projects (rowid, project_id, project_name, start_date, budget_amount, status) SELECT rowid, project_id, 'y', start_date, 7, 'zeta' FROM projects WHERE rowid = (SELECT max(rowid) FROM projects)"
        )
        let (_, lastSource) = try f.answer()
        #expect(
            lastSource
                == .rebuilt(reason: "the table's rows differ from the snapshot's (the row at rowid 501 is not the snapshot's last row)"))
    }

    @Test func aTruncatedOrCorruptedSnapshotIsIgnoredAndRebuilt() throws {
        let f = try Fixture()
        let (truth, _) = try f.answer()
        let bytes = try #require(FileManager.default.contents(atPath: f.snapshotFile))

        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: f.snapshotFile))
        let (afterTruncation, truncated) = try f.answer()
        #expect(afterTruncation == truth)
        #expect(truncated == .rebuilt(reason: "truncated: \(bytes.count / 2) of \(bytes.count) bytes"))
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))

        var flipped = try #require(FileManager.default.contents(atPath: f.snapshotFile))
        flipped[flipped.count - 40] ^= 0x5A
        try flipped.write(to: URL(fileURLWithPath: f.snapshotFile))
        let (afterCorruption, corrupted) = try f.answer()
        #expect(afterCorruption == truth)
        #expect(corrupted == .rebuilt(reason: "corrupt: the data's checksum does not match"))

        try Data("not a snapshot at all, but long enough to hold a header, so the magic is what fails first; ".utf8 + Data(count: 64))
            .write(to: URL(fileURLWithPath: f.snapshotFile))
        #expect(try f.answer().1 == .rebuilt(reason: "not a column snapshot file"))
        try Data().write(to: URL(fileURLWithPath: f.snapshotFile))
        #expect(try f.answer().1 == .rebuilt(reason: "truncated: the file has 0 bytes, less than a header"))
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))
    }

    @Test func aSnapshotOfAnotherDatabaseFileAtThePathIsNotUsed() throws {
        let f = try Fixture()
        let other = try Fixture()
        _ = try f.answer()
        // The other database has the same rows but is another file (its own identity token); put it
        // at the first one's path, as a restore of another database would.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f.path + suffix) }
        try other.store().checkpoint()
        try FileManager.default.copyItem(atPath: other.path, toPath: f.path)
        let (rows, source) = try f.answer()
        #expect(source == .rebuilt(reason: "written for another database file at this path"))
        #expect(rows == Self.expected(Array(1...500)))
        #expect(try f.answer().1 == .snapshot(appendedRows: 0))
    }

    @Test func snapshotFilesAreReadableByTheOwnerOnly() throws {
        let f = try Fixture()
        _ = try f.answer()
        let file = try FileManager.default.attributesOfItem(atPath: f.snapshotFile)
        #expect((file[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: f.path + ".columns")
        #expect((directory[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.path + ".columns") == ["projects.dcol"])
    }

    @Test func settingsComeFromTheEnvironmentThenTheConfiguration() throws {
        let url = DatabaseURL.sqlite(path: "/data/co.sqlite")
        var configuration = Configuration()
        #expect(
            ColumnSnapshotSettings.resolve(for: url, configuration: configuration, environment: [:]).directory == "/data/co.sqlite.columns")
        let off = ["DECISIONING_COLUMN_SNAPSHOTS": "off"]
        #expect(ColumnSnapshotSettings.resolve(for: url, configuration: configuration, environment: off) == .off)
        let cache = ["DECISIONING_COLUMN_SNAPSHOTS": "/cache"]
        let shared = try #require(ColumnSnapshotSettings.resolve(for: url, configuration: configuration, environment: cache).directory)
        #expect(shared.hasPrefix("/cache/co.sqlite-") && shared.count == "/cache/co.sqlite-".count + 16)
        let mysql = try DatabaseURL(parsing: "mysql://u@db.example:3306/co")
        #expect(ColumnSnapshotSettings.resolve(for: mysql, configuration: configuration, environment: [:]) == .off)

        configuration = try Configuration.parse(
            Data(
                #"{"data_sources": [{"name": "a", "type": "sqlite", "config": {"path": "/data/co.sqlite", "column_snapshots": false}}]}"#
                    .utf8),
            agents: [])
        #expect(ColumnSnapshotSettings.resolve(for: url, configuration: configuration, environment: [:]) == .off)
        #expect(
            ColumnSnapshotSettings.resolve(for: url, configuration: configuration, environment: ["DECISIONING_COLUMN_SNAPSHOTS": "/c"])
                .directory?
                .hasPrefix("/c/co.sqlite-") == true)
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(
                Data(#"{"data_sources": [{"name": "a", "type": "sqlite", "config": {"path": "x", "column_snapshots": 3}}]}"#.utf8),
                agents: [])
        }
    }
}

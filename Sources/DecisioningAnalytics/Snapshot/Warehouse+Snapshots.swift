import DecisioningCore
import DecisioningStore
import Logging

/// Loads through the store's change marks, with column snapshots: a table's first load in a process
/// uses its snapshot file when the marks say it is current, and reads only the rows appended since;
/// every load from the database queues a new snapshot.
///
/// A snapshot is used only when, read in the same transaction as the appended rows:
/// - its identity token is the database's (`store_identity`): another database file at the path is not used;
/// - its schema fingerprint matches the table's schema and the applied migrations;
/// - its change counter equals the table's (`table_changes`, bumped by the UPDATE and DELETE triggers);
/// - the table has exactly its rows plus the rows after its cursor (`COUNT(*)`): a row removed or put
///   below the cursor without a trigger firing (INSERT OR REPLACE, an explicit rowid) shows here;
/// - the row at its cursor is its last row, value for value (a restored backup with other rows).
extension Warehouse {
    /// A load through the change marks; nil when the table keeps none (the caller reads it the plain way).
    func loadMarked(
        _ schema: TableSchema, columns: Set<String>, over current: LoadedTable?, version: TableVersion,
        from store: any ChangeCountingStore, snapshots: ColumnSnapshots, cancellation: CancellationFlag?
    ) throws -> LoadedTable? {
        if let loaded = current, loaded.version.rewrites == version.rewrites, columns.isSubset(of: Set(loaded.table.fields.map(\.name))) {
            let ordered = loaded.table.fields.map(\.name)
            guard
                let read = try store.scanColumnarMarked(
                    schema, columns: ordered, after: loaded.cursor, probe: nil, cancellation: cancellation)
            else { return nil }
            if loaded.marks == nil || loaded.marks == read.marks {
                var next = loaded
                next.table = Self.append(read.scan, to: loaded.table)
                next.cursor = read.scan.cursor
                next.version = version
                next.marks = read.marks
                if Self.worthSaving(appended: next.table.rowCount - next.savedRows, saved: next.savedRows) {
                    save(next, schema: schema, snapshots: snapshots)
                    next.savedRows = next.table.rowCount
                }
                return next
            }
            logger.info("rows were rewritten by another connection; reading the table again", metadata: ["table": "\(schema.name)"])
        }
        var extra = Set(current?.table.fields.map(\.name) ?? [])
        var source = TableSource.database
        if current == nil {
            switch try fromSnapshot(
                schema, columns: columns, version: version, store: store, snapshots: snapshots, cancellation: cancellation)
            {
            case .loaded(let loaded): return loaded
            case .noMarks: return nil
            case .rejected(let rejection, let snapshotColumns):
                extra.formUnion(snapshotColumns)
                if rejection != .missing { source = .rebuilt(reason: rejection.description) }
            }
        }
        let wanted = schema.columns.map(\.name).filter { columns.contains($0) || extra.contains($0) }
        guard let read = try store.scanColumnarMarked(schema, columns: wanted, after: nil, probe: nil, cancellation: cancellation) else {
            return nil
        }
        var loaded = LoadedTable(
            table: Self.table(read.scan, schema: schema, columns: wanted), cursor: read.scan.cursor, version: version, marks: read.marks,
            source: source)
        save(loaded, schema: schema, snapshots: snapshots)
        loaded.savedRows = loaded.table.rowCount
        return loaded
    }

    enum SnapshotLoad {
        case loaded(LoadedTable)
        /// The table keeps no change marks.
        case noMarks
        /// Not used; the columns it held (to read with the others, so the next snapshot keeps them).
        case rejected(ColumnSnapshotRejection, columns: [String])
    }

    private func fromSnapshot(
        _ schema: TableSchema, columns: Set<String>, version: TableVersion, store: any ChangeCountingStore, snapshots: ColumnSnapshots,
        cancellation: CancellationFlag?
    ) throws -> SnapshotLoad {
        let clock = ContinuousClock()
        let start = clock.now
        let mapped: MappedColumnSnapshot
        do {
            mapped = try snapshots.open(schema.name)
        } catch {
            return reject(error, schema, snapshots, columns: [])
        }
        let header = mapped.header
        let names = mapped.entries.map(\.field.name)
        // The column names and types come from bytes the checksum has not covered yet: a file they rule
        // out is checked first, so that damage is reported as damage.
        for entry in mapped.entries {
            guard let column = schema.column(entry.field.name), DataType(column.type) == entry.field.type else {
                return reject(Self.damage(of: mapped) ?? .schemaChanged, schema, snapshots, columns: [])
            }
        }
        let missing = columns.subtracting(names)
        guard missing.isEmpty else {
            if let damage = Self.damage(of: mapped) { return reject(damage, schema, snapshots, columns: []) }
            return reject(.lacksColumns(missing.sorted()), schema, snapshots, columns: names)
        }
        // The checksum (every byte of the file) and the database's reads (the rows after the cursor, the
        // row count, the probe) take about as long as each other cold: they run at the same time. A file
        // that fails its checksum has then cost one read of the database, which the full read repeats.
        let name = schema.name
        let (unpacked, scanned) = Parallel.both(
            {
                Result { () throws(ColumnSnapshotRejection) -> ColumnTable in
                    try mapped.verify()
                    return try mapped.table(named: name)
                }
            },
            {
                Result {
                    try store.scanColumnarMarked(
                        schema, columns: names, after: header.cursor, probe: header.cursor, cancellation: cancellation)
                }
            })
        let snapshot: ColumnTable
        switch unpacked {
        case .success(let table): snapshot = table
        case .failure(let rejection): return reject(rejection, schema, snapshots, columns: [])
        }
        guard let read = try scanned.get() else { return .noMarks }
        if let rejection = Self.check(header, snapshot, read, schema: schema) {
            return reject(rejection, schema, snapshots, columns: names)
        }
        var loaded = LoadedTable(
            table: Self.append(read.scan, to: snapshot), cursor: read.scan.cursor, version: version, marks: read.marks,
            savedRows: header.rowCount, source: .snapshot(appendedRows: read.scan.rowCount))
        logger.debug(
            "table loaded from its column snapshot",
            metadata: [
                "table": "\(schema.name)", "rows": "\(header.rowCount)", "appended": "\(read.scan.rowCount)",
                "ms": "\(String(format: "%.1f", (clock.now - start).seconds * 1000))",
            ])
        if Self.worthSaving(appended: read.scan.rowCount, saved: header.rowCount) {
            save(loaded, schema: schema, snapshots: snapshots)
            loaded.savedRows = loaded.table.rowCount
        }
        return .loaded(loaded)
    }

    /// Why `mapped` fails its checksum; nil when it passes.
    private static func damage(of mapped: MappedColumnSnapshot) -> ColumnSnapshotRejection? {
        do {
            try mapped.verify()
            return nil
        } catch {
            return error
        }
    }

    private func reject(
        _ rejection: ColumnSnapshotRejection, _ schema: TableSchema, _ snapshots: ColumnSnapshots, columns: [String]
    ) -> SnapshotLoad {
        let metadata: Logger.Metadata = ["table": "\(schema.name)", "reason": "\(rejection)", "path": "\(snapshots.path(of: schema.name))"]
        if rejection.isDamage {
            logger.warning("column snapshot ignored; reading the table from the database and writing it anew", metadata: metadata)
        } else if rejection != .missing {
            logger.info("column snapshot not current; reading the table from the database", metadata: metadata)
        }
        return .rejected(rejection, columns: columns)
    }

    /// Why `header`/`snapshot` is not the table's content as `read` (taken in one transaction) shows it; nil when it is.
    static func check(_ header: ColumnSnapshotHeader, _ snapshot: ColumnTable, _ read: MarkedColumnarScan, schema: TableSchema)
        -> ColumnSnapshotRejection?
    {
        let marks = read.marks
        guard marks.identity == header.identity else { return .otherDatabase }
        guard ColumnSnapshotLayout.fingerprint(schema, migrations: marks.migrations) == header.fingerprint else { return .schemaChanged }
        guard marks.rewrites == header.rewrites else { return .rewritten(saved: header.rewrites, now: marks.rewrites) }
        let total = read.totalRows ?? -1
        guard total == header.rowCount + read.scan.rowCount else {
            return .rowsDiffer("\(total) rows in the table, \(header.rowCount) in the snapshot and \(read.scan.rowCount) after its cursor")
        }
        let probe = read.probe
        if header.rowCount == 0 {
            guard probe?.rowCount ?? 0 == 0 else { return .rowsDiffer("a row at the empty snapshot's cursor") }
        } else {
            guard let probe, probe.rowCount == 1, lastRow(of: snapshot, equals: probe) else {
                return .rowsDiffer("the row at rowid \(header.cursor) is not the snapshot's last row")
            }
        }
        return nil
    }

    /// True when `probe`'s single row equals `table`'s last row in every column (same column order).
    static func lastRow(of table: ColumnTable, equals probe: ColumnarScan) -> Bool {
        let last = table.rowCount - 1
        guard last >= 0, probe.columns.count == table.columns.count else { return false }
        for (i, column) in table.columns.enumerated() {
            let present = column.valid?[last] ?? true
            guard present == (probe.valid[i]?[0] ?? true) else { return false }
            guard present else { continue }
            switch (column.storage, probe.columns[i]) {
            case (.ints(let a), .ints(let b)):
                guard a[last] == b[0] else { return false }
            case (.doubles(let a), .doubles(let b)):
                guard a[last].bitPattern == b[0].bitPattern else { return false }
            case (.strings(let codes, let dictionary), .strings(let probeCodes, let probeValues)):
                let code = codes[last]
                let probeCode = probeCodes[0]
                guard code >= 0, probeCode >= 0 else {
                    guard code < 0 && probeCode < 0 else { return false }
                    continue
                }
                guard ByteString.order(dictionary.values[Int(code)], probeValues[Int(probeCode)]) == 0 else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// Appends re-save the snapshot once they add 1% to the rows it holds (any append to an empty one).
    static func worthSaving(appended: Int, saved: Int) -> Bool { appended > 0 && appended * 100 >= saved }

    private func save(_ loaded: LoadedTable, schema: TableSchema, snapshots: ColumnSnapshots) {
        guard let marks = loaded.marks else { return }
        let header = ColumnSnapshotHeader(
            columnCount: loaded.table.columns.count, fingerprint: ColumnSnapshotLayout.fingerprint(schema, migrations: marks.migrations),
            rewrites: marks.rewrites, cursor: loaded.cursor, rowCount: loaded.table.rowCount, fileLength: 0, payloadChecksum: 0,
            identity: marks.identity)
        snapshots.save(loaded.table, header: header)
    }
}

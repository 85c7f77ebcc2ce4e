import DecisioningCore
import DecisioningStore
import Testing

@Suite struct StoreWriteTests {
    let project: [Value] = [
        .text("P1"), .text("Alpha"), .text("MIGRATION"), .date(Day(iso: "2026-01-15")!), .null,
        .decimal(Money.maxDecimal15.minorUnits), .decimal(-123), .text("ACTIVE"), .text("C1"),
        .timestamp(Timestamp(iso: "2026-01-01 08:30:00")!), .text("Move the ledger off the mainframe, \"quoted\", ✓\nsecond line"),
    ]

    func insert(_ store: any Store, _ table: TableSchema, _ rows: [[Value]], _ policy: ConflictPolicy = .fail) throws -> [Bool] {
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: table, columns: table.columnNames, onConflict: policy)
            return try rows.map { try inserter.insert($0) }
        }
    }

    @Test func everyColumnTypeRoundTrips() throws {
        let (store, _) = try makeTemporaryStore()
        _ = try insert(store, Catalog.projects, [project])
        let customer: [Value] = [
            .text("C1"), .text("Ünïcode “Quotes”, Inc"), .text("Retail"), .decimal(999_999_999_999_999), .text("AAA"),
            .integer(30), .decimal(-455), .integer(Int64(Int32.max) + 7), .decimal(1), .decimal(999),
        ]
        _ = try insert(store, Catalog.customerAnalytics, [customer])
        let event: [Value] = [
            .text("E1"), .text("X"), .text("PROJECT"), .text("P1"), .json(#"{"a":[1,2.5,"x"]}"#), .timestamp(Timestamp(seconds: 0)),
            .boolean(true),
        ]
        _ = try insert(store, Catalog.businessEvents, [event])
        let embedding: [Value] = [
            .text("B1"), .text("PROJECT"), .text("P1"), .vector([1.5, -0.25, .greatestFiniteMagnitude]), .text("features-v1"),
            .timestamp(Timestamp(seconds: 86_399)),
        ]
        _ = try insert(store, Catalog.businessEmbeddings, [embedding])
        for (table, row) in [
            (Catalog.projects, project), (Catalog.customerAnalytics, customer), (Catalog.businessEvents, event),
            (Catalog.businessEmbeddings, embedding),
        ] {
            var scanned: [[Value]] = []
            try store.scan(table) { scanned += $0 }
            #expect(scanned == [row], "\(table.name)")
        }
        let sum = try store.query("SELECT SUM(budget_amount) FROM projects", arguments: [], columnTypes: [.money])
        #expect(sum == [[.decimal(999_999_999_999_999)]])
        #expect(Value.decimal(999_999_999_999_999).rendered(as: .money) == "9999999999999.99")
    }

    @Test func defaultsApplyToOmittedColumns() throws {
        let (store, _) = try makeTemporaryStore()
        try store.writeBatch { writer in
            let inserter = try writer.inserter(for: Catalog.financialMetrics, columns: ["metric_id", "metric_date"], onConflict: .fail)
            _ = try inserter.insert([.text("M1"), .date(Day(iso: "2026-01-31")!)])
        }
        let rows = try store.query(
            "SELECT currency_code, created_at FROM financial_metrics", arguments: [], columnTypes: [.text(maxLength: 3), .timestamp])
        #expect(rows.first?[0] == .text("USD"))
        guard case .timestamp(let created)? = rows.first?[1] else {
            Issue.record("created_at must default to the insertion time")
            return
        }
        #expect(created.day.year >= 2026)
    }

    @Test func conflictPolicies() throws {
        let (store, _) = try makeTemporaryStore()
        #expect(try insert(store, Catalog.projects, [project]) == [true])
        #expect(try insert(store, Catalog.projects, [project], .skip) == [false])
        #expect(throws: StoreError.self) { try insert(store, Catalog.projects, [project], .fail) }
        var changed = project
        changed[1] = .text("Renamed")
        #expect(try insert(store, Catalog.projects, [changed], .replace) == [true])
        let names = try store.query("SELECT project_name FROM projects", arguments: [], columnTypes: [.text(maxLength: 200)])
        #expect(names == [[.text("Renamed")]])
        #expect(try store.rowCount("projects") == 1)
    }

    @Test func failedBatchLeavesNothingBehind() throws {
        struct Abort: Error {}
        let (store, _) = try makeTemporaryStore()
        _ = try insert(store, Catalog.projects, [project])
        #expect(throws: Abort.self) {
            try store.writeBatch { writer in
                let inserter = try writer.inserter(for: Catalog.projects, columns: Catalog.projects.columnNames, onConflict: .replace)
                for i in 2...50 {
                    var row = project
                    row[0] = .text("P\(i)")
                    _ = try inserter.insert(row)
                }
                var renamed = project
                renamed[1] = .text("Changed")
                _ = try inserter.insert(renamed)
                throw Abort()
            }
        }
        #expect(try store.rowCount("projects") == 1)
        #expect(try store.query("SELECT project_name FROM projects", arguments: [], columnTypes: [.longText]) == [[.text("Alpha")]])
    }

    @Test func scanStreamsInBatches() throws {
        let (store, _) = try makeTemporaryStore()
        let rows = (1...25).map { i -> [Value] in
            var r = project
            r[0] = .text(String(format: "P%03d", i))
            return r
        }
        _ = try insert(store, Catalog.projects, rows)
        var sizes: [Int] = []
        var ids: [Value] = []
        try store.scan(Catalog.projects, columns: ["project_id"], batchSize: 10) { batch in
            sizes.append(batch.count)
            ids += batch.map { $0[0] }
        }
        #expect(sizes == [10, 10, 5])
        #expect(ids == rows.map { $0[0] })
        #expect(throws: StoreError.self) { try store.scan(Catalog.projects, columns: ["nope"], batchSize: 10) { _ in } }
    }

    @Test func unknownTablesAndColumnsAreNamed() throws {
        let (store, _) = try makeTemporaryStore()
        #expect(throws: StoreError.self) { try store.rowCount("nope") }
        do {
            try store.writeBatch { writer in _ = try writer.inserter(for: Catalog.projects, columns: ["bogus"], onConflict: .fail) }
            Issue.record("an unknown column must be refused")
        } catch let error as StoreError {
            #expect(error.description == "table projects has no column 'bogus'")
        }
    }
}

import DecisioningAgents
import DecisioningCore
import DecisioningStore

extension Application {
    /// Appends `events` (of one or more runs) to `run_events` in one transaction.
    func appendRunEvents(_ events: [RunEvent]) throws {
        guard !events.isEmpty else { return }
        try store.writeBatch { writer in
            let insert = try writer.inserter(for: Catalog.runEvents, columns: Catalog.runEvents.columnNames, onConflict: .skip)
            for e in events {
                _ = try insert.insert([
                    .text(e.runId), .integer(Int64(e.seq)), .text(e.kind), e.agent.map(Value.text) ?? .null, .timestamp(e.happenedAt),
                    .json(e.data),
                ])
            }
        }
    }

    /// The stored events of run `runId` after `seq` (0: all), in order.
    public func runEvents(runId: String, after seq: Int = 0) throws -> [RunEvent] {
        let rows = try store.query(
            "SELECT seq, kind, agent, happened_at, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq",
            arguments: [.text(runId), .integer(Int64(seq))],
            columnTypes: [.integer, .text(maxLength: 40), .text(maxLength: 50), .timestamp, .json])
        return rows.map { row in
            RunEvent(
                runId: runId, seq: Int(row[0].integerValue), kind: row[1].textValue ?? "", agent: row[2].textValue,
                happenedAt: row[3].timestampValue ?? Timestamp(seconds: 0), data: row[4].textValue ?? "{}")
        }
    }

    /// The stored run `id` (without its results), or nil.
    public func runRecord(id: String) throws -> RunRecord? {
        let rows = try store.query(
            "SELECT run_id, analysis, as_of, status, started_at, finished_at FROM analysis_runs WHERE run_id = ?", arguments: [.text(id)],
            columnTypes: [.text(maxLength: 50), .text(maxLength: 100), .date, .text(maxLength: 20), .timestamp, .timestamp])
        return rows.first.map(RunRecord.init(row:))
    }

    /// Records that run `runId` has started, before any agent runs: a row with status `running` and no results.
    func recordRunStart(runId: String, analysis: String, asOf: Day, at time: Timestamp) throws {
        try store.writeBatch { writer in
            let insert = try writer.inserter(
                for: Catalog.analysisRuns, columns: ["run_id", "analysis", "as_of", "status", "seed", "started_at"], onConflict: .fail)
            _ = try insert.insert([
                .text(runId), .text(analysis), .date(asOf), .text(RunStatus.running.rawValue),
                .integer(Int64(bitPattern: configuration.workflow.seed)), .timestamp(time),
            ])
        }
    }

    /// Marks run `runId` as ended with `status` if it is still queued or running (a run whose flow
    /// could not store it, or that a stopped server left behind); its results stay as they are.
    func recordRunEnd(runId: String, status: RunStatus, at time: Timestamp) throws {
        try store.writeBatch { writer in
            try writer.execute(
                "UPDATE analysis_runs SET status = ?, finished_at = ? WHERE run_id = ? AND status IN ('queued', 'running')",
                arguments: [.text(status.rawValue), .timestamp(time), .text(runId)])
        }
    }

    /// The runs stored as queued or running.
    func unfinishedRuns() throws -> [RunRecord] {
        try store.query(
            "SELECT run_id, analysis, as_of, status, started_at, finished_at FROM analysis_runs WHERE status IN ('queued', 'running')",
            arguments: [], columnTypes: [.text(maxLength: 50), .text(maxLength: 100), .date, .text(maxLength: 20), .timestamp, .timestamp]
        ).map(RunRecord.init(row:))
    }
}

extension RunRecord {
    init(row: [Value]) {
        self.init(
            runId: row[0].textValue ?? "", analysis: row[1].textValue ?? "", asOf: row[2].dayValue ?? Day(number: 0),
            status: row[3].textValue.flatMap(RunStatus.init(rawValue:)), startedAt: row[4].timestampValue ?? Timestamp(seconds: 0),
            finishedAt: row[5].timestampValue)
    }
}

extension Application {
    /// Up to `limit` stored runs, newest first (by start, then id), after `cursor` (the last run of
    /// the previous page) when given.
    public func listRuns(limit: Int, after cursor: RunRecord?) throws -> [RunRecord] {
        let columns = "SELECT run_id, analysis, as_of, status, started_at, finished_at FROM analysis_runs"
        let types: [ColumnType] = [.text(maxLength: 50), .text(maxLength: 100), .date, .text(maxLength: 20), .timestamp, .timestamp]
        let order = " ORDER BY started_at DESC, run_id DESC LIMIT ?"
        if let cursor {
            return try store.query(
                columns + " WHERE started_at < ? OR (started_at = ? AND run_id < ?)" + order,
                arguments: [.timestamp(cursor.startedAt), .timestamp(cursor.startedAt), .text(cursor.runId), .integer(Int64(limit))],
                columnTypes: types
            ).map(RunRecord.init(row:))
        }
        return try store.query(columns + order, arguments: [.integer(Int64(limit))], columnTypes: types).map(RunRecord.init(row:))
    }

    /// The id of the newest run that ended with decisions (succeeded or degraded), or nil.
    public func latestDecidedRunId() throws -> String? {
        try store.query(
            "SELECT run_id FROM analysis_runs WHERE status IN ('succeeded', 'degraded') ORDER BY started_at DESC, run_id DESC LIMIT 1",
            arguments: [], columnTypes: [.text(maxLength: 50)]
        ).first?.first?.textValue
    }
}

import DecisioningCore
import DecisioningStore

extension Application {
    /// The last occurrence of `schedule` that was claimed (run, skipped or caught up), or nil when
    /// the schedule never ran on this database.
    func lastOccurrence(of schedule: String) throws -> Timestamp? {
        try store.query(
            "SELECT last_occurrence FROM schedule_state WHERE schedule = ?", arguments: [.text(schedule)], columnTypes: [.timestamp]
        ).first?.first?.timestampValue
    }

    /// Claims the occurrence `at` of `schedule` for `claim` with one conditional update: true when
    /// this call moved the schedule to `at` (no other server had).
    func claimOccurrence(of schedule: String, at occurrence: Timestamp, claim: String) throws -> Bool {
        try store.writeBatch { writer in
            let insert = try writer.inserter(for: Catalog.scheduleState, columns: Catalog.scheduleState.columnNames, onConflict: .skip)
            if try !insert.insert([.text(schedule), .timestamp(occurrence), .text(claim)]) {
                try writer.execute(
                    "UPDATE schedule_state SET last_occurrence = ?, last_run_id = ? WHERE schedule = ? AND last_occurrence < ?",
                    arguments: [.timestamp(occurrence), .text(claim), .text(schedule), .timestamp(occurrence)])
            }
        }
        let row = try store.query(
            "SELECT last_occurrence, last_run_id FROM schedule_state WHERE schedule = ?", arguments: [.text(schedule)],
            columnTypes: [.timestamp, .text(maxLength: 50)]
        ).first
        return row?[0].timestampValue == occurrence && row?[1].textValue == claim
    }

    /// Records the run an occurrence started.
    func recordOccurrenceRun(of schedule: String, at occurrence: Timestamp, runId: String) throws {
        try store.writeBatch { writer in
            try writer.execute(
                "UPDATE schedule_state SET last_run_id = ? WHERE schedule = ? AND last_occurrence = ?",
                arguments: [.text(runId), .text(schedule), .timestamp(occurrence)])
        }
    }
}

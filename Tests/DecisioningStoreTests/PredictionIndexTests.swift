import DecisioningCore
import DecisioningStore
import Testing

/// Migration 0005: `idx_predictions` ordered by model, date and prediction id, on a new file and on
/// one that already holds predictions under the seed's index.
@Suite struct PredictionIndexTests {
    static func indexColumns(_ store: SQLiteStore) throws -> [String] {
        try store.query(
            "SELECT name FROM pragma_index_info('idx_predictions') ORDER BY seqno", arguments: [], columnTypes: [.longText]
        ).map { $0[0].description }
    }

    @Test func aNewFileHasTheIndexByModelDateAndId() throws {
        let (store, _) = try makeTemporaryStore()
        #expect(try Self.indexColumns(store) == ["model_id", "prediction_date", "prediction_id"])
        #expect(Migrations.predictionIndexColumns == ["model_id", "prediction_date", "prediction_id"])
    }

    /// A file as migrations 0001–0004 left it.
    static func fileBeforeTheMigration() throws -> (SQLiteStore, String) {
        let (store, path, earlier) = try makeStore(before: "0005_prediction_index") { writer in
            try writer.execute("INSERT INTO ml_models (model_id) VALUES ('overrun-risk')", arguments: [])
        }
        #expect(earlier.count == 4)
        return (store, path)
    }

    @Test func aFileWithTheSeedsIndexIsMigratedKeepingItsRows() throws {
        let (store, path) = try Self.fileBeforeTheMigration()
        try store.writeBatch { writer in
            for (run, entity) in [("run-a", "P1"), ("run-a", "P2"), ("run-b", "P1")] {
                try writer.execute(
                    "INSERT INTO model_predictions (prediction_id, model_id, entity_id, prediction_value, prediction_date) VALUES (?, 'overrun-risk', ?, 5000, '2026-11-25 00:00:00')",
                    arguments: [.text("\(run):overrun-risk:\(entity)"), .text(entity)])
            }
        }
        #expect(try Self.indexColumns(store) == ["prediction_date", "model_id", "entity_id"])
        #expect(try store.migrate() == Array(Migrations.all.map(\.id).drop { $0 != "0005_prediction_index" }))
        #expect(try Self.indexColumns(store) == Migrations.predictionIndexColumns)
        #expect(try store.rowCount("model_predictions") == 3)  // no generated rows in this file
        // The latest run's first id is one seek of the index, with no sort.
        let plan = try store.query(
            "EXPLAIN QUERY PLAN SELECT prediction_id, prediction_date FROM model_predictions WHERE model_id = ? AND prediction_date <= ? ORDER BY prediction_date DESC, prediction_id DESC LIMIT 1",
            arguments: [.text("overrun-risk"), .text("2026-11-25 00:00:00")], columnTypes: [.integer, .integer, .integer, .longText]
        ).map { $0[3].description }.joined(separator: "\n")
        #expect(plan.contains("idx_predictions") && !plan.contains("TEMP B-TREE"), "\(plan)")
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.migrate().isEmpty)
    }
}

import DecisioningCore
import DecisioningMySQL
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Testing

/// No HeatWave system is reachable from here, so the exact SQL and bindings of every HeatWave
/// statement are pinned by these goldens. Argument orders follow Oracle's syntax boxes (URLs in
/// `HeatWaveStatements`); a change here must be checked against them, not just re-recorded.
@Suite struct HeatWaveStatementTests {
    let projects: HeatWaveTable
    let overrunModel: SessionVariable
    let revenueModel: SessionVariable
    let anomalyModel: SessionVariable
    let score: SessionVariable

    init() throws {
        projects = try HeatWaveTable(schema: "decisioning", name: "projects")
        overrunModel = try SessionVariable("decisioning_overrun_model")
        revenueModel = try SessionVariable("decisioning_revenue_model")
        anomalyModel = try SessionVariable("decisioning_anomaly_model")
        score = try SessionVariable("decisioning_score")
    }

    func table(_ name: String) throws -> HeatWaveTable { try HeatWaveTable(schema: "decisioning", name: name) }

    /// Every statement with its golden SQL and bindings, by name.
    func goldens() throws -> [(name: String, statement: HeatWaveStatement, sql: String, bindings: [Value])] {
        [
            // RAPID: define, load, unload.
            (
                "define secondary engine", HeatWaveStatements.defineSecondaryEngine(projects),
                "ALTER TABLE `decisioning`.`projects` SECONDARY_ENGINE = RAPID", []
            ),
            (
                "secondary load", HeatWaveStatements.secondaryLoad(projects),
                "ALTER TABLE `decisioning`.`projects` SECONDARY_LOAD", []
            ),
            (
                "secondary unload", HeatWaveStatements.secondaryUnload(projects),
                "ALTER TABLE `decisioning`.`projects` SECONDARY_UNLOAD", []
            ),
            (
                "auto parallel load, whole schema", try HeatWaveStatements.heatWaveLoad(schema: "decisioning"),
                "CALL sys.HEATWAVE_LOAD(JSON_ARRAY(?), JSON_OBJECT('mode', ?))",
                [.text("decisioning"), .text("normal")]
            ),
            (
                "auto parallel load, named tables, dry run",
                try HeatWaveStatements.heatWaveLoad(schema: "decisioning", tables: ["projects", "financial_metrics"], mode: .dryrun),
                "CALL sys.HEATWAVE_LOAD(JSON_ARRAY(JSON_OBJECT('db_name', ?, 'tables', JSON_ARRAY(?, ?))), JSON_OBJECT('mode', ?))",
                [.text("decisioning"), .text("projects"), .text("financial_metrics"), .text("dryrun")]
            ),
            (
                "auto unload, named table", try HeatWaveStatements.heatWaveUnload(schema: "decisioning", tables: ["projects"]),
                "CALL sys.HEATWAVE_UNLOAD(JSON_ARRAY(JSON_OBJECT('db_name', ?, 'tables', JSON_ARRAY(?))), JSON_OBJECT('mode', ?))",
                [.text("decisioning"), .text("projects"), .text("normal")]
            ),

            // RAPID: offload mode and load state.
            (
                "use secondary engine forced", HeatWaveStatements.useSecondaryEngine(.forced),
                "SET SESSION use_secondary_engine = FORCED", []
            ),
            (
                "use secondary engine on", HeatWaveStatements.useSecondaryEngine(.on),
                "SET SESSION use_secondary_engine = ON", []
            ),
            (
                "use secondary engine off", HeatWaveStatements.useSecondaryEngine(.off),
                "SET SESSION use_secondary_engine = OFF", []
            ),
            (
                "table load status", HeatWaveStatements.tableLoadStatus(projects),
                "SELECT t.LOAD_STATUS, t.LOAD_PROGRESS FROM performance_schema.rpd_tables AS t JOIN performance_schema.rpd_table_id AS i ON i.ID = t.ID WHERE i.SCHEMA_NAME = ? AND i.TABLE_NAME = ?",
                [.text("decisioning"), .text("projects")]
            ),
            (
                "loaded tables of a schema", try HeatWaveStatements.loadedTables(schema: "decisioning"),
                "SELECT i.TABLE_NAME, t.LOAD_STATUS, t.LOAD_PROGRESS, t.NROWS FROM performance_schema.rpd_tables AS t JOIN performance_schema.rpd_table_id AS i ON i.ID = t.ID WHERE i.SCHEMA_NAME = ? ORDER BY i.TABLE_NAME",
                [.text("decisioning")]
            ),
            (
                "secondary engine execution count", HeatWaveStatements.secondaryEngineExecutionCount,
                "SHOW SESSION STATUS LIKE 'Secondary_engine_execution_count'", []
            ),

            // AutoML: handles, training in ML_TRAIN(table, target, options, handle) order.
            (
                "name the model handle", HeatWaveStatements.setVariable(overrunModel, to: "decisioning_overrun_v1"),
                "SET @decisioning_overrun_model = ?", [.text("decisioning_overrun_v1")]
            ),
            (
                "read a session variable", HeatWaveStatements.readVariable(overrunModel),
                "SELECT @decisioning_overrun_model", []
            ),
            (
                "train classification",
                try HeatWaveStatements.train(
                    table("overrun_training"), target: "overran",
                    options: .init(task: .classification, excludeColumns: ["project_id"]), handle: overrunModel),
                "CALL sys.ML_TRAIN(?, ?, JSON_OBJECT('task', ?, 'exclude_column_list', JSON_ARRAY(?)), @decisioning_overrun_model)",
                [.text("decisioning.overrun_training"), .text("overran"), .text("classification"), .text("project_id")]
            ),
            (
                "train regression",
                try HeatWaveStatements.train(
                    table("cost_training"), target: "actual_cost", options: .init(task: .regression), handle: overrunModel),
                "CALL sys.ML_TRAIN(?, ?, JSON_OBJECT('task', ?), @decisioning_overrun_model)",
                [.text("decisioning.cost_training"), .text("actual_cost"), .text("regression")]
            ),
            (
                "train forecasting",
                try HeatWaveStatements.train(
                    table("revenue_monthly"), target: "revenue",
                    options: .init(
                        task: .forecasting, datetimeIndex: "month", endogenousVariables: ["revenue"],
                        exogenousVariables: ["projects_started"]),
                    handle: revenueModel),
                "CALL sys.ML_TRAIN(?, ?, JSON_OBJECT('task', ?, 'datetime_index', ?, 'endogenous_variables', JSON_ARRAY(?), 'exogenous_variables', JSON_ARRAY(?)), @decisioning_revenue_model)",
                [
                    .text("decisioning.revenue_monthly"), .text("revenue"), .text("forecasting"), .text("month"), .text("revenue"),
                    .text("projects_started"),
                ]
            ),
            (
                "train unsupervised anomaly detection",
                try HeatWaveStatements.train(
                    table("cost_ratios"), target: nil,
                    options: .init(task: .anomalyDetection, excludeColumns: ["project_id"], contamination: 0.02),
                    handle: anomalyModel),
                "CALL sys.ML_TRAIN(?, ?, JSON_OBJECT('task', ?, 'exclude_column_list', JSON_ARRAY(?), 'contamination', ?), @decisioning_anomaly_model)",
                [.text("decisioning.cost_ratios"), .null, .text("anomaly_detection"), .text("project_id"), .double(0.02)]
            ),

            // AutoML: load, predict, score, unload.
            (
                "load model", HeatWaveStatements.loadModel(overrunModel),
                "CALL sys.ML_MODEL_LOAD(@decisioning_overrun_model, NULL)", []
            ),
            (
                "unload model", HeatWaveStatements.unloadModel(overrunModel),
                "CALL sys.ML_MODEL_UNLOAD(@decisioning_overrun_model)", []
            ),
            (
                "predict table",
                HeatWaveStatements.predictTable(
                    try table("overrun_scoring"), handle: overrunModel, output: try table("overrun_predictions")),
                "CALL sys.ML_PREDICT_TABLE(?, @decisioning_overrun_model, ?, NULL)",
                [.text("decisioning.overrun_scoring"), .text("decisioning.overrun_predictions")]
            ),
            (
                "predict table with threshold and batches",
                HeatWaveStatements.predictTable(
                    try table("overrun_scoring"), handle: overrunModel, output: try table("overrun_predictions"),
                    options: .init(threshold: 0.6, batchSize: 1000)),
                "CALL sys.ML_PREDICT_TABLE(?, @decisioning_overrun_model, ?, JSON_OBJECT('threshold', ?, 'batch_size', ?))",
                [.text("decisioning.overrun_scoring"), .text("decisioning.overrun_predictions"), .double(0.6), .integer(1000)]
            ),
            (
                "forecast with prediction intervals",
                HeatWaveStatements.predictTable(
                    try table("revenue_future"), handle: revenueModel, output: try table("revenue_forecast"),
                    options: .init(predictionInterval: 0.95)),
                "CALL sys.ML_PREDICT_TABLE(?, @decisioning_revenue_model, ?, JSON_OBJECT('prediction_interval', ?))",
                [.text("decisioning.revenue_future"), .text("decisioning.revenue_forecast"), .double(0.95)]
            ),
            (
                "predict one row",
                try HeatWaveStatements.predictRow(
                    [("budget_amount", .double(250_000)), ("project_type", .text("construction"))], handle: overrunModel),
                "SELECT sys.ML_PREDICT_ROW(JSON_OBJECT(?, ?, ?, ?), @decisioning_overrun_model, NULL)",
                [.text("budget_amount"), .double(250_000), .text("project_type"), .text("construction")]
            ),
            (
                "score",
                try HeatWaveStatements.score(
                    table("overrun_test"), target: "overran", handle: overrunModel, metric: "balanced_accuracy", into: score),
                "CALL sys.ML_SCORE(?, ?, @decisioning_overrun_model, ?, @decisioning_score, NULL)",
                [.text("decisioning.overrun_test"), .text("overran"), .text("balanced_accuracy")]
            ),
            (
                "score unsupervised",
                try HeatWaveStatements.score(table("cost_ratios_test"), target: nil, handle: anomalyModel, metric: "roc_auc", into: score),
                "CALL sys.ML_SCORE(?, ?, @decisioning_anomaly_model, ?, @decisioning_score, NULL)",
                [.text("decisioning.cost_ratios_test"), .null, .text("roc_auc")]
            ),
            (
                "read predictions", try HeatWaveStatements.selectPredictions(table("overrun_predictions"), key: "project_id"),
                "SELECT `project_id`, `Prediction`, `ml_results` FROM `decisioning`.`overrun_predictions` ORDER BY `project_id`", []
            ),
            (
                "drop prediction table", HeatWaveStatements.dropTable(try table("overrun_predictions")),
                "DROP TABLE IF EXISTS `decisioning`.`overrun_predictions`", []
            ),

            // Vector search.
            (
                "nearest neighbours, cosine",
                try HeatWaveStatements.nearestNeighbours(to: [0.25, -1, 3.5], entityType: "project", model: "project-case@1#ab", limit: 5),
                "SELECT entity_id, DISTANCE(embedding_vector, STRING_TO_VECTOR(?), 'COSINE') AS distance FROM business_embeddings WHERE entity_type = ? AND embedding_model = ? ORDER BY distance LIMIT ?",
                [.text("[0.25,-1.0,3.5]"), .text("project"), .text("project-case@1#ab"), .integer(5)]
            ),
            (
                "nearest neighbours, euclidean",
                try HeatWaveStatements.nearestNeighbours(to: [0.1], entityType: "customer", model: "m", limit: 1, metric: .euclidean),
                "SELECT entity_id, DISTANCE(embedding_vector, STRING_TO_VECTOR(?), 'EUCLIDEAN') AS distance FROM business_embeddings WHERE entity_type = ? AND embedding_model = ? ORDER BY distance LIMIT ?",
                [.text("[0.1]"), .text("customer"), .text("m"), .integer(1)]
            ),
        ]
    }

    @Test func everyStatementMatchesItsGolden() throws {
        for golden in try goldens() {
            #expect(golden.statement.sql == golden.sql, "\(golden.name)")
            #expect(golden.statement.bindings == golden.bindings, "\(golden.name)")
        }
    }

    /// A placeholder without a value (or the reverse) is the classic way to shift every argument
    /// of a CALL by one; count them.
    @Test func everyPlaceholderHasExactlyOneBinding() throws {
        for golden in try goldens() {
            let outsideQuotes = golden.statement.sql.split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined()
            #expect(outsideQuotes.filter { $0 == "?" }.count == golden.statement.bindings.count, "\(golden.name)")
        }
    }

    @Test func identifiersThatWouldNeedQuotingAreRefused() {
        for bad in [
            "", "projects; DROP TABLE x", "pro`jects", "1projects", "a.b", "@x", "schéma", "name with space",
            String(repeating: "a", count: 65),
        ] {
            #expect(throws: StoreError.self, "\(bad)") { _ = try HeatWaveTable(schema: "decisioning", name: bad) }
            #expect(throws: StoreError.self, "\(bad)") { _ = try SessionVariable(bad) }
            #expect(throws: StoreError.self, "\(bad)") { _ = try HeatWaveStatements.selectPredictions(projects, key: bad) }
        }
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.heatWaveLoad(schema: "decisioning", tables: ["ok", "not ok"]) }
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.predictRow([("a-b", .integer(1))], handle: overrunModel) }
        #expect((try? HeatWaveTable(schema: "_s1", name: String(repeating: "a", count: 64))) != nil)
    }

    @Test func trainingChecksTheTargetAgainstTheTask() throws {
        let t = try table("t")
        #expect(throws: StoreError.self) {
            _ = try HeatWaveStatements.train(t, target: "label", options: .init(task: .anomalyDetection), handle: anomalyModel)
        }
        #expect(throws: StoreError.self) {
            _ = try HeatWaveStatements.train(t, target: nil, options: .init(task: .classification), handle: overrunModel)
        }
        for contamination in [0, 0.5, -0.1, 2] {
            #expect(throws: StoreError.self) {
                _ = try HeatWaveStatements.train(
                    t, target: nil, options: .init(task: .anomalyDetection, contamination: contamination), handle: anomalyModel)
            }
        }
    }

    @Test func vectorLiteralsRoundTripAndRefuseWhatVectorCannotHold() throws {
        let values: [Float] = [0.1, -17.8, 32, 1e-7, .greatestFiniteMagnitude]
        let literal = try HeatWaveStatements.vectorLiteral(values)
        let parsed = literal.dropFirst().dropLast().split(separator: ",").map { Float(String($0))! }
        #expect(parsed.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.vectorLiteral([]) }
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.vectorLiteral([1, .nan]) }
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.vectorLiteral([.infinity]) }
        #expect(throws: StoreError.self) { _ = try HeatWaveStatements.vectorLiteral(Array(repeating: 1, count: 16384)) }
        #expect(throws: StoreError.self) {
            _ = try HeatWaveStatements.nearestNeighbours(to: [1], entityType: "project", model: "m", limit: 0)
        }
    }

    @Test func offloadFallbackErrors() {
        #expect(HeatWaveStatements.offloadFallbackErrors == [3877, 3889])
        #expect(
            HeatWaveStatements.cannotOffload(
                .engine(
                    operation: "SELECT", code: 3889,
                    message:
                        "Secondary engine operation failed. use_secondary_engine is FORCED but query could not be executed in secondary engine."
                )))
        #expect(HeatWaveStatements.cannotOffload(.engine(operation: "SELECT", code: 3877, message: "Table has not been loaded")))
        #expect(
            !HeatWaveStatements.cannotOffload(
                .engine(operation: "SELECT", code: 3890, message: "DDLs on a table with a secondary engine defined are not allowed.")))
        #expect(
            !HeatWaveStatements.cannotOffload(
                .engine(operation: "SET", code: 1193, message: "Unknown system variable 'use_secondary_engine'")))
        #expect(!HeatWaveStatements.cannotOffload(.connectionLost(operation: "SELECT", code: 2013, message: "Lost connection")))
    }

    @Test func loadStatusIsReadFromTheRows() {
        #expect(HeatWaveStatements.tableIsLoaded([["AVAIL_RPDGSTABSTATE", "100"]]))
        #expect(!HeatWaveStatements.tableIsLoaded([["LOADING_RPDGSTABSTATE", "42"]]))
        #expect(!HeatWaveStatements.tableIsLoaded([["STALE_RPDGSTABSTATE", "100"]]))
        #expect(!HeatWaveStatements.tableIsLoaded([]))
    }

    /// MariaDB has no HeatWave, but its parser is MySQL's dialect: every statement that is not
    /// HeatWave-only syntax must get past it (any error but 1064 ER_PARSE_ERROR), with exactly as
    /// many placeholders as bindings where it prepares. This catches a missing comma or parenthesis
    /// that the goldens would faithfully pin.
    @Test(.enabled(if: LiveServer.shouldRun)) func statementsParseOnTheLiveMariaDB() throws {
        let connection = try LiveServer.connect()
        // SECONDARY_LOAD/UNLOAD (1064) and SECONDARY_ENGINE (1911) are HeatWave grammar MariaDB lacks.
        let heatWaveGrammar: Set<String> = ["define secondary engine", "secondary load", "secondary unload"]
        var outcomes: [String] = []
        for golden in try goldens() where !heatWaveGrammar.contains(golden.name) {
            do {
                let statement = try connection.prepare(golden.statement.sql)
                #expect(statement.parameterCount == golden.statement.bindings.count, "\(golden.name)")
                try statement.execute(golden.statement.bindings)
                outcomes.append("\(golden.name): ok")
            } catch let error where error.kind == .engine {
                #expect(error.code != 1064, "\(golden.name): \(error.message)")
                outcomes.append("\(golden.name): \(error.code ?? 0)")
            } catch {
                Issue.record("\(golden.name): \(error)")
            }
        }
        print("MariaDB outcomes: " + outcomes.joined(separator: "; "))
    }
}

/// The statement sequences the store sends to HeatWave, pinned, and their runner on MariaDB.
struct HeatWaveWorkflowTests {
    /// Records every statement and answers from a script, as HeatWave would.
    final class RecordingRunner: HeatWaveStatementRunner {
        var sent: [HeatWaveStatement] = []
        let answer: (HeatWaveStatement) -> [[String?]]
        init(answer: @escaping (HeatWaveStatement) -> [[String?]]) { self.answer = answer }
        func run(_ statement: HeatWaveStatement) throws(StoreError) -> [[String?]] {
            sent.append(statement)
            return answer(statement)
        }
    }

    @Test func onlyTablesNotYetInRAPIDAreLoaded() throws {
        let tables = try ["projects", "financial_metrics"].map { try HeatWaveTable(schema: "shop", name: $0) }
        let runner = RecordingRunner { statement in
            // projects is loaded already; financial_metrics is not.
            statement.bindings.contains(.text("projects")) ? [["AVAIL_RPDGSTABSTATE"]] : []
        }
        let loaded = try HeatWaveWorkflow.loadIntoRAPID(tables, on: runner)
        #expect(loaded.map(\.name) == ["financial_metrics"])
        #expect(runner.sent.count == 3)
        #expect(runner.sent.last == HeatWaveStatement("ALTER TABLE `shop`.`financial_metrics` SECONDARY_LOAD"))
    }

    /// Fails at one step of the AutoML sequence and records what was sent.
    final class FailingRunner: HeatWaveStatementRunner {
        var sent: [String] = []
        let failAt: String
        init(failAt: String) { self.failAt = failAt }
        func run(_ statement: HeatWaveStatement) throws(StoreError) -> [[String?]] {
            sent.append(statement.sql)
            if statement.sql.contains(failAt) { throw .engine(operation: "CALL", code: 3877, message: "HeatWave ran out of memory") }
            return []
        }
    }

    @Test func aFailedPredictionStillUnloadsTheModelAndDropsItsTable() throws {
        let handle = try SessionVariable("decisioning_model")
        for (step, cleanup) in [("ML_TRAIN", 0), ("ML_MODEL_LOAD", 0), ("ML_PREDICT_TABLE", 2)] {
            let runner = FailingRunner(failAt: step)
            #expect(throws: StoreError.self) {
                _ = try HeatWaveWorkflow.trainAndPredict(
                    training: try HeatWaveTable(schema: "shop", name: "overrun_training"), target: "overran", task: .classification,
                    scoring: try HeatWaveTable(schema: "shop", name: "overrun_scoring"),
                    output: try HeatWaveTable(schema: "shop", name: "overrun_predictions"),
                    key: "project_id", handle: handle, modelName: "m", on: runner)
            }
            let failedAt = try #require(runner.sent.firstIndex { $0.contains(step) })
            let after = Array(runner.sent[(failedAt + 1)...])
            #expect(after.count == cleanup, "after a failed \(step): \(after)")
            if cleanup == 2 {
                #expect(after[0].contains("ML_MODEL_UNLOAD") && after[1].hasPrefix("DROP TABLE"))
            }
        }
    }

    @Test func autoMLRunsTrainLoadPredictInTheirDocumentedOrder() throws {
        let handle = try SessionVariable("decisioning_overrun")
        let statements = try HeatWaveWorkflow.trainAndPredictStatements(
            training: try HeatWaveTable(schema: "shop", name: "overrun_training"), target: "overran", task: .classification,
            scoring: try HeatWaveTable(schema: "shop", name: "overrun_scoring"),
            output: try HeatWaveTable(schema: "shop", name: "overrun_predictions"),
            key: "project_id", handle: handle, modelName: "overrun-risk-2026-11-25")
        #expect(
            statements.map(\.sql) == [
                "SET @decisioning_overrun = ?",
                "CALL sys.ML_TRAIN(?, ?, JSON_OBJECT('task', ?), @decisioning_overrun)",
                "CALL sys.ML_MODEL_LOAD(@decisioning_overrun, NULL)",
                "DROP TABLE IF EXISTS `shop`.`overrun_predictions`",
                "CALL sys.ML_PREDICT_TABLE(?, @decisioning_overrun, ?, NULL)",
                "SELECT `project_id`, `Prediction`, `ml_results` FROM `shop`.`overrun_predictions` ORDER BY `project_id`",
                "CALL sys.ML_MODEL_UNLOAD(@decisioning_overrun)",
                "DROP TABLE IF EXISTS `shop`.`overrun_predictions`",
            ])
        #expect(statements[1].bindings == [.text("shop.overrun_training"), .text("overran"), .text("classification")])
        #expect(statements[4].bindings == [.text("shop.overrun_scoring"), .text("shop.overrun_predictions")])
        let runner = RecordingRunner { $0.sql.hasPrefix("SELECT `project_id`") ? [["P1", "1", "{}"]] : [] }
        let predictions = try HeatWaveWorkflow.trainAndPredict(
            training: try HeatWaveTable(schema: "shop", name: "overrun_training"), target: "overran", task: .classification,
            scoring: try HeatWaveTable(schema: "shop", name: "overrun_scoring"),
            output: try HeatWaveTable(schema: "shop", name: "overrun_predictions"),
            key: "project_id", handle: handle, modelName: "m", on: runner)
        #expect(predictions == [["P1", "1", "{}"]])
    }

    @Test(.enabled(if: TestServer.enabled)) func aProcedureWithSeveralResultSetsIsDrained() throws {
        let db = try TestServer.main().scratchDatabase("calls")
        defer { db.drop() }
        let connection = try db.store.pool.acquire("test")
        defer { db.store.pool.release(connection) }
        try connection.execute("CREATE PROCEDURE two_results(IN n INT) BEGIN SELECT n AS a; SELECT n + 1 AS b, 'x' AS c; END")
        let rows = try connection.run(HeatWaveStatement("CALL two_results(?)", [.integer(41)]))
        #expect(rows == [["41"]])
        // The connection is usable afterwards: every result set was read.
        #expect(try connection.textRows("SELECT 7") == [["7"]])
    }
}

import DecisioningCore
public import DecisioningStore

/// Runs `HeatWaveStatement`s in order on one connection: AutoML model handles are session
/// variables, so a model's train, load and predict must share a connection.
public protocol HeatWaveStatementRunner {
    /// Runs one statement; returns the rows of its first result set as text.
    func run(_ statement: HeatWaveStatement) throws(StoreError) -> [[String?]]
}

extension MySQLConnection: HeatWaveStatementRunner {
    /// Prepares and runs the statement with its bindings, draining every result set (`CALL`
    /// returns one per inner SELECT plus a status) so the connection stays usable.
    public func run(_ statement: HeatWaveStatement) throws(StoreError) -> [[String?]] {
        try prepare(statement.sql).allResults(statement.bindings)
    }
}

/// What Decisioning asks of HeatWave, as statement sequences (pure, pinned by golden tests) and
/// their execution on a runner.
public enum HeatWaveWorkflow {
    /// Loads every analytic table that is not yet in RAPID (`SECONDARY_LOAD`), given each table's
    /// `rpd_tables` load-status answer. HeatWave propagates later DML to loaded tables by itself.
    public static func loadStatements(_ tables: [HeatWaveTable], statuses: [[[String?]]]) -> [HeatWaveStatement] {
        zip(tables, statuses).compactMap { table, rows in
            HeatWaveStatements.tableIsLoaded(rows) ? nil : HeatWaveStatements.secondaryLoad(table)
        }
    }

    /// Marks and loads `tables` into RAPID, skipping loaded ones; returns the tables loaded now.
    @discardableResult
    public static func loadIntoRAPID(_ tables: [HeatWaveTable], on runner: some HeatWaveStatementRunner) throws(StoreError)
        -> [HeatWaveTable]
    {
        var statuses: [[[String?]]] = []
        for table in tables { statuses.append(try runner.run(HeatWaveStatements.tableLoadStatus(table))) }
        let loads = loadStatements(tables, statuses: statuses)
        for statement in loads { _ = try runner.run(statement) }
        return zip(tables, statuses).filter { !HeatWaveStatements.tableIsLoaded($0.1) }.map(\.0)
    }

    /// AutoML end to end: name the handle, train on `training`, load the model, predict `scoring`
    /// into `output` (dropped first: before 9.4.1 it must not exist), read the predictions by
    /// `key`, then unload the model and drop the output.
    public static func trainAndPredictStatements(
        training: HeatWaveTable, target: String, task: HeatWaveStatements.MLTask,
        scoring: HeatWaveTable, output: HeatWaveTable, key: String,
        handle: SessionVariable, modelName: String
    ) throws(StoreError) -> [HeatWaveStatement] {
        [
            HeatWaveStatements.setVariable(handle, to: modelName),
            try HeatWaveStatements.train(training, target: target, options: .init(task: task), handle: handle),
            HeatWaveStatements.loadModel(handle),
            HeatWaveStatements.dropTable(output),
            HeatWaveStatements.predictTable(scoring, handle: handle, output: output),
            try HeatWaveStatements.selectPredictions(output, key: key),
            HeatWaveStatements.unloadModel(handle),
            HeatWaveStatements.dropTable(output),
        ]
    }

    /// Runs `trainAndPredictStatements` on one connection; returns (key, prediction, ml_results JSON) rows.
    /// When a step fails, the model is still unloaded (it holds HeatWave memory) and the output
    /// table dropped, as far as they exist, before the failure is thrown.
    public static func trainAndPredict(
        training: HeatWaveTable, target: String, task: HeatWaveStatements.MLTask,
        scoring: HeatWaveTable, output: HeatWaveTable, key: String, handle: SessionVariable,
        modelName: String, on runner: some HeatWaveStatementRunner
    ) throws(StoreError) -> [[String?]] {
        let statements = try trainAndPredictStatements(
            training: training, target: target, task: task, scoring: scoring, output: output,
            key: key, handle: handle, modelName: modelName)
        let (work, unload, dropOutput) = (statements[0..<6], statements[6], statements[7])
        var predictions: [[String?]] = []
        var done = 0
        do throws(StoreError) {
            for statement in work {
                let rows = try runner.run(statement)
                done += 1
                if done == work.count { predictions = rows }
            }
        } catch {
            if done >= 3 { _ = try? runner.run(unload) }  // the model was loaded
            if done >= 4 { _ = try? runner.run(dropOutput) }  // the prediction may have begun its table
            throw error
        }
        _ = try runner.run(unload)
        _ = try runner.run(dropOutput)
        return predictions
    }
}

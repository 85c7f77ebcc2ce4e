public import DecisioningCore
public import DecisioningStore

/// One statement for the server: SQL with `?` placeholders and the values bound to them, in order.
///
/// No HeatWave system is reachable from here, so every statement the store sends to HeatWave is
/// built by a pure function below and pinned by golden tests of its exact text and bindings.
public struct HeatWaveStatement: Sendable, Equatable, CustomStringConvertible {
    public var sql: String
    public var bindings: [Value]

    public init(_ sql: String, _ bindings: [Value] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    public var description: String {
        bindings.isEmpty ? sql : sql + " -- bindings: " + bindings.map { "\($0)" }.joined(separator: ", ")
    }
}

/// A table named by schema and name, both checked to hold only letters, digits and underscores.
///
/// Why so strict: the AutoML routines take `'schema.table'` as a plain string that HeatWave splits
/// on the dot and that cannot be backtick-quoted (ML_EMBED_TABLE's docs forbid backticks and dots
/// from 9.0.1-u1), and DDL cannot bind identifiers at all. A name that needs quoting is refused
/// instead of being quoted in three different ways.
public struct HeatWaveTable: Sendable, Hashable, CustomStringConvertible {
    public let schema: String
    public let name: String

    public init(schema: String, name: String) throws(StoreError) {
        self.schema = try HeatWaveStatements.checkedIdentifier(schema, role: "schema")
        self.name = try HeatWaveStatements.checkedIdentifier(name, role: "table")
    }

    /// `` `schema`.`name` `` for DDL and SELECT.
    public var quoted: String { "`\(schema)`.`\(name)`" }
    /// `schema.name`, the string argument of the `sys.ML_*` routines.
    public var dotted: String { "\(schema).\(name)" }
    public var description: String { dotted }
}

/// A user-defined session variable such as `@decisioning_overrun_model`.
///
/// HeatWave AutoML keeps a model handle in a session variable: `ML_TRAIN` writes the handle into
/// it (generating one unless the variable was set to a name beforehand), and the other routines
/// read it. Session variables live as long as the connection, so a store must run a model's
/// statements on one connection, or set the variable again (`setVariable`) on another.
public struct SessionVariable: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) throws(StoreError) {
        self.name = try HeatWaveStatements.checkedIdentifier(name, role: "session variable")
    }

    /// `@name`.
    public var sql: String { "@" + name }
    public var description: String { sql }
}

/// Every statement the store sends to MySQL HeatWave, in the argument order Oracle documents.
///
/// Rules: identifiers (schemas, tables, columns, session variables) are validated and
/// backtick-quoted where SQL names them; every value — including names that HeatWave routines take
/// as strings, option values and model handles — is bound. JSON option *keys* are literals, since
/// they come from the fixed vocabulary below, never from a caller.
///
/// Sources (HeatWave User Guide and MySQL Reference Manual; see also `../shared/reference/heatwave.md`):
/// - `ALTER TABLE t SECONDARY_ENGINE = RAPID`: https://dev.mysql.com/doc/heatwave/en/mys-hw-defining-secondary-engine.html
/// - `ALTER TABLE t SECONDARY_LOAD`: https://dev.mysql.com/doc/heatwave/en/mys-hw-secondary-load.html
/// - `ALTER TABLE t SECONDARY_UNLOAD`: https://dev.mysql.com/doc/heatwave/en/mys-hw-unload-tables.html
/// - `CALL sys.HEATWAVE_LOAD(input_list, options)`: https://dev.mysql.com/doc/heatwave/en/mys-hw-auto-parallel-load-syntax.html
/// - `CALL sys.HEATWAVE_UNLOAD(input_list, options)`: https://dev.mysql.com/doc/heatwave/en/mys-hw-auto-unload-syntax.html
/// - `use_secondary_engine` ON | OFF | FORCED: https://dev.mysql.com/doc/heatwave/en/mys-hw-query-prerequisites.html
/// - `rpd_tables` / `rpd_table_id`: https://dev.mysql.com/doc/heatwave/en/mys-hw-rpd-tables-table.html ·
///   https://dev.mysql.com/doc/heatwave/en/mys-hw-rpd-table-id-table.html
/// - `CALL sys.ML_TRAIN('table_name', 'target_column_name', options, model_handle)`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-train.html
/// - `CALL sys.ML_MODEL_LOAD(model_handle, user)`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-model-load.html
/// - `CALL sys.ML_MODEL_UNLOAD(model_handle)`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-model-unload.html
/// - `CALL sys.ML_PREDICT_TABLE(table_name, model_handle, output_table_name, [options])`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-predict-table.html ·
///   https://dev.mysql.com/doc/heatwave/en/mys-hwaml-predictions-ml-predict-table.html
/// - `SELECT sys.ML_PREDICT_ROW(input_data, model_handle, options)`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-predict-row.html
/// - `CALL sys.ML_SCORE(table_name, target_column_name, model_handle, metric, score, [options])`: https://dev.mysql.com/doc/heatwave/en/mys-hwaml-ml-score.html
/// - `DISTANCE(vector, vector, 'COSINE'|'DOT'|'EUCLIDEAN')`, `STRING_TO_VECTOR`: https://dev.mysql.com/doc/refman/9.4/en/vector-functions.html ·
///   https://dev.mysql.com/doc/heatwave/en/mys-hw-vector-functions.html
public enum HeatWaveStatements {
    // MARK: - Identifiers

    /// MySQL's limit for schema, table and column names.
    public static let maximumIdentifierLength = 64

    /// `name` if it is 1…64 ASCII letters, digits and underscores and does not start with a digit.
    public static func checkedIdentifier(_ name: String, role: String) throws(StoreError) -> String {
        let valid =
            !name.isEmpty && name.utf8.count <= maximumIdentifierLength
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
            && !(name.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? true)
        guard valid else {
            throw .invalidArgument(
                "\(role) name '\(name)': HeatWave statements accept only 1 to \(maximumIdentifierLength) letters, digits and underscores, not starting with a digit"
            )
        }
        return name
    }

    /// A validated column name in backticks.
    public static func quotedColumn(_ name: String) throws(StoreError) -> String {
        "`" + (try checkedIdentifier(name, role: "column")) + "`"
    }

    // MARK: - RAPID: defining, loading, unloading

    /// Marks a table for HeatWave. Needed before `SECONDARY_LOAD` on servers before 8.2.0; from
    /// 8.2.0 Guided Load sets it during the load, so it is harmless to repeat.
    public static func defineSecondaryEngine(_ table: HeatWaveTable) -> HeatWaveStatement {
        HeatWaveStatement("ALTER TABLE \(table.quoted) SECONDARY_ENGINE = RAPID")
    }

    /// Loads one table into the HeatWave cluster; InnoDB keeps the primary copy and change
    /// propagation keeps RAPID up to date afterwards.
    public static func secondaryLoad(_ table: HeatWaveTable) -> HeatWaveStatement {
        HeatWaveStatement("ALTER TABLE \(table.quoted) SECONDARY_LOAD")
    }

    /// Drops the HeatWave copy only; the InnoDB table is untouched.
    public static func secondaryUnload(_ table: HeatWaveTable) -> HeatWaveStatement {
        HeatWaveStatement("ALTER TABLE \(table.quoted) SECONDARY_UNLOAD")
    }

    /// Auto Parallel Load's `mode` option.
    public enum AutoLoadMode: String, Sendable, CaseIterable {
        /// Load.
        case normal
        /// Only generate the load script (into `sys.heatwave_autopilot_report`) and check it.
        case dryrun
    }

    /// `CALL sys.HEATWAVE_LOAD(input_list, options)`: loads a whole schema (`tables` empty) or the
    /// named tables of it, choosing encodings and parallelism itself. `input_list` holds either the
    /// schema's name or, since 8.4.0, `JSON_OBJECT('db_name', …, 'tables', JSON_ARRAY(…))`.
    public static func heatWaveLoad(schema: String, tables: [String] = [], mode: AutoLoadMode = .normal) throws(StoreError)
        -> HeatWaveStatement
    {
        let input = try inputList(schema: schema, tables: tables)
        return HeatWaveStatement("CALL sys.HEATWAVE_LOAD(\(input.sql), JSON_OBJECT('mode', ?))", input.bindings + [.text(mode.rawValue)])
    }

    /// `CALL sys.HEATWAVE_UNLOAD(input_list, options)`: the inverse of `heatWaveLoad`; it also
    /// clears the tables' secondary-engine flag.
    public static func heatWaveUnload(schema: String, tables: [String] = [], mode: AutoLoadMode = .normal) throws(StoreError)
        -> HeatWaveStatement
    {
        let input = try inputList(schema: schema, tables: tables)
        return HeatWaveStatement("CALL sys.HEATWAVE_UNLOAD(\(input.sql), JSON_OBJECT('mode', ?))", input.bindings + [.text(mode.rawValue)])
    }

    static func inputList(schema: String, tables: [String]) throws(StoreError) -> HeatWaveStatement {
        let schema = try checkedIdentifier(schema, role: "schema")
        guard !tables.isEmpty else { return HeatWaveStatement("JSON_ARRAY(?)", [.text(schema)]) }
        var names: [Value] = []
        for table in tables { names.append(.text(try checkedIdentifier(table, role: "table"))) }
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return HeatWaveStatement("JSON_ARRAY(JSON_OBJECT('db_name', ?, 'tables', JSON_ARRAY(\(marks))))", [.text(schema)] + names)
    }

    // MARK: - RAPID: offload and load state

    /// `use_secondary_engine`: where a SELECT may run.
    public enum SecondaryEngineMode: String, Sendable, CaseIterable {
        /// Offload when possible, otherwise run on InnoDB without an error (the server default).
        case on = "ON"
        /// Always InnoDB.
        case off = "OFF"
        /// Offload or fail with one of `offloadFallbackErrors`; the store uses this so that a plan
        /// that cannot offload is noticed and its fallback to the column engine is visible.
        case forced = "FORCED"
    }

    /// `SET SESSION use_secondary_engine = …`. The value is a keyword, not a bindable value.
    public static func useSecondaryEngine(_ mode: SecondaryEngineMode) -> HeatWaveStatement {
        HeatWaveStatement("SET SESSION use_secondary_engine = \(mode.rawValue)")
    }

    /// The `LOAD_STATUS` of a table that is loaded and available for queries.
    public static let loadedStatus = "AVAIL_RPDGSTABSTATE"

    /// One table's load state: no row when it was never loaded, else
    /// (LOAD_STATUS, LOAD_PROGRESS) — loaded when `tableIsLoaded` says so.
    public static func tableLoadStatus(_ table: HeatWaveTable) -> HeatWaveStatement {
        HeatWaveStatement(
            "SELECT t.LOAD_STATUS, t.LOAD_PROGRESS FROM performance_schema.rpd_tables AS t JOIN performance_schema.rpd_table_id AS i ON i.ID = t.ID WHERE i.SCHEMA_NAME = ? AND i.TABLE_NAME = ?",
            [.text(table.schema), .text(table.name)])
    }

    /// Reads the answer to `tableLoadStatus`.
    public static func tableIsLoaded(_ rows: [[String?]]) -> Bool {
        rows.contains { ($0.first ?? nil) == loadedStatus }
    }

    /// Every table of `schema` that HeatWave knows: (TABLE_NAME, LOAD_STATUS, LOAD_PROGRESS, NROWS).
    public static func loadedTables(schema: String) throws(StoreError) -> HeatWaveStatement {
        HeatWaveStatement(
            "SELECT i.TABLE_NAME, t.LOAD_STATUS, t.LOAD_PROGRESS, t.NROWS FROM performance_schema.rpd_tables AS t JOIN performance_schema.rpd_table_id AS i ON i.ID = t.ID WHERE i.SCHEMA_NAME = ? ORDER BY i.TABLE_NAME",
            [.text(try checkedIdentifier(schema, role: "schema"))])
    }

    /// How many statements of this session ran on the secondary engine: read before and after a
    /// query under `ON` to tell whether it was offloaded.
    public static let secondaryEngineExecutionCount = HeatWaveStatement("SHOW SESSION STATUS LIKE 'Secondary_engine_execution_count'")

    /// Server errors that mean "this plan cannot be offloaded to RAPID" under
    /// `use_secondary_engine = FORCED`: the store then runs the plan on the column engine and
    /// says so, instead of failing.
    ///
    /// - 3889 `ER_SECONDARY_ENGINE`, "Secondary engine operation failed. %s." — e.g. "use_secondary_engine
    ///   is FORCED but query could not be executed in secondary engine", "Reason: \"No secondary engine
    ///   defined for at least one of the query tables\"", "All plans were rejected by the secondary
    ///   storage engine" (unsupported SQL, table not loaded, autocommit off).
    /// - 3877 `ER_SECONDARY_ENGINE_PLUGIN`, "%s" — the engine's own words, e.g. "Table has not been
    ///   loaded" while a table is (re)loading or after DDL.
    ///
    /// Numbers: MySQL's generated error list (`ER_SECONDARY_ENGINE_PLUGIN = 3877`,
    /// `ER_SECONDARY_ENGINE = 3889`, `ER_SECONDARY_ENGINE_DDL = 3890`) as shipped in MySQL Shell's
    /// error table, and `my_error(ER_SECONDARY_ENGINE_PLUGIN, …, "Table has not been loaded")` in the
    /// server's RAPID/mock secondary-engine plugins (mysql/mysql-server, storage/secondary_engine_mock);
    /// "ERROR 3889 (HY000): Secondary engine operation failed. use_secondary_engine is FORCED but query
    /// could not be executed in secondary engine." in GreatSQL's Rapid engine transcripts.
    ///
    /// Not included, on purpose: 3890 `ER_SECONDARY_ENGINE_DDL` (a refused DDL, not a query plan);
    /// 1193 unknown `use_secondary_engine` (MariaDB: the probe already said there is no HeatWave);
    /// HeatWave's own `HW_ER_*` numbers 1001…, which are documented as HeatWave messages
    /// (https://dev.mysql.com/doc/heatwave/en/heatwave-errors.html) and collide with server codes.
    public static let offloadFallbackErrors: Set<Int32> = [3877, 3889]

    /// Whether `error` says the plan cannot be offloaded (and may run elsewhere).
    public static func cannotOffload(_ error: StoreError) -> Bool {
        guard error.kind == .engine, let code = error.code else { return false }
        return offloadFallbackErrors.contains(code)
    }

    // MARK: - AutoML

    /// `SET @variable = ?`: names the model `ML_TRAIN` will create (instead of a generated
    /// handle), or points the variable at an existing model on a new connection.
    public static func setVariable(_ variable: SessionVariable, to value: String) -> HeatWaveStatement {
        HeatWaveStatement("SET \(variable.sql) = ?", [.text(value)])
    }

    /// `SELECT @variable`: the generated model handle after `ML_TRAIN`, or the score after `ML_SCORE`.
    public static func readVariable(_ variable: SessionVariable) -> HeatWaveStatement {
        HeatWaveStatement("SELECT \(variable.sql)")
    }

    /// The `ML_TRAIN` tasks the store uses.
    public enum MLTask: String, Sendable, CaseIterable {
        case classification, regression, forecasting
        case anomalyDetection = "anomaly_detection"
    }

    /// `ML_TRAIN`'s options, the subset the store needs. Keys follow the documented order of the
    /// syntax box; columns are validated; values are bound.
    public struct MLTrainOptions: Sendable, Equatable {
        public var task: MLTask
        /// Forecasting: the date column.
        public var datetimeIndex: String?
        /// Forecasting: the series to forecast (one = univariate).
        public var endogenousVariables: [String]
        /// Forecasting: known drivers of the series.
        public var exogenousVariables: [String]
        /// Columns that must not be features (ids, leaky columns).
        public var excludeColumns: [String]
        /// Anomaly detection: the expected share of anomalous rows. Checked to lie strictly
        /// between 0 and 0.5 (the range as remembered, not confirmed in the docs).
        public var contamination: Double?

        public init(
            task: MLTask, datetimeIndex: String? = nil, endogenousVariables: [String] = [], exogenousVariables: [String] = [],
            excludeColumns: [String] = [], contamination: Double? = nil
        ) {
            self.task = task
            self.datetimeIndex = datetimeIndex
            self.endogenousVariables = endogenousVariables
            self.exogenousVariables = exogenousVariables
            self.excludeColumns = excludeColumns
            self.contamination = contamination
        }

        /// `JSON_OBJECT('task', ?, …)` with its bindings.
        func json() throws(StoreError) -> HeatWaveStatement {
            var parts = ["'task', ?"]
            var values: [Value] = [.text(task.rawValue)]
            if let datetimeIndex {
                parts.append("'datetime_index', ?")
                values.append(.text(try checkedIdentifier(datetimeIndex, role: "column")))
            }
            for (key, columns) in [("endogenous_variables", endogenousVariables), ("exogenous_variables", exogenousVariables)]
            where !columns.isEmpty {
                parts.append("'\(key)', JSON_ARRAY(\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))")
                for column in columns { values.append(.text(try checkedIdentifier(column, role: "column"))) }
            }
            if !excludeColumns.isEmpty {
                parts.append(
                    "'exclude_column_list', JSON_ARRAY(\(Array(repeating: "?", count: excludeColumns.count).joined(separator: ", ")))")
                for column in excludeColumns { values.append(.text(try checkedIdentifier(column, role: "column"))) }
            }
            if let contamination {
                guard contamination > 0, contamination < 0.5 else {
                    throw .invalidArgument("contamination \(contamination): expected a share of anomalous rows above 0 and below 0.5")
                }
                parts.append("'contamination', ?")
                values.append(.double(contamination))
            }
            return HeatWaveStatement("JSON_OBJECT(" + parts.joined(separator: ", ") + ")", values)
        }
    }

    /// `CALL sys.ML_TRAIN('schema.table', 'target', JSON_OBJECT(…), @handle)`.
    ///
    /// `target` is the label column; `nil` (SQL NULL) for unsupervised anomaly detection, which
    /// the docs require, and mandatory for every other task. Set `handle` with `setVariable` first
    /// to choose the model's name; otherwise HeatWave generates one into it.
    public static func train(_ table: HeatWaveTable, target: String?, options: MLTrainOptions, handle: SessionVariable) throws(StoreError)
        -> HeatWaveStatement
    {
        let targetValue: Value
        switch (options.task, target) {
        case (.anomalyDetection, nil): targetValue = .null
        case (.anomalyDetection, .some):
            throw .invalidArgument("unsupervised anomaly detection trains without a target column; pass target: nil")
        case (_, .some(let column)): targetValue = .text(try checkedIdentifier(column, role: "column"))
        case (let task, nil): throw .invalidArgument("\(task.rawValue) needs a target column")
        }
        let json = try options.json()
        return HeatWaveStatement("CALL sys.ML_TRAIN(?, ?, \(json.sql), \(handle.sql))", [.text(table.dotted), targetValue] + json.bindings)
    }

    /// `CALL sys.ML_MODEL_LOAD(@handle, NULL)`: needed before every routine but `ML_TRAIN`;
    /// `NULL` owner = the current user.
    public static func loadModel(_ handle: SessionVariable) -> HeatWaveStatement {
        HeatWaveStatement("CALL sys.ML_MODEL_LOAD(\(handle.sql), NULL)")
    }

    /// `CALL sys.ML_MODEL_UNLOAD(@handle)`: frees the cluster memory the model holds.
    public static func unloadModel(_ handle: SessionVariable) -> HeatWaveStatement {
        HeatWaveStatement("CALL sys.ML_MODEL_UNLOAD(\(handle.sql))")
    }

    /// `ML_PREDICT_TABLE`'s options, the subset the store needs.
    public struct MLPredictOptions: Sendable, Equatable {
        /// Classification / anomaly detection: the probability cut-off.
        public var threshold: Double?
        /// Forecasting: adds `prediction_interval_<column>` bounds at this level (8.4.0+).
        public var predictionInterval: Double?
        /// Rows per internal batch (before 9.4.1 the recommended way to predict big tables).
        public var batchSize: Int?

        public init(threshold: Double? = nil, predictionInterval: Double? = nil, batchSize: Int? = nil) {
            self.threshold = threshold
            self.predictionInterval = predictionInterval
            self.batchSize = batchSize
        }

        /// `NULL` when nothing is set, else `JSON_OBJECT(…)`.
        func json() -> HeatWaveStatement {
            var parts: [String] = []
            var values: [Value] = []
            if let threshold {
                parts.append("'threshold', ?")
                values.append(.double(threshold))
            }
            if let predictionInterval {
                parts.append("'prediction_interval', ?")
                values.append(.double(predictionInterval))
            }
            if let batchSize {
                parts.append("'batch_size', ?")
                values.append(.integer(Int64(batchSize)))
            }
            return parts.isEmpty
                ? HeatWaveStatement("NULL") : HeatWaveStatement("JSON_OBJECT(" + parts.joined(separator: ", ") + ")", values)
        }
    }

    /// `CALL sys.ML_PREDICT_TABLE('schema.input', @handle, 'schema.output', options)`.
    ///
    /// The output gets the input's columns plus `Prediction` and `ml_results` (JSON). Before 9.4.1
    /// the output table must not exist yet: drop it first with `dropTable`.
    public static func predictTable(
        _ input: HeatWaveTable, handle: SessionVariable, output: HeatWaveTable,
        options: MLPredictOptions = MLPredictOptions()
    ) -> HeatWaveStatement {
        let json = options.json()
        return HeatWaveStatement(
            "CALL sys.ML_PREDICT_TABLE(?, \(handle.sql), ?, \(json.sql))", [.text(input.dotted), .text(output.dotted)] + json.bindings)
    }

    /// `SELECT sys.ML_PREDICT_ROW(JSON_OBJECT(feature, value, …), @handle, NULL)`: one prediction
    /// without a table; the JSON keys must be the training feature names.
    public static func predictRow(_ features: [(name: String, value: Value)], handle: SessionVariable) throws(StoreError)
        -> HeatWaveStatement
    {
        guard !features.isEmpty else { throw .invalidArgument("ML_PREDICT_ROW needs at least one feature") }
        var values: [Value] = []
        for feature in features {
            values.append(.text(try checkedIdentifier(feature.name, role: "feature column")))
            values.append(feature.value)
        }
        let pairs = Array(repeating: "?, ?", count: features.count).joined(separator: ", ")
        return HeatWaveStatement("SELECT sys.ML_PREDICT_ROW(JSON_OBJECT(\(pairs)), \(handle.sql), NULL)", values)
    }

    /// `CALL sys.ML_SCORE('schema.table', 'target', @handle, 'metric', @score, NULL)`; read the
    /// score with `readVariable(score)`. `target` is `nil` for unsupervised models.
    public static func score(_ table: HeatWaveTable, target: String?, handle: SessionVariable, metric: String, into score: SessionVariable)
        throws(StoreError) -> HeatWaveStatement
    {
        let metric = try checkedIdentifier(metric, role: "metric")
        let targetValue: Value =
            try target.map { (column: String) throws(StoreError) -> Value in .text(try checkedIdentifier(column, role: "column")) } ?? .null
        return HeatWaveStatement(
            "CALL sys.ML_SCORE(?, ?, \(handle.sql), ?, \(score.sql), NULL)", [.text(table.dotted), targetValue, .text(metric)])
    }

    /// The predictions of `ML_PREDICT_TABLE`, by the input's key.
    public static func selectPredictions(_ output: HeatWaveTable, key: String) throws(StoreError) -> HeatWaveStatement {
        let key = try quotedColumn(key)
        return HeatWaveStatement("SELECT \(key), `Prediction`, `ml_results` FROM \(output.quoted) ORDER BY \(key)")
    }

    /// `DROP TABLE IF EXISTS`: prediction output tables are scratch tables.
    public static func dropTable(_ table: HeatWaveTable) -> HeatWaveStatement {
        HeatWaveStatement("DROP TABLE IF EXISTS \(table.quoted)")
    }

    // MARK: - Vector search

    /// `DISTANCE()` metrics whose smaller value means "nearer". `DOT` is left out: whether
    /// HeatWave returns the dot product or its negation is not documented clearly enough to
    /// order by it.
    public enum DistanceMetric: String, Sendable, CaseIterable {
        case cosine = "COSINE"
        case euclidean = "EUCLIDEAN"
    }

    /// The largest `VECTOR(N)`: https://dev.mysql.com/doc/refman/9.5/en/vector.html
    public static let maximumVectorDimension = 16383

    /// `[1.5,-2.0,3.25]`, the text `STRING_TO_VECTOR` parses. Floats print in Swift's shortest
    /// round-tripping form, so the server's float32 equals ours bit for bit.
    public static func vectorLiteral(_ vector: [Float]) throws(StoreError) -> String {
        guard !vector.isEmpty, vector.count <= maximumVectorDimension else {
            throw .invalidArgument("a vector of \(vector.count) entries: VECTOR holds 1 to \(maximumVectorDimension)")
        }
        guard vector.allSatisfy(\.isFinite) else { throw .invalidArgument("a vector with NaN or infinite entries") }
        return "[" + vector.map { "\($0)" }.joined(separator: ",") + "]"
    }

    /// The `limit` embeddings of `entityType` made by `model` nearest to `vector`, nearest first:
    /// (entity_id, distance). Runs where `ServerCapabilities.vectorDistance` holds; the table and
    /// columns are the catalog's `business_embeddings`. The model matters: one entity type holds
    /// vectors of several models (a project's case vector and its description's embedding).
    public static func nearestNeighbours(
        to vector: [Float], entityType: String, model: String, limit: Int,
        metric: DistanceMetric = .cosine
    ) throws(StoreError) -> HeatWaveStatement {
        guard limit > 0 else { throw .invalidArgument("nearest neighbours: limit must be positive, found \(limit)") }
        return HeatWaveStatement(
            "SELECT entity_id, DISTANCE(embedding_vector, STRING_TO_VECTOR(?), '\(metric.rawValue)') AS distance FROM business_embeddings WHERE entity_type = ? AND embedding_model = ? ORDER BY distance LIMIT ?",
            [.text(try vectorLiteral(vector)), .text(entityType), .text(model), .integer(Int64(limit))])
    }
}

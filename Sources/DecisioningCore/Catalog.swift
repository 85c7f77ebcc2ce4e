/// The tables Decisioning knows: the seed's seven business tables and the tables a run writes.
///
/// This is the single description of every column's type; the stores' migrations are tested
/// against it, ingest validates against it, and the analytics layer type-checks plans with it.
public enum Catalog {
    public static let projects = TableSchema(
        name: "projects",
        columns: [
            ColumnSchema("project_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("project_name", .text(maxLength: 200), nullable: false),
            ColumnSchema("project_type", .text(maxLength: 50)),
            ColumnSchema("start_date", .date, nullable: false),
            ColumnSchema("end_date", .date),
            ColumnSchema("budget_amount", .money),
            ColumnSchema("actual_cost", .money),
            ColumnSchema("status", .text(maxLength: 20)),
            ColumnSchema("customer_id", .text(maxLength: 50)),
            ColumnSchema("created_at", .timestamp, nullable: false, default: .currentTimestamp),
            // Free text: what the project is for (migration 0006; `decisioning search --entity projects`).
            ColumnSchema("description", .longText),
        ],
        primaryKey: ["project_id"])

    public static let financialMetrics = TableSchema(
        name: "financial_metrics",
        columns: [
            ColumnSchema("metric_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("project_id", .text(maxLength: 50)),
            ColumnSchema("metric_type", .text(maxLength: 50)),
            ColumnSchema("metric_value", .money),
            ColumnSchema("metric_date", .date, nullable: false),
            ColumnSchema("currency_code", .text(maxLength: 3), default: .value(.text("USD"))),
            ColumnSchema("created_at", .timestamp, nullable: false, default: .currentTimestamp),
        ],
        primaryKey: ["metric_id"])

    public static let customerAnalytics = TableSchema(
        name: "customer_analytics",
        columns: [
            ColumnSchema("customer_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("customer_name", .text(maxLength: 200)),
            ColumnSchema("industry", .text(maxLength: 100)),
            ColumnSchema("annual_revenue", .money),
            ColumnSchema("credit_rating", .text(maxLength: 10)),
            ColumnSchema("payment_terms", .integer),
            ColumnSchema("average_payment_days", .decimal(precision: 5, scale: 1)),
            ColumnSchema("total_projects", .integer, default: .value(.integer(0))),
            ColumnSchema("total_revenue", .money, default: .value(.decimal(0))),
            ColumnSchema("risk_score", .decimal(precision: 3, scale: 2)),
        ],
        primaryKey: ["customer_id"])

    public static let businessEvents = TableSchema(
        name: "business_events",
        columns: [
            ColumnSchema("event_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("event_type", .text(maxLength: 50)),
            ColumnSchema("entity_type", .text(maxLength: 50)),
            ColumnSchema("entity_id", .text(maxLength: 50)),
            ColumnSchema("event_data", .json),
            ColumnSchema("event_timestamp", .timestamp, nullable: false, default: .currentTimestamp),
            ColumnSchema("processed", .boolean, default: .value(.boolean(false))),
        ],
        primaryKey: ["event_id"])

    public static let mlModels = TableSchema(
        name: "ml_models",
        columns: [
            ColumnSchema("model_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("model_name", .text(maxLength: 100)),
            ColumnSchema("model_type", .text(maxLength: 50)),
            ColumnSchema("training_data_query", .longText),
            ColumnSchema("target_column", .text(maxLength: 100)),
            ColumnSchema("feature_columns", .json),
            ColumnSchema("model_accuracy", .decimal(precision: 5, scale: 4)),
            ColumnSchema("created_at", .timestamp, nullable: false, default: .currentTimestamp),
            ColumnSchema("last_trained", .timestamp),
            ColumnSchema("status", .text(maxLength: 20), default: .value(.text("ACTIVE"))),
            // Added: the serialised model (parameters or trees) and its training metadata.
            ColumnSchema("model_payload", .json),
        ],
        primaryKey: ["model_id"])

    public static let modelPredictions = TableSchema(
        name: "model_predictions",
        columns: [
            ColumnSchema("prediction_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("model_id", .text(maxLength: 50)),
            ColumnSchema("entity_id", .text(maxLength: 50)),
            ColumnSchema("prediction_value", .decimal(precision: 15, scale: 4)),
            ColumnSchema("confidence_score", .decimal(precision: 5, scale: 4)),
            ColumnSchema("prediction_date", .timestamp, nullable: false, default: .currentTimestamp),
        ],
        primaryKey: ["prediction_id"])

    public static let businessEmbeddings = TableSchema(
        name: "business_embeddings",
        columns: [
            ColumnSchema("embedding_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("entity_type", .text(maxLength: 50)),
            ColumnSchema("entity_id", .text(maxLength: 50)),
            ColumnSchema("embedding_vector", .vector(dimensions: 2048)),
            ColumnSchema("embedding_model", .text(maxLength: 100)),
            ColumnSchema("created_at", .timestamp, nullable: false, default: .currentTimestamp),
        ],
        primaryKey: ["embedding_id"])

    public static let analysisRuns = TableSchema(
        name: "analysis_runs",
        columns: [
            ColumnSchema("run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("analysis", .text(maxLength: 100), nullable: false),
            ColumnSchema("as_of", .date, nullable: false),
            ColumnSchema("status", .text(maxLength: 20), nullable: false),
            ColumnSchema("seed", .integer),
            ColumnSchema("config_digest", .text(maxLength: 64)),
            ColumnSchema("started_at", .timestamp, nullable: false),
            ColumnSchema("finished_at", .timestamp),
            ColumnSchema("results", .json),
        ],
        primaryKey: ["run_id"])

    public static let agentResults = TableSchema(
        name: "agent_results",
        columns: [
            ColumnSchema("run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("agent", .text(maxLength: 50), nullable: false),
            ColumnSchema("status", .text(maxLength: 20), nullable: false),
            ColumnSchema("confidence", .double),
            ColumnSchema("started_at", .timestamp),
            ColumnSchema("duration_ms", .double),
            ColumnSchema("error", .longText),
            ColumnSchema("result", .json),
        ],
        primaryKey: ["run_id", "agent"])

    public static let decisions = TableSchema(
        name: "decisions",
        columns: [
            ColumnSchema("decision_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("decision_rank", .integer, nullable: false),
            ColumnSchema("title", .text(maxLength: 200), nullable: false),
            ColumnSchema("category", .text(maxLength: 50)),
            ColumnSchema("rationale", .longText),
            ColumnSchema("expected_impact", .money),
            ColumnSchema("urgency", .text(maxLength: 20)),
            ColumnSchema("risk", .text(maxLength: 20)),
            ColumnSchema("confidence", .double),
            ColumnSchema("evidence", .json),
        ],
        primaryKey: ["decision_id"])

    public static let alerts = TableSchema(
        name: "alerts",
        columns: [
            ColumnSchema("alert_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("run_id", .text(maxLength: 50), nullable: false),
            ColumnSchema("severity", .text(maxLength: 20), nullable: false),
            ColumnSchema("rule", .text(maxLength: 100), nullable: false),
            ColumnSchema("message", .longText, nullable: false),
            ColumnSchema("entity_type", .text(maxLength: 50)),
            ColumnSchema("entity_id", .text(maxLength: 50)),
            ColumnSchema("observed", .double),
            ColumnSchema("threshold", .double),
        ],
        primaryKey: ["alert_id"])

    /// The seed's business tables, in dependency order (ingest and generation follow it).
    public static let businessTables: [TableSchema] = [
        customerAnalytics, projects, financialMetrics, businessEvents, mlModels, modelPredictions, businessEmbeddings,
    ]

    public static let runTables: [TableSchema] = [analysisRuns, agentResults, decisions, alerts]

    public static let all: [TableSchema] = businessTables + runTables + serviceTables

    public static func table(named name: String) -> TableSchema? { all.first { $0.name == name } }
}
